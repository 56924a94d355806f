using GridGov.Grains.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace GridGov.Storage.Tests;

/// <summary>
/// Upgrading from the ADO.NET grain storage (OrleansStorage) to <see cref="PostgresGrainStorage"/>: grains keep the
/// state the previous version accepted (<see cref="LegacyGrainState"/>), and a database that never had it is not read through.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class LegacyGrainStateTests(PostgresFixture pg)
{
    const string City = "1301";
    static readonly CitySettings Before = new("石家庄 Shijiazhuang", "Asia/Shanghai", 40, 2);
    static readonly CitySettings After = new("石家庄 Shijiazhuang (upgraded)", "Asia/Shanghai", 45, 3);

    [Fact]
    public async Task State_written_by_the_AdoNet_storage_is_read_through_then_written_to_the_new_table()
    {
        var db = await pg.CreateDatabaseAsync();
        await using (var old = await PreviousVersionCluster.StartAsync(db))
        {
            await old.Grains.GetGrain<ICityGrain>(City).Configure(Before);
            await old.Grains.GetGrain<ICatalogGrain>(City).DefineCategory(new Category("C1", "暴露垃圾 exposed rubbish"));
        }
        Assert.NotEmpty(await Db.Rows(db, "SELECT 1 FROM OrleansStorage WHERE ServiceId = @s AND GrainTypeString = 'city'", ("s", PostgresCluster.ServiceId)));
        Assert.Empty(await Db.Rows(db, "SELECT 1 FROM gridgov_grain_state"));

        await using (var upgraded = await PostgresCluster.StartAsync(db, silos: 1))
        {
            var legacy = Legacy(upgraded);
            Assert.Equal(Before, await upgraded.Grains.GetGrain<ICityGrain>(City).GetSettings());
            Assert.Equal(new Category("C1", "暴露垃圾 exposed rubbish"), Assert.Single(await upgraded.Grains.GetGrain<ICatalogGrain>(City).GetCategories()));
            Assert.True(legacy.Found >= 2, $"{legacy.Found} legacy states found");
            Assert.Equal(1, legacy.Checks);

            // The grain's first write after the upgrade inserts its state into the new table as version 1.
            await upgraded.Grains.GetGrain<ICityGrain>(City).Configure(After);
            var row = Assert.Single(await Db.Rows(db, "SELECT grain_id, version FROM gridgov_grain_state WHERE service_id = @s AND state_name = 'city'",
                ("s", PostgresCluster.ServiceId)));
            Assert.EndsWith(City, (string)row[0]!);
            Assert.Equal(1L, row[1]);
        }

        // A restart reads the new table: the upgraded value, not the one OrleansStorage still holds.
        await using var restarted = await PostgresCluster.StartAsync(db, silos: 1);
        var reads = Legacy(restarted).Reads;
        Assert.Equal(After, await restarted.Grains.GetGrain<ICityGrain>(City).GetSettings());
        Assert.Equal(reads, Legacy(restarted).Reads);
    }

    [Fact]
    public async Task A_database_without_legacy_grain_state_is_never_read_through()
    {
        var db = await pg.CreateDatabaseAsync();
        // Pub/sub rows (PubSubStore stays on the ADO.NET storage) are not GridGov state.
        await new Migrator(db).MigrateAsync();
        await Db.Rows(db, """
            INSERT INTO OrleansStorage (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdHash, GrainTypeHash, PayloadBinary, Version)
            VALUES (@s, @t, 1, 2, 0, 0, NULL, 1)
            """, ("s", PostgresCluster.ServiceId), ("t", LegacyGrainState.PubSubStateName));

        await using var cluster = await PostgresCluster.StartAsync(db, silos: 1);
        var inner = cluster.Cluster.GetSiloServiceProvider().GetRequiredService<PostgresGrainStorage>();
        var legacy = Legacy(cluster);
        var read0 = inner.Read;
        await cluster.Grains.GetGrain<ICityGrain>(City).Configure(Before);
        Assert.Empty(await cluster.Grains.GetGrain<ICatalogGrain>(City).GetCategories());
        Assert.Equal(Before, await cluster.Grains.GetGrain<ICityGrain>(City).GetSettings());

        Assert.True(inner.Read - read0 >= 2, "the grains' activations missed in gridgov_grain_state");
        Assert.Equal((1L, 0L, 0L), (legacy.Checks, legacy.Reads, legacy.Found));
    }

    static LegacyGrainState Legacy(PostgresCluster cluster) =>
        cluster.Cluster.GetSiloServiceProvider().GetRequiredService<PostgresGrainStorage>().Legacy!;

    /// <summary>
    /// A cluster configured as the previous version was: PostgreSQL mode, but GridGov's grains on the ADO.NET storage
    /// "gridgov-adonet" (OrleansStorage) through <see cref="StorageFailureMapping"/>.
    /// </summary>
    sealed class PreviousVersionCluster : IAsyncDisposable
    {
        public TestCluster Cluster { get; }
        public IGrainFactory Grains => Cluster.GrainFactory;

        PreviousVersionCluster(TestCluster cluster) => Cluster = cluster;

        sealed class SiloConfigurator : ISiloConfigurator
        {
            public void Configure(ISiloBuilder silo)
            {
                silo.AddGridGovPostgres(PostgresCluster.ConnectionString);
                silo.Services.AddKeyedSingleton<IGrainStorage>(GridGovStorage.Name,
                    (sp, _) => new StorageFailureMapping(sp.GetRequiredKeyedService<IGrainStorage>(LegacyGrainState.ProviderName)));
            }
        }

        public static async Task<PreviousVersionCluster> StartAsync(string connectionString) =>
            new(await PostgresCluster.DeployAsync<SiloConfigurator>(connectionString, 1));

        public async ValueTask DisposeAsync()
        {
            await Cluster.StopAllSilosAsync();
            await Cluster.DisposeAsync();
        }
    }
}
