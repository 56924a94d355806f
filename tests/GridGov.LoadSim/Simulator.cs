using GridGov.Testing;
using System.Diagnostics;
using GridGov.DemoCity;
using GridGov.Grains.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.Streams;

namespace GridGov.LoadSim;

/// <summary>Plays the simulated day against each city size in each mode, measures the machine's limits, and builds the report.</summary>
public static class Simulator
{
    public static async Task<LoadReport> RunAsync(LoadSimOptions o, CancellationToken ct = default)
    {
        var report = new LoadReport { Options = o, Machine = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}" };
        PostgresServer? pg = null;
        try
        {
            if (o.Modes.Contains("postgres"))
            {
                o.Log("Starting a throwaway PostgreSQL");
                pg = await PostgresServer.StartAsync();
                report.PostgresSettings = pg.Settings;
            }
            if (o.MeasureLimits)
            {
                o.Log($"Limit: bare Kestrel, {o.Clients} clients");
                report.BareKestrel = await Limits.BareKestrel(o.Clients, o.Duration, o.WarmupSeconds);
                o.Log($"  {report.BareKestrel.Throughput:F0} req/s, cpu {report.BareKestrel.CpuUsPerOp:F0} µs/req (after {report.BareKestrel.WarmupSeconds:F0} s warm-up; jit {report.BareKestrel.JitMethods} methods)");
                if (pg is not null)
                {
                    o.Log($"Limit: raw PostgreSQL single-row write transactions, {o.PgConnections} connections");
                    report.RawPostgres = await Limits.RawPostgresWrites(await pg.CreateDatabaseAsync("loadsim_raw", maxPoolSize: 200), o.PgConnections, o.Duration, o.WarmupSeconds);
                    o.Log($"  {report.RawPostgres.Throughput:F0} tx/s, cpu {report.RawPostgres.CpuUsPerOp:F0} + pg {report.RawPostgres.PostgresCpuUsPerOp ?? 0:F0} µs/tx (after {report.RawPostgres.WarmupSeconds:F0} s warm-up; jit {report.RawPostgres.JitMethods} methods)");
                }
            }
            foreach (var mode in o.Modes)
                foreach (var cells in o.Cells.Order())
                {
                    ct.ThrowIfCancellationRequested();
                    if (mode == "postgres" && cells > o.MaxPostgresCells)
                    {
                        o.Log($"Skipping {cells} cells in PostgreSQL mode (--max-pg-cells {o.MaxPostgresCells})");
                        continue;
                    }
                    report.Cities.Add(await RunCity(o, mode, cells, pg, report));
                }
        }
        finally
        {
            if (pg is not null) await pg.DisposeAsync();
        }
        report.Evaluate();
        return report;
    }

    /// <summary>
    /// The process's CPU with no load applied, as a percentage of one core: background work (timers, reminders, the
    /// GC, the dashboard) that grows with the city shows here before it shows in every operation's cost.
    /// </summary>
    static async Task<double> IdleCpu(TimeSpan span)
    {
        var cpu0 = LoadLoop.CpuTime();
        var watch = Stopwatch.StartNew();
        await Task.Delay(span);
        return (LoadLoop.CpuTime() - cpu0).TotalMilliseconds / watch.Elapsed.TotalMilliseconds * 100;
    }

