namespace GridGov.Storage.Tests;

[Collection(PostgresCollection.Name)]
public sealed class MigratorTests(PostgresFixture pg)
{
    static readonly string[] QueryKeys =
    [
        "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey",
        "MembershipReadAllKey", "MembershipReadRowKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
        "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey",
        "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
        "UpsertReminderRowKey", "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    static Task<List<object?[]>> Versions(string db) =>
        Db.Rows(db, "SELECT version, name, applied_at FROM gridgov_schema_version ORDER BY version");

    [Fact]
    public async Task Applies_every_script_on_an_empty_database_then_reapplying_is_a_no_op()
    {
        var db = await pg.CreateDatabaseAsync();
        var all = Migrator.Migrations.Select(m => m.Version).ToArray();
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], all);

        Assert.Equal(all, await new Migrator(db).MigrateAsync());
        var before = await Versions(db);
        Assert.Equal(all, before.Select(r => (int)r[0]!));

        var keys = (await Db.Rows(db, "SELECT QueryKey FROM OrleansQuery")).Select(r => (string)r[0]!).ToHashSet();
        Assert.Subset(keys, QueryKeys.ToHashSet());
        foreach (var table in new[] { "orleansmembershipversiontable", "orleansmembershiptable", "orleansstorage", "orleansreminderstable", "gridgov_grain_state" })
            Assert.Single(await Db.Rows(db, "SELECT to_regclass(@t)::text", ("t", table)), r => r[0] is string);

        // The journal is indexed only for what GridGov reads: by id (dedupe) and by subject.
        var journalIndexes = (await Db.Rows(db, "SELECT indexname FROM pg_indexes WHERE tablename = 'gridgov_journal' ORDER BY 1")).Select(r => (string)r[0]!);
        Assert.Equal(["gridgov_journal_pkey", "ix_gridgov_journal_subject"], journalIndexes);

        Assert.Empty(await new Migrator(db).MigrateAsync());
        var after = await Versions(db);
        Assert.Equal(before.Select(r => (r[0], r[1], r[2])), after.Select(r => (r[0], r[1], r[2])));
    }

    [Fact]
    public async Task Two_migrators_starting_together_apply_each_script_once()
    {
        var db = await pg.CreateDatabaseAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => new Migrator(db).MigrateAsync())));

        Assert.Equal([1, 2, 3, 4, 5, 6, 7], results.SelectMany(r => r).Order());
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], (await Versions(db)).Select(r => (int)r[0]!));
        Assert.Empty(await new Migrator(db).MigrateAsync());
    }
}
