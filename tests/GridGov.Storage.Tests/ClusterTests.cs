using GridGov.Grains.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace GridGov.Storage.Tests;

[Collection(PostgresCollection.Name)]
public sealed class ClusterTests(PostgresFixture pg)
{
    const int Active = 3; // SiloStatus.Active as stored by the membership provider

    [Fact]
    public async Task Two_silos_form_a_cluster_through_the_membership_table()
    {
        var db = await pg.CreateDatabaseAsync();
        await using var cluster = await PostgresCluster.StartAsync(db);

        var rows = await Db.Rows(db, "SELECT Address, Port, Generation, Status FROM OrleansMembershipTable WHERE DeploymentId = @c",
            ("c", PostgresCluster.ClusterId));
        var silos = cluster.Cluster.Silos.Select(s => s.SiloAddress).ToHashSet();
        Assert.Equal(2, silos.Count);
        Assert.Equal(silos, rows.Select(r => SiloAddress.New(System.Net.IPAddress.Parse((string)r[0]!), (int)r[1]!, (int)r[2]!)).ToHashSet());
        Assert.All(rows, r => Assert.Equal(Active, (int)r[3]!));
        var version = await Db.Rows(db, "SELECT Version FROM OrleansMembershipVersionTable WHERE DeploymentId = @c", ("c", PostgresCluster.ClusterId));
        Assert.True((int)Assert.Single(version)[0]! >= 4, "two inserts and two status changes each bump the table version");
    }

    [Fact]
    public async Task Grain_state_survives_stopping_the_whole_cluster()
    {
        var db = await pg.CreateDatabaseAsync();
        await using (var first = await PostgresCluster.StartAsync(db))
        {
            await first.Grains.GetGrain<ICityGrain>("1301").Configure(new CitySettings("石家庄 Shijiazhuang", "Asia/Shanghai", 40, 2));
            await first.Grains.GetGrain<ICatalogGrain>("1301").DefineCategory(new Category("C1", "暴露垃圾 exposed rubbish"));
        }
        Assert.NotEmpty(await Db.Rows(db, "SELECT 1 FROM gridgov_grain_state WHERE service_id = @s AND payload IS NOT NULL",
            ("s", PostgresCluster.ServiceId)));

        await using var second = await PostgresCluster.StartAsync(db);
        var settings = await second.Grains.GetGrain<ICityGrain>("1301").GetSettings();
        Assert.Equal(new CitySettings("石家庄 Shijiazhuang", "Asia/Shanghai", 40, 2), settings);
        var category = Assert.Single(await second.Grains.GetGrain<ICatalogGrain>("1301").GetCategories());
        Assert.Equal(new Category("C1", "暴露垃圾 exposed rubbish"), category);
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_is_refused()
    {
        var db = await pg.CreateDatabaseAsync();
        await using var cluster = await PostgresCluster.StartAsync(db, silos: 1);
        var storage = cluster.Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(GridGovStorage.Name);
        var id = GrainId.Create("occ-test", "1301");
        const string type = "occ-test";

        // Two "first" writers: both believe nothing is stored yet.
        var created = new GrainState<CitySettings>(new CitySettings("v1"));
        await storage.WriteStateAsync(type, id, created);
        Assert.Equal("1", created.ETag);
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            storage.WriteStateAsync(type, id, new GrainState<CitySettings>(new CitySettings("rival"))));

        // Two writers that both read version 1.
        var a = new GrainState<CitySettings>(new CitySettings("v2 from a"), created.ETag) { RecordExists = true };
        var b = new GrainState<CitySettings>(new CitySettings("v2 from b"), created.ETag) { RecordExists = true };
        await storage.WriteStateAsync(type, id, a);
        Assert.Equal("2", a.ETag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(type, id, b));

        var read = new GrainState<CitySettings>();
        await storage.ReadStateAsync(type, id, read);
        Assert.Equal(("v2 from a", "2", true), (read.State!.Name, read.ETag, read.RecordExists));

        // Clearing obeys the same rule, and the row keeps counting versions.
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(type, id, b));
        await storage.ClearStateAsync(type, id, read);
        Assert.Equal("3", read.ETag);
    }

    [Fact]
    public async Task A_reminder_is_stored_and_survives_a_cluster_restart()
    {
        var db = await pg.CreateDatabaseAsync();
        const string city = "1302", community = "130201001001", inspector = "1302-I1";
        await using (var first = await PostgresCluster.StartAsync(db))
        {
            await first.Grains.GetGrain<ICityGrain>(city).Configure(new CitySettings("Test City"));
            await first.Grains.GetGrain<IInspectorGrain>(inspector).Register(new RegisterInspector("Inspector 1", community));
            // A quota arms the inspector's day-end alarm: a timer plus the reminder "wake".
            await first.Grains.GetGrain<IInspectorGrain>(inspector).SetQuota(new Quota(2, 2, new()), new Actor("sup-" + city, Role.Supervisor, city));
            Assert.Single(await Reminders(db, inspector));
        }

        var stored = Assert.Single(await Reminders(db, inspector));
        await using var second = await PostgresCluster.StartAsync(db);
        Assert.Equal(stored, Assert.Single(await Reminders(db, inspector)));
        Assert.NotNull((await second.Grains.GetGrain<IInspectorGrain>(inspector).Get()).Quota);
    }

    static async Task<List<(string, string, long)>> Reminders(string db, string grainKey) =>
        (await Db.Rows(db, "SELECT GrainId, ReminderName, Period FROM OrleansRemindersTable WHERE ServiceId = @s AND GrainId LIKE @g",
            ("s", PostgresCluster.ServiceId), ("g", "%/" + grainKey)))
        .Select(r => ((string)r[0]!, (string)r[1]!, (long)r[2]!)).Where(r => r.Item2 == "wake").ToList();
}
