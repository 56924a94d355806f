using GridGov.Grains.Infrastructure;

namespace GridGov.Storage.Tests;

[Collection(PostgresCollection.Name)]
public sealed class JournalTests(PostgresFixture pg)
{
    static JournalLine Line(string id, string subject, DateTimeOffset at) =>
        new(id, "Ticket", at, "1301010010010001", subject, "sup-1", "Accept", "Accepted", "valid");

    [Fact]
    public async Task Appends_are_durable_idempotent_and_read_back_in_order()
    {
        var db = await pg.CreateDatabaseAsync();
        await new Migrator(db).MigrateAsync();
        await using var journal = new PostgresEventJournal(db);
        var t0 = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

        await journal.Append([Line("a", "T1", t0.AddMinutes(2)), Line("b", "T1", t0.AddMinutes(1))]);
        await journal.Append([Line("a", "T1", t0.AddMinutes(2)), Line("c", "T2", t0)]); // "a" again: kept once

        var t1 = await journal.Read("T1");
        Assert.Equal(["b", "a"], t1.Select(l => l.Id));
        Assert.Equal(t0.AddMinutes(1), t1[0].At);
        Assert.Equal(("Accept", "Accepted"), (t1[0].Action, t1[0].Stage));
        Assert.Single(await journal.Read("T2"));
        Assert.Equal(3L, (long)(await Db.Rows(db, "SELECT count(*) FROM gridgov_journal"))[0][0]!);
    }

    [Fact]
    public async Task Concurrent_appends_share_round_trips()
    {
        var db = await pg.CreateDatabaseAsync();
        await new Migrator(db).MigrateAsync();
        await using var journal = new PostgresEventJournal(db);
        var t0 = DateTimeOffset.UnixEpoch;

        await Task.WhenAll(Enumerable.Range(0, 2_000).Select(i => journal.Append([Line($"line-{i}", $"T{i % 10}", t0.AddSeconds(i))])));

        Assert.Equal(2_000L, (long)(await Db.Rows(db, "SELECT count(*) FROM gridgov_journal"))[0][0]!);
        Assert.Equal(2_000, journal.Written);
        Assert.True(journal.Batches < 2_000 / 4, $"{journal.Batches} round trips for 2,000 appends");
    }

    [Fact]
    public async Task An_append_fails_loudly_when_the_database_refuses_it()
    {
        var db = await pg.CreateDatabaseAsync(); // not migrated: no journal table
        await using var journal = new PostgresEventJournal(db);
        await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(() => journal.Append([Line("x", "T", DateTimeOffset.UnixEpoch)]));
    }
}
