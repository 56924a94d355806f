using System.Diagnostics;
using GridGov.Grains;
using Microsoft.Extensions.Logging;

namespace GridGov.DemoCity;

/// <summary>What <see cref="DemoCityLoader.LoadAsync"/> did: how many of each, and how long each phase took.</summary>
/// <param name="WeightVersion">The weight-set version the catalog made.</param>
/// <param name="RoutePoints">Points over all routes the cells proposed and were given.</param>
public sealed record DemoCityLoadReport(
    string CityCode,
    int Jurisdictions,
    int Categories,
    int PointTypes,
    int Units,
    int Deadlines,
    int WeightVersion,
    int Inspectors,
    int Cells,
    int Backups,
    int Points,
    int Routes,
    int RoutePoints,
    int Quotas,
    TimeSpan Elapsed,
    DemoCityLoadPhase[] Phases);

/// <summary>One phase of a load: its grain calls and wall time.</summary>
public sealed record DemoCityLoadPhase(string Name, int Calls, TimeSpan Elapsed);

/// <summary>Loads a <see cref="DemoCityPlan"/> into a fresh cluster through the grain interfaces, as a supervisor would.</summary>
public static class DemoCityLoader
{
    /// <summary>The supervisor (监督员) the loader acts as.</summary>
    public static Actor LoaderActor(string cityCode) => new("demo-loader", Role.Supervisor, cityCode);

    /// <summary>Jurisdictions defined per call (one write of the city's tree each).</summary>
    const int JurisdictionChunk = 500;

    /// <summary>
    /// Loads the plan: city settings and jurisdictions (parents first); categories, point types, units, deadlines and
    /// weights; inspectors; cells with backups and duty lists; points; each cell's proposed route with its windows;
    /// quotas. Independent calls run with at most <paramref name="parallelism"/> in flight. Meant for a fresh cluster:
    /// it does not reconcile with what is already there, and stops at the first refused command.
    /// </summary>
    public static async Task<DemoCityLoadReport> LoadAsync(
        IGrainFactory grains,
        DemoCityPlan plan,
        ILogger? logger = null,
        int parallelism = 32,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);

        var run = new Run(logger, parallelism, ct);
        var actor = LoaderActor(plan.CityCode);
        var city = grains.GetGrain<ICityGrain>(plan.CityCode);
        var catalog = grains.GetGrain<ICatalogGrain>(plan.CityCode);
        var total = Stopwatch.StartNew();
        logger?.LogInformation(
            "Loading demo city {City}: {Cells} cells, {Points} points, {Inspectors} inspectors, {Units} units",
            plan.CityCode, plan.Cells.Length, plan.CountPoints(), plan.Inspectors.Length, plan.Units.Length);

        await run.Phase("city", [plan.Settings], _ => plan.CityCode, async (s, _) => await city.Configure(s));
        foreach (var level in Enum.GetValues<JurisdictionLevel>())
        {
            // One write per chunk of a level: the city stores its whole tree, so one node per write is quadratic.
            var chunks = plan.Jurisdictions.Where(n => n.Level == level).Chunk(JurisdictionChunk).ToArray();
            if (chunks.Length > 0)
                await run.Phase($"jurisdictions:{level}", chunks, c => c[0].Code, async (c, _) => await city.DefineJurisdictions(c));
        }

        // Categories first: point-type checklists and deadlines refer to them.
        await run.Phase("categories", plan.Categories, c => c.Code, async (c, _) => await catalog.DefineCategory(c));
        await run.Phase("point-types", plan.PointTypes, t => t.Code, async (t, _) => await catalog.DefinePointType(t));
        await run.Phase("units", plan.Units, u => u.Id, async (u, _) => await catalog.DefineUnit(u));
        await run.Phase("deadlines", plan.Deadlines, d => $"{d.Category}/{d.Severity}", async (d, _) => await catalog.SetDeadlines(d));
        var weightVersion = 0;
        await run.Phase("weights", [plan.Weights], _ => "weights", async (w, _) =>
            weightVersion = (await catalog.SetWeights(w.Weights, w.YellowBelow, w.RedBelow, actor)).Version);

        await run.Phase("inspectors", plan.Inspectors, i => i.Id,
            async (i, _) => await grains.GetGrain<IInspectorGrain>(i.Id).Register(i.Registration));

        var backups = 0;
        await run.Phase("cells", plan.Cells, c => c.Code, async (c, _) =>
        {
            var cell = grains.GetGrain<ICellGrain>(c.Code);
            await cell.Create(c.Cell, actor);
            foreach (var backup in c.BackupInspectorIds)
            {
                await cell.AddBackup(backup, actor);
                Interlocked.Increment(ref backups);
            }
            await cell.SetDutyList(c.DutyList, actor);
        });

        var points = plan.EnumeratePoints().ToArray();
        await run.Phase("points", points, p => p.Id,
            async (p, _) => await grains.GetGrain<IInspectionPointGrain>(p.Id).Create(p, actor));

        var routePoints = 0;
        var routed = plan.Cells.Where(c => c.Points.Length > 0).ToArray();
        await run.Phase("routes", routed, c => c.Code, async (c, _) =>
        {
            var cell = grains.GetGrain<ICellGrain>(c.Code);
            var order = await cell.ProposeRoute(c.PrimaryInspectorId);
            await cell.SetRoute(new PatrolRoute(c.PrimaryInspectorId, order, c.Windows), actor);
            Interlocked.Add(ref routePoints, order.Length);
        });

        await run.Phase("quotas", plan.Inspectors, i => i.Id,
            async (i, _) => await grains.GetGrain<IInspectorGrain>(i.Id).SetQuota(i.Quota, actor));

        total.Stop();
        var report = new DemoCityLoadReport(
            plan.CityCode,
            plan.Jurisdictions.Length,
            plan.Categories.Length,
            plan.PointTypes.Length,
            plan.Units.Length,
            plan.Deadlines.Length,
            weightVersion,
            plan.Inspectors.Length,
            plan.Cells.Length,
            backups,
            points.Length,
            routed.Length,
            routePoints,
            plan.Inspectors.Length,
            total.Elapsed,
            [.. run.Phases]);
        logger?.LogInformation("Loaded demo city {City} in {Elapsed}", plan.CityCode, total.Elapsed);
        return report;
    }

    /// <summary>Runs phases one after another, the calls inside a phase concurrently, and times them.</summary>
    sealed class Run(ILogger? logger, int parallelism, CancellationToken ct)
    {
        public List<DemoCityLoadPhase> Phases { get; } = [];

        public async Task Phase<T>(string name, IReadOnlyCollection<T> items, Func<T, string> key, Func<T, CancellationToken, ValueTask> call)
        {
            ct.ThrowIfCancellationRequested();
            var watch = Stopwatch.StartNew();
            var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct };
            await Parallel.ForEachAsync(items, options, async (item, token) =>
            {
                try
                {
                    await call(item, token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger?.LogError(ex, "Demo city load failed in phase {Phase} at {Item}", name, key(item));
                    throw;
                }
            });
            watch.Stop();
            Phases.Add(new DemoCityLoadPhase(name, items.Count, watch.Elapsed));
            logger?.LogInformation("Demo city phase {Phase}: {Calls} calls in {Elapsed}", name, items.Count, watch.Elapsed);
        }
    }
}
