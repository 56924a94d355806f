using System.Diagnostics;
using GridGov.Grains.Cells;
using GridGov.Grains.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Storage;
using Xunit.Abstractions;

namespace GridGov.Storage.Tests;

/// <summary>
/// <see cref="PostgresGrainStorage"/>: concurrent writes and reads share statements (group commit), each row keeps
/// Orleans' optimistic concurrency on its own, and state survives a restart of the cluster.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class GrainStorageTests(PostgresFixture pg, ITestOutputHelper output)
{
    const string State = "gc-test";

    static GrainId Id(int i) => GrainId.Create("gc-test", $"g{i}");

    static (IGrainStorage Storage, PostgresGrainStorage Inner) Storage(PostgresCluster cluster)
    {
        var services = cluster.Cluster.GetSiloServiceProvider();
        return (services.GetRequiredKeyedService<IGrainStorage>(GridGovStorage.Name), services.GetRequiredService<PostgresGrainStorage>());
    }

    [Fact]
    public async Task Many_concurrent_writers_commit_in_few_statements_and_every_value_reads_back_after_a_restart()
    {
        var db = await pg.CreateDatabaseAsync();
        const int writers = 200;
        await using (var cluster = await PostgresCluster.StartAsync(db, silos: 1))
        {
            var (storage, inner) = Storage(cluster);
            var (batches0, written0) = (inner.Batches, inner.Written);
            var states = Enumerable.Range(0, writers).Select(i => new GrainState<CitySettings>(new CitySettings($"city {i}"))).ToArray();
            using var start = new SemaphoreSlim(0);
            var writes = Enumerable.Range(0, writers).Select(async i =>
            {
                await start.WaitAsync();
                await storage.WriteStateAsync(State, Id(i), states[i]);
            }).ToArray();
            start.Release(writers);
            await Task.WhenAll(writes);
            var (batches, written) = (inner.Batches - batches0, inner.Written - written0);
            output.WriteLine($"{written} writes in {batches} statements");
            Assert.Equal(writers, written);
            Assert.True(batches <= writers / 4, $"{writers} concurrent writes took {batches} statements");
            Assert.All(states, s => Assert.Equal(("1", true), (s.ETag, s.RecordExists)));
            Assert.Equal(writers, (long)(await Db.Rows(db, "SELECT count(*) FROM gridgov_grain_state WHERE state_name = @n", ("n", State)))[0][0]!);
        }

        // A new cluster on the same database: every value comes back, read in few statements.
        await using var again = await PostgresCluster.StartAsync(db, silos: 1);
        var (storage2, inner2) = Storage(again);
        var readBatches0 = inner2.ReadBatches;
        var reads = Enumerable.Range(0, writers).Select(_ => new GrainState<CitySettings>()).ToArray();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(i => storage2.ReadStateAsync(State, Id(i), reads[i])));
        output.WriteLine($"{writers} reads in {inner2.ReadBatches - readBatches0} statements");
        Assert.True(inner2.ReadBatches - readBatches0 <= writers / 4);
        for (var i = 0; i < writers; i++)
            Assert.Equal(($"city {i}", "1", true), (reads[i].State!.Name, reads[i].ETag, reads[i].RecordExists));
        var missing = new GrainState<CitySettings>();
        await storage2.ReadStateAsync(State, Id(writers), missing);
        Assert.Equal((null, false), (missing.ETag, missing.RecordExists));
    }

    [Fact]
    public async Task A_stale_etag_fails_only_its_grain_while_the_rest_of_the_batch_commits()
    {
        var db = await pg.CreateDatabaseAsync();
        await using var cluster = await PostgresCluster.StartAsync(db, silos: 1);
        var (storage, inner) = Storage(cluster);
        const int n = 20;
        var states = Enumerable.Range(0, n).Select(i => new GrainState<CitySettings>(new CitySettings($"v1 {i}"))).ToArray();
        await Task.WhenAll(Enumerable.Range(0, n).Select(i => storage.WriteStateAsync(State, Id(i), states[i])));

        // Another writer moves grain 0 on behind its back; grain 1 is written "for the first time" although it exists.
        await Db.Rows(db, "UPDATE gridgov_grain_state SET version = version + 1 WHERE state_name = @n AND grain_id = @g",
            ("n", State), ("g", Id(0).ToString()));
        var (batches0, written0, conflicts0) = (inner.Batches, inner.Written, inner.Conflicts);
        var writes = await InOneBatch(db, storage, () => Enumerable.Range(0, n).Select(i =>
        {
            var next = i == 1
                ? new GrainState<CitySettings>(new CitySettings($"v2 {i}"))
                : new GrainState<CitySettings>(new CitySettings($"v2 {i}"), states[i].ETag) { RecordExists = true };
            return (Task)storage.WriteStateAsync(State, Id(i), next);
        }).ToArray());

        Assert.IsType<InconsistentStateException>(writes[0].Exception?.InnerException);
        Assert.IsType<InconsistentStateException>(writes[1].Exception?.InnerException);
        Assert.All(writes[2..], w => Assert.True(w.IsCompletedSuccessfully));
        output.WriteLine($"stale: {writes[0].Exception!.InnerException!.Message}; first write: {writes[1].Exception!.InnerException!.Message}");
        // Statements: the blocker's first write, its held write, then all n writes together (n - 2 of them kept).
        Assert.Equal((3L, 2L + n - 2, 2L), (inner.Batches - batches0, inner.Written - written0, inner.Conflicts - conflicts0));

        var rows = (await Db.Rows(db, "SELECT grain_id, version FROM gridgov_grain_state WHERE state_name = @n", ("n", State)))
            .ToDictionary(r => (string)r[0]!, r => (long)r[1]!);
        Assert.Equal(2L, rows[Id(0).ToString()]);   // the rival's version, not overwritten
        Assert.Equal(1L, rows[Id(1).ToString()]);
        Assert.All(Enumerable.Range(2, n - 2), i => Assert.Equal(2L, rows[Id(i).ToString()]));
        var first = new GrainState<CitySettings>();
        await storage.ReadStateAsync(State, Id(1), first);
        Assert.Equal("v1 1", first.State!.Name);
    }

    [Fact]
    public async Task Two_writes_of_one_state_never_share_a_statement()
    {
        var db = await pg.CreateDatabaseAsync();
        await using var cluster = await PostgresCluster.StartAsync(db, silos: 1);
        var (storage, inner) = Storage(cluster);
        var state = new GrainState<CitySettings>(new CitySettings("v1"));
        await storage.WriteStateAsync(State, Id(0), state);

        // The second write already names the version the first will produce: it succeeds only if it runs after it.
        var batches0 = inner.Batches;
        var writes = await InOneBatch(db, storage, () =>
        [
            storage.WriteStateAsync(State, Id(0), new GrainState<CitySettings>(new CitySettings("v2"), "1")),
            storage.WriteStateAsync(State, Id(0), new GrainState<CitySettings>(new CitySettings("v3"), "2")),
            storage.WriteStateAsync(State, Id(1), new GrainState<CitySettings>(new CitySettings("other"))),
        ]);
        Assert.All(writes, w => Assert.True(w.IsCompletedSuccessfully, w.Exception?.ToString()));
        Assert.Equal(4, inner.Batches - batches0);   // the blocker's first and held writes, then v2 with "other", then v3
        var read = new GrainState<CitySettings>();
        await storage.ReadStateAsync(State, Id(0), read);
        Assert.Equal(("v3", "3"), (read.State!.Name, read.ETag));
    }

    [Fact]
    public async Task Clearing_checks_the_version_and_a_cleared_state_reads_as_none()
    {
        var db = await pg.CreateDatabaseAsync();
        await using var cluster = await PostgresCluster.StartAsync(db, silos: 1);
        var (storage, _) = Storage(cluster);
        var state = new GrainState<CitySettings>(new CitySettings("v1"));
        await storage.WriteStateAsync(State, Id(0), state);
        await storage.WriteStateAsync(State, Id(0), state);
        Assert.Equal("2", state.ETag);

        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            storage.ClearStateAsync(State, Id(0), new GrainState<CitySettings>(new CitySettings("stale"), "1") { RecordExists = true }));
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            storage.ClearStateAsync(State, Id(0), new GrainState<CitySettings>(new CitySettings("never read"))));
        await storage.ClearStateAsync(State, Id(0), state);
        Assert.Equal(("3", false), (state.ETag, state.RecordExists));

        var read = new GrainState<CitySettings>(new CitySettings("fresh"));
        await storage.ReadStateAsync(State, Id(0), read);
        Assert.Equal(("fresh", "3", false), (read.State!.Name, read.ETag, read.RecordExists));

        // A stale writer cannot bring the cleared state back; the holder of the current version can.
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            storage.WriteStateAsync(State, Id(0), new GrainState<CitySettings>(new CitySettings("zombie"))));
        read.State = new CitySettings("v4");
        await storage.WriteStateAsync(State, Id(0), read);
        Assert.Equal(("4", true), (read.ETag, read.RecordExists));

        // Clearing a state that was never stored is a no-op.
        var never = new GrainState<CitySettings>();
        await storage.ClearStateAsync(State, Id(9), never);
        Assert.Equal((null, false), (never.ETag, never.RecordExists));
    }

    /// <summary>
    /// Holds the writer on a locked row, starts <paramref name="writes"/> while it waits (so they queue up and form
    /// the next batches), then lets it go; returns the writes once they have all finished.
    /// </summary>
    static async Task<Task[]> InOneBatch(string db, IGrainStorage storage, Func<Task[]> writes)
    {
        var blocker = GrainId.Create("gc-test", "blocker");
        var blockerState = new GrainState<CitySettings>(new CitySettings("blocker"));
        await storage.WriteStateAsync(State, blocker, blockerState);
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM gridgov_grain_state WHERE state_name = @n AND grain_id = @g FOR UPDATE", connection, tx))
        {
            lockRow.Parameters.AddWithValue("n", State);
            lockRow.Parameters.AddWithValue("g", blocker.ToString());
            await lockRow.ExecuteNonQueryAsync();
        }
        var blocked = storage.WriteStateAsync(State, blocker, blockerState);
        await DurabilityCluster.Eventually(
            async () => (long)(await Db.Rows(db, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"))[0][0]!,
            waiting => waiting > 0);
        var started = writes();
        await tx.RollbackAsync();
        await blocked;
        try { await Task.WhenAll(started); } catch (Exception) { /* inspected by the caller */ }
        return started;
    }

    /// <summary>
    /// Not a timed assertion: writes/s and process CPU per write with 256 concurrent writers, each rewriting its own
    /// cell's patrol state, through Orleans' ADO.NET storage (the silo's PubSubStore, same serializer, same server)
    /// and through <see cref="PostgresGrainStorage"/>, in the same run.
    /// </summary>
    [Fact]
    public async Task Write_throughput_of_the_AdoNet_storage_and_the_group_commit_storage()
    {
        var db = await pg.CreateDatabaseAsync();
        await using var cluster = await PostgresCluster.StartAsync(db, silos: 1);
        var services = cluster.Cluster.GetSiloServiceProvider();
        var adoNet = new StorageFailureMapping(services.GetRequiredKeyedService<IGrainStorage>("PubSubStore"));
        var (grouped, inner) = Storage(cluster);
        const int writers = 256;
        var duration = TimeSpan.FromSeconds(4);
        output.WriteLine($"server: {(pg.IsLocal ? PostgresServerSettings : "external")}; {writers} writers, {duration.TotalSeconds:F0} s each, {Environment.ProcessorCount} cores");
        foreach (var round in new[] { 1, 2 })
            foreach (var (name, storage) in new[] { ("ADO.NET (OrleansStorage)", adoNet), ("group commit (gridgov_grain_state)", grouped) })
            {
                var (batches0, written0) = (inner.Batches, inner.Written);
                var (count, seconds, cpu) = await Run(storage, $"bench{round}", writers, duration);
                var batches = inner.Batches - batches0;
                var rows = batches == 0 ? "" : $", {(double)(inner.Written - written0) / batches:F1} rows/statement";
                output.WriteLine($"round {round} {name,-36} {count / seconds,8:F0} writes/s  {cpu.TotalMicroseconds / count,6:F0} µs CPU/write{rows}");
            }
    }

    static string PostgresServerSettings => GridGov.Testing.PostgresServer.LocalSettings;

    static async Task<(long Count, double Seconds, TimeSpan Cpu)> Run(IGrainStorage storage, string state, int writers, TimeSpan duration)
    {
        var states = new GrainState<CellPatrolState>[writers];
        for (var k = 0; k < writers; k++)
        {
            var patrol = new CellPatrolState();
            patrol.Points = patrol.Points.Add($"p{k}", new PointPatrol(null, [DurabilityClock.Monday8], new DateOnly(2026, 11, 23)));
            states[k] = new GrainState<CellPatrolState>(patrol);
            await storage.WriteStateAsync(state, GrainId.Create("cell", $"bench-{k}"), states[k]);
        }
        async Task<long> Loop(TimeSpan length)
        {
            var stop = Stopwatch.StartNew();
            var tasks = Enumerable.Range(0, writers).Select(k => Task.Run(async () =>
            {
                long n = 0;
                var id = GrainId.Create("cell", $"bench-{k}");
                while (stop.Elapsed < length)
                {
                    await storage.WriteStateAsync(state, id, states[k]);
                    n++;
                }
                return n;
            })).ToArray();
            return (await Task.WhenAll(tasks)).Sum();
        }
        await Loop(TimeSpan.FromSeconds(1));   // warm-up
        using var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var count = await Loop(duration);
        var seconds = watch.Elapsed.TotalSeconds;
        process.Refresh();
        return (count, seconds, process.TotalProcessorTime - cpu0);
    }
}