    static async Task<CityReport> RunCity(LoadSimOptions o, string mode, int cells, PostgresServer? pg, LoadReport all)
    {
        var r = new CityReport { Mode = mode, Cells = cells };
        o.Log($"== {mode}, {cells} cells × {o.PointsPerCell} points");
        var watch = Stopwatch.StartNew();
        var plan = DemoCityGenerator.Generate(DemoCityOptions.Benchmark(cells, o.PointsPerCell));
        r.Points = plan.CountPoints();
        r.Inspectors = plan.Inspectors.Length;
        r.GenerateSeconds = watch.Elapsed.TotalSeconds;
        var cs = mode == "postgres" ? await pg!.CreateDatabaseAsync("loadsim_city", maxPoolSize: 200) : null;

        var baseline = CityRun.Memory();
        var clock = SimClock.MorningWindow();
        watch.Restart();
        var city = await CityRun.StartAsync(plan, clock, cs, o.HostSettings);
        try
        {
            r.HostStartSeconds = watch.Elapsed.TotalSeconds;
            var hostOnly = CityRun.Memory();
            var activationsBefore = await city.Activations();
            watch.Restart();
            var load = await DemoCityLoader.LoadAsync(city.Grains, plan, parallelism: 64);
            r.LoadSeconds = watch.Elapsed.TotalSeconds;
            r.LoadCalls = load.Phases.Sum(p => p.Calls);
            o.Log($"  loaded in {r.LoadSeconds:F1} s ({string.Join(", ", load.Phases.Where(p => p.Elapsed.TotalSeconds > 0.5).Select(p => $"{p.Name} {p.Elapsed.TotalSeconds:F1}s"))})");
            watch.Restart();
            await city.ActivateAll();
            r.ActivateSeconds = watch.Elapsed.TotalSeconds;
            r.StartupKind = "host start + load the city + activate every cell and point";
            r.StartupSeconds = r.HostStartSeconds + r.LoadSeconds + r.ActivateSeconds;

            if (mode == "postgres")
            {
                // Start-up of a city already in the store: a fresh host on the same database, every grain read back.
                await city.DisposeAsync();
                city = null!;
                baseline = CityRun.Memory();
                watch.Restart();
                city = await CityRun.StartAsync(plan, clock, cs, o.HostSettings);
                r.HostStartSeconds = watch.Elapsed.TotalSeconds;
                hostOnly = CityRun.Memory();
                activationsBefore = await city.Activations();
                var activate = Stopwatch.StartNew();
                await city.ActivateAll();
                r.ActivateSeconds = activate.Elapsed.TotalSeconds;
                r.StartupKind = "restart on the stored city: host start + read back every cell and point";
                r.StartupSeconds = watch.Elapsed.TotalSeconds;
            }
            o.Log($"  start-up {r.StartupSeconds:F1} s ({r.StartupKind})");

            var loaded = CityRun.Memory();
            var activations = await city.Activations();
            r.ActivatedGrains = activations - activationsBefore;
            r.HostHeapBytes = hostOnly.Heap - baseline.Heap;
            r.HeapBytes = loaded.Heap;
            r.WorkingSetBytes = loaded.WorkingSet;
            r.BytesPerGrain = r.ActivatedGrains > 0 ? (double)(loaded.Heap - hostOnly.Heap) / r.ActivatedGrains : 0;
            r.District = city.District;
            r.DistrictCells = city.DistrictCells;
            r.RoutedCells = city.Targets.Length;
            o.Log($"  {r.ActivatedGrains} grains activated: {r.BytesPerGrain / 1024:F1} KiB heap each; heap {loaded.Heap / 1048576.0:F0} MiB, working set {loaded.WorkingSet / 1048576.0:F0} MiB");
            r.IdleCpuPercent = await IdleCpu(TimeSpan.FromSeconds(3));
            o.Log($"  idle: {r.IdleCpuPercent:F1} % of one core with no load");

            using var graphql = new GraphQLDriver(city, o);
            if (o.Drivers.Contains(graphql.Name))
            {
                (r.SignedInActors, r.SignInSeconds) = await graphql.SignIn();
                o.Log($"  signed in: {r.SignedInActors} actors sent one request each ({r.SignInSeconds:F1} s), so their tokens are validated and kept before the runs");
            }
            foreach (Driver driver in new Driver[] { new GrainDriver(city, o), graphql }.Where(d => o.Drivers.Contains(d.Name)))
            {
                foreach (var op in Ops.All.Where(o.Ops.Contains))
                {
                    var stats = await driver.Run(op, o.Duration);
                    // One-way work (inspector visits, live deltas) queued by the run is drained before the next run; the
                    // drain time is part of the sustainable rate.
                    stats.DrainSeconds = (await Drain(city)).TotalSeconds;
                    stats.SustainedThroughput = stats.Count / (stats.Seconds + stats.DrainSeconds);
                    r.Ops.Add(stats);
                    o.Log($"  {driver.Name,-8} {op,-32} {stats.Throughput,9:F0}/s  p50 {stats.P50Ms,7:F2}  p95 {stats.P95Ms,7:F2}  p99 {stats.P99Ms,7:F2} ms  cpu {stats.CpuUsPerOp,7:F0}{(mode == "postgres" && stats.PostgresCpuUsPerOp is { } pgCpu ? $" + pg {pgCpu:F0}" : "")} µs/op  max {stats.MaxMs,7:F1} ms  gc {stats.GcPauseMs,6:F0} ms ({string.Join('/', stats.Collections)})  alloc {stats.AllocatedBytesPerOp / 1024,6:F1} KiB/op  inspector msgs {stats.InspectorMessagesPerOp:F2}/op  activations +{stats.ActivationsCreated}/-{stats.ActivationsDestroyed}  warm-up {stats.WarmupSeconds:F0} s, then jit {stats.JitMethods} methods {stats.JitMs:F0} ms  stall {stats.LongestGapMs,6:F0} ms at {stats.LongestGapAtSeconds:F1} s  drain {stats.DrainSeconds,5:F1} s  errors {stats.Errors}");
                    if (driver == graphql && op == Ops.CheckIn) r.Ops.Add(await PacedCheckIns(o, graphql, stats, all.RawPostgres));
                }
                var verified = await VerifySamples(city, driver.Tally);
                r.CheckIns.Add(new CheckInCheck(driver.Name, driver.Tally.Counted, driver.Tally.NotCounted, verified.Sampled, verified.Confirmed));
                o.Log($"  {driver.Name}: check-ins counted {driver.Tally.Counted}, not counted {driver.Tally.NotCounted}; {verified.Confirmed}/{verified.Sampled} sampled confirmed counted by their cells");
                foreach (var (e, n) in driver.ErrorSamples) { r.ErrorSamples.Add($"{driver.Name}: {n} × {e}"); o.Log($"  error {n} × {e}"); }
            }

            if (o.Breakdown) r.Breakdown.AddRange(await Breakdown(city, o));
            await Drain(city); // let queued one-way work finish before the host stops
            var end = CityRun.Memory();
            r.WorkingSetAfterRunBytes = end.WorkingSet;
        }
        finally
        {
            if (city is not null) await city.DisposeAsync();
        }
        return r;
    }

