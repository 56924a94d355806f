using GridGov.Testing;
using System.Collections.Concurrent;
using System.Diagnostics;
using GridGov.Api.Auth;
using GridGov.Api.Hosting;
using GridGov.DemoCity;
using GridGov.Grains.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace GridGov.LoadSim;

/// <summary>A cell the simulated day works in: its primary inspector, its route's points and a category its duty list routes.</summary>
public sealed record CellTarget(string Code, Actor Inspector, RoutePoint[] Points, string Category);

public sealed record RoutePoint(string Id, GeoPoint Location);

/// <summary>A reported ticket waiting for the rest of its loop; its unit is learnt when it is dispatched.</summary>
public sealed class TicketRef(string id, CellTarget cell)
{
    public string Id => id;
    public CellTarget Cell => cell;
    public string? UnitId { get; set; }
}

/// <summary>One GridGov host (real API with co-hosted silo) with one demo city loaded and every grain activated.</summary>
public sealed class CityRun : IAsyncDisposable
{
    public required WebApplication App { get; init; }
    public required DemoCityPlan Plan { get; init; }
    public required SimClock Clock { get; init; }
    public Uri BaseAddress => new(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    public IGrainFactory Grains => App.Services.GetRequiredService<IGrainFactory>();
    public CellTarget[] Targets { get; private set; } = [];
    public string District { get; private set; } = "";
    public int DistrictCells { get; private set; }
    public Actor Supervisor => new("sup-loadsim", Role.Supervisor, Plan.CityCode);
    public Actor Platform => new("p-10001", Role.Platform, Plan.CityCode);

    readonly ConcurrentDictionary<Actor, string> _tokens = new();

    public string Token(Actor actor) => _tokens.GetOrAdd(actor, a => App.Services.GetRequiredService<TokenService>().Mint(a, TimeSpan.FromHours(12)));

    public static Actor Handler(string unitId) => new("handler-" + unitId, Role.Handler, unitId);

    /// <summary>Builds and starts the real API host (co-hosted silo); PostgreSQL mode when <paramref name="connectionString"/> is set.</summary>
    public static async Task<CityRun> StartAsync(DemoCityPlan plan, SimClock clock, string? connectionString, IEnumerable<string>? hostSettings = null)
    {
        List<string> args =
        [
            "--urls=http://127.0.0.1:0",
            $"--GridGov:SiloPort={PostgresServer.FreePort()}",
            $"--GridGov:GatewayPort={PostgresServer.FreePort()}",
            "--GridGov:RateLimit:PermitsPerSecond=100000000",
            "--GridGov:RateLimit:Burst=100000000",
            "--GridGov:ClusterId=loadsim", "--GridGov:ServiceId=loadsim",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Orleans=Error",
        ];
        if (connectionString is not null) args.Add($"--ConnectionStrings:GridGov={connectionString}");
        foreach (var setting in hostSettings ?? []) args.Add("--" + setting);
        var app = GridGovApi.Build([.. args], clock);
        await app.StartAsync();
        return new CityRun { App = app, Plan = plan, Clock = clock };
    }

    /// <summary>
    /// Activates every cell and point (a read on each), learns each cell's route, and picks the jurisdiction whose
    /// cell count is closest to 1,000 as "the district". Returns how many grain calls it made.
    /// </summary>
    public async Task<int> ActivateAll(int parallelism = 64)
    {
        var inspectors = Plan.Inspectors.ToDictionary(i => i.Id);
        var targets = new ConcurrentBag<CellTarget>();
        var calls = 0;
        await Parallel.ForEachAsync(Plan.Cells, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (c, _) =>
        {
            var cell = Grains.GetGrain<ICellGrain>(c.Code);
            await cell.Get();
            var routes = await cell.GetRoutes();
            Interlocked.Add(ref calls, 2);
            foreach (var p in c.Points)
            {
                await Grains.GetGrain<IInspectionPointGrain>(p.Id).Get();
                Interlocked.Increment(ref calls);
            }
            var route = routes.FirstOrDefault(r => r.InspectorId == c.PrimaryInspectorId);
            if (route is null || route.PointIds.Length == 0) return;
            var byId = c.Points.ToDictionary(p => p.Id);
            var inspector = inspectors[c.PrimaryInspectorId];
            targets.Add(new CellTarget(c.Code, new Actor(inspector.Id, Role.Inspector, inspector.Registration.Jurisdiction),
                route.PointIds.Select(id => new RoutePoint(id, byId[id].Location)).ToArray(), c.DutyList[0].Category));
        });
        Targets = [.. targets.OrderBy(t => t.Code, StringComparer.Ordinal)];
        // Cells per jurisdiction, counted up each cell's ancestors (not every jurisdiction against every cell).
        var counts = Plan.Cells.SelectMany(c => JurisdictionCode.AncestorsOf(c.Code)).CountBy(code => code).ToArray();
        // The smallest jurisdiction of at least 1,000 cells, the deepest of equal ones (a bigger city's streets are
        // smaller, its districts bigger); a city of fewer cells is queried whole.
        (District, DistrictCells) = counts.Where(j => j.Value >= 1_000).OrderBy(j => j.Value).ThenByDescending(j => j.Key.Length)
            .Append(counts.MaxBy(j => j.Value)).Select(j => (j.Key, j.Value)).First();
        return calls;
    }

    /// <summary>Orleans' own count of activations on the silo.</summary>
    public async Task<int> Activations()
    {
        var stats = await Grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return stats.Sum(s => s.ActivationCount);
    }

    public IEventJournal Journal => App.Services.GetRequiredService<IEventJournal>();

    public async ValueTask DisposeAsync()
    {
        try { await App.StopAsync(); }
        finally { await App.DisposeAsync(); }
    }

    /// <summary>Managed heap after a full blocking compacting collection, and the process working set.</summary>
    public static (long Heap, long WorkingSet) Memory()
    {
        for (var i = 0; i < 2; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        using var process = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: true), process.WorkingSet64);
    }
}