    /// <summary>
    /// p99 of GraphQL check-ins at a fixed rate: half the target (0.5 × 40% of raw PostgreSQL writes), or half the measured
    /// closed-loop rate when there is no PostgreSQL limit. It runs straight after the closed-loop check-ins, warm and
    /// drained, so it measures check-ins, not what the report and ticket runs leave behind in the database.
    /// </summary>
    static async Task<OpStats> PacedCheckIns(LoadSimOptions o, GraphQLDriver graphql, OpStats closedLoop, OpStats? rawPostgres)
    {
        var rate = rawPostgres is { } raw ? 0.5 * 0.4 * raw.Throughput : 0.5 * closedLoop.Throughput;
        var paced = await LoadLoop.Paced(Ops.CheckIn + " @ fixed rate", "graphql", o.Clients * 4, rate, o.Duration,
            graphql.CheckIn, null, rawPostgres is not null ? "open loop at 0.5 × 0.4 × raw PostgreSQL writes/s" : "open loop at 0.5 × closed-loop rate");
        o.Log($"  paced check-ins at {rate:F0}/s: achieved {paced.Throughput:F0}/s p50 {paced.P50Ms:F2} p95 {paced.P95Ms:F2} p99 {paced.P99Ms:F2} ms errors {paced.Errors}");
        return paced;
    }

    /// <summary>Waits until every jurisdiction and inspector grain has worked through its queued messages (a read queues behind them).</summary>
    public static async Task<TimeSpan> Drain(CityRun city)
    {
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(city.Plan.Jurisdictions.Select(j => j.Code).Concat(city.Plan.Inspectors.Select(i => "I:" + i.Id)),
            new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (key, _) =>
            {
                if (key.StartsWith("I:", StringComparison.Ordinal)) await city.Grains.GetGrain<IInspectorGrain>(key[2..]).Get();
                else await city.Grains.GetGrain<IJurisdictionGrain>(key).GetState();
            });
        return watch.Elapsed;
    }

    /// <summary>Reads back a sample of acknowledged check-ins from their cells: each must be there and counted.</summary>
    static async Task<(int Sampled, int Confirmed)> VerifySamples(CityRun city, CheckInTally tally)
    {
        var sampled = 0;
        var confirmed = 0;
        foreach (var (pointId, cellCode, at) in tally.Samples)
        {
            sampled++;
            var last = await city.Grains.GetGrain<ICellGrain>(cellCode).GetLastCheckIn(pointId);
            if (last is { Counted: true } && last.At >= at && last.WindowKey is not null) confirmed++;
        }
        var live = await city.Grains.GetGrain<IJurisdictionGrain>(city.Plan.CityCode).GetState();
        return live.PointsVisitedToday > 0 ? (sampled, confirmed) : (sampled, 0);
    }

    /// <summary>Times the pieces of the check-in path one by one, through the same grain factory.</summary>
    static async Task<List<OpStats>> Breakdown(CityRun city, LoadSimOptions o)
    {
        var list = new List<OpStats>();
        var d = TimeSpan.FromSeconds(Math.Max(1, o.Seconds / 2));
        var w = o.GrainWorkers;
        var targets = city.Targets;
        (CellTarget, RoutePoint) Pick() { var c = targets[Random.Shared.Next(targets.Length)]; return (c, c.Points[Random.Shared.Next(c.Points.Length)]); }

        list.Add(await LoadLoop.Run("1 grain round trip (point.GetCellCode)", "grains", w, d, async (_, _) =>
        {
            var (_, p) = Pick();
            return await city.Grains.GetGrain<IInspectionPointGrain>(p.Id).GetCellCode() is not null;
        }));
        list.Add(await LoadLoop.Run("2 cell.CheckIn (full path, as the API: checks + state write + journal + silo batchers for events and visits)", "grains", w, d, async (_, _) =>
        {
            var (c, p) = Pick();
            return (await city.Grains.GetGrain<ICellGrain>(c.Code).CheckIn(p.Id, new GridGov.CheckIn(c.Inspector.Id, p.Location))).Counted;
        }));
        list.Add(await LoadLoop.Run("3 point.CheckIn (forwarding path: point → cell.CheckIn)", "grains", w, d, async (_, _) =>
        {
            var (c, p) = Pick();
            return (await city.Grains.GetGrain<IInspectionPointGrain>(p.Id).CheckIn(new GridGov.CheckIn(c.Inspector.Id, p.Location))).Counted;
        }));
        var journal = city.Journal;
        list.Add(await LoadLoop.Run("4 journal append alone (IEventJournal.Append, 1 record)", "journal", w, d, async (_, i) =>
        {
            var (c, p) = Pick();
            var now = city.Clock.GetUtcNow();
            var e = new GridEvent($"loadsim:{p.Id}:{now.UtcTicks}:{i}", GridEventKind.CheckIn, now, c.Code, c.Inspector.Id, p.Id, "counted", null, "loadsim");
            await journal.Append([JournalLines.Of(e)]);
            return true;
        }));
        var streams = city.App.Services.GetRequiredService<IClusterClient>().GetStreamProvider(GridStreams.Provider);
        list.Add(await LoadLoop.Run("5 stream publish alone (district stream OnNextAsync)", "stream", w, d, async (_, i) =>
        {
            var (c, p) = Pick();
            var now = city.Clock.GetUtcNow();
            var district = JurisdictionCode.AncestorAt(c.Code, JurisdictionLevel.District);
            await streams.GetStream<GridEvent>(StreamId.Create(GridStreams.Namespace, district))
                .OnNextAsync(new GridEvent($"loadsim:{p.Id}:{now.UtcTicks}:{i}", GridEventKind.CheckIn, now, c.Code, c.Inspector.Id, p.Id, "counted", null, "loadsim"));
            return true;
        }));
        list.Add(await LoadLoop.Run("6 inspector.RecordVisits (one-way, one visit: what a silo's batcher sends at least)", "grains", w, d, async (_, _) =>
        {
            var (c, p) = Pick();
            await city.Grains.GetGrain<IInspectorGrain>(c.Inspector.Id).RecordVisits([new InspectorVisit(p.Id, "loadsim", city.Clock.GetUtcNow())]);
            return true;
        }));
        // What a check-in writes, alone: each loop rewrites its own cell's stored patrol state through the silo's grain
        // storage, as CellGrain.CheckIn does (serializer + provider), without the grain around it.
        var storage = city.App.Services.GetRequiredKeyedService<IGrainStorage>(GridGovStorage.Name);
        // The serializer PostgreSQL mode stores state with (Orleans' binary one; the default IGrainStorageSerializer is JSON).
        IGrainStorageSerializer serializer = new OrleansGrainStorageSerializer(city.App.Services.GetRequiredService<Orleans.Serialization.Serializer>());
        var states = new GrainState<GridGov.Grains.Cells.CellPatrolState>[Math.Min(w, targets.Length)];
        for (var k = 0; k < states.Length; k++)
        {
            states[k] = new GrainState<GridGov.Grains.Cells.CellPatrolState>();
            await storage.ReadStateAsync("cellpatrol", GrainId.Create("cell", targets[k].Code), states[k]);
        }
        var bytes = states.Average(st => (double)serializer.Serialize(st.State).ToArray().Length);
        list.Add(await LoadLoop.Run("7 one cell's patrol state write alone (what a check-in writes)", "storage", states.Length, d, async (k, _) =>
        {
            await storage.WriteStateAsync("cellpatrol", GrainId.Create("cell", targets[k].Code), states[k]);
            return true;
        }, note: $"{bytes:N0} bytes of serialized patrol state on average"));
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var n = 0;
        while (sw.ElapsedMilliseconds < 1000) { _ = serializer.Serialize(states[n++ % states.Length].State); }
        list.Add(new OpStats("8 serialize one cell's patrol state alone (Orleans binary, as PostgreSQL mode stores it; 1 thread; CPU column = wall µs)", "serializer", n, 0, sw.Elapsed.TotalSeconds, n / sw.Elapsed.TotalSeconds,
            0, 0, 0, 0, $"{bytes:N0} bytes") { CpuUsPerOp = sw.Elapsed.TotalMicroseconds / n });
        foreach (var s in list)
            o.Log($"  breakdown {s.Op,-75} {s.Throughput,9:F0}/s  p50 {s.P50Ms,7:F2}  p99 {s.P99Ms,7:F2} ms  cpu {s.CpuUsPerOp,6:F0} µs/op  errors {s.Errors}  {s.Note}");
        return list;
    }
}
