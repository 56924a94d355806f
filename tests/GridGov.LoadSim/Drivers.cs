using System.Collections.Concurrent;
using System.Text.Json;
using GridGov.Grains.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.LoadSim;

/// <summary>Operation names, as they appear in the report.</summary>
public static class Ops
{
    public const string CheckIn = "check-in";
    public const string Report = "report";
    public const string Transition = "ticket transition";
    public const string CellLive = "live state: one cell";
    public const string DistrictLive = "live state: 1,000-cell district";
    public static readonly string[] All = [CheckIn, Report, Transition, CellLive, DistrictLive];

    /// <summary>Short command-line names (<c>--ops</c>) of the operations.</summary>
    public static readonly IReadOnlyDictionary<string, string> ByKey = new Dictionary<string, string>
    {
        ["check-in"] = CheckIn, ["report"] = Report, ["transition"] = Transition, ["cell-live"] = CellLive, ["district-live"] = DistrictLive,
    };
}

/// <summary>How many check-ins the system said were counted, and a sample to verify afterwards.</summary>
public sealed class CheckInTally
{
    long _counted, _notCounted;
    public readonly ConcurrentQueue<(string PointId, string CellCode, DateTimeOffset At)> Samples = new();
    public long Counted => Interlocked.Read(ref _counted);
    public long NotCounted => Interlocked.Read(ref _notCounted);

    public void Add(bool counted, string pointId, string cellCode, DateTimeOffset at, long i)
    {
        if (counted) Interlocked.Increment(ref _counted); else Interlocked.Increment(ref _notCounted);
        if (i % 997 == 0 && Samples.Count < 50) Samples.Enqueue((pointId, cellCode, at));
    }
}

/// <summary>A driver plays each operation of the day against a city for a while and returns its figures.</summary>
public abstract class Driver(CityRun city, LoadSimOptions options)
{
    protected CityRun City => city;
    protected LoadSimOptions Options => options;
    public abstract string Name { get; }
    public abstract int Workers { get; }
    public CheckInTally Tally { get; } = new();
    public ConcurrentQueue<TicketRef> Tickets { get; } = new();
    public ConcurrentDictionary<string, long> ErrorSamples { get; } = new();
    static readonly string[] Evidence = ["photo://loadsim.jpg"];

    protected void OnError(Exception e)
    {
        var key = e.GetType().Name + ": " + (e.Message.Length > 160 ? e.Message[..160] : e.Message);
        if (ErrorSamples.Count < 20 || ErrorSamples.ContainsKey(key)) ErrorSamples.AddOrUpdate(key, 1, (_, n) => n + 1);
    }

    protected (CellTarget Cell, RoutePoint Point) Pick()
    {
        var targets = City.Targets;
        var cell = targets[Random.Shared.Next(targets.Length)];
        return (cell, cell.Points[Random.Shared.Next(cell.Points.Length)]);
    }

    /// <summary>About 10 m north of the point: inside the 50 m check-in radius.</summary>
    protected static GeoPoint Near(RoutePoint p) => new(p.Location.Lat + 0.00009, p.Location.Lon);

    public abstract Task<bool?> CheckIn(int worker, long i);
    /// <summary>Files a report and queues its ticket for the transition loop.</summary>
    public async Task<bool?> Report(int worker, long i)
    {
        Tickets.Enqueue(await ReportOne());
        return true;
    }

    public abstract Task<bool?> CellLive(int worker, long i);
    public abstract Task<bool?> DistrictLive(int worker, long i);
    protected abstract Task<TicketRef> ReportOne();
    protected abstract Task Step(TicketRef ticket, int step);

    readonly ConcurrentDictionary<int, (TicketRef Ticket, int Step)> _inLoop = new();

    /// <summary>Moves a worker's ticket one stage on: accept, dispatch, handle, verify, close; then takes the next ticket.</summary>
    public async Task<bool?> Transition(int worker, long i)
    {
        if (!_inLoop.TryGetValue(worker, out var current))
        {
            if (!Tickets.TryDequeue(out var next)) next = await ReportOne();
            _inLoop[worker] = (next, 0);
            return null;
        }
        try
        {
            await Step(current.Ticket, current.Step);
        }
        catch
        {
            _inLoop.TryRemove(worker, out _);
            throw;
        }
        if (current.Step == 4) _inLoop.TryRemove(worker, out _);
        else _inLoop[worker] = (current.Ticket, current.Step + 1);
        return true;
    }

    /// <summary>Drives <paramref name="op"/> unmeasured for the warm-up, then measures it for <paramref name="duration"/>.</summary>
    public async Task<OpStats> Run(string op, TimeSpan duration)
    {
        Func<int, long, Task<bool?>> call = op switch
        {
            Ops.CheckIn => CheckIn,
            Ops.Report => Report,
            Ops.Transition => Transition,
            Ops.CellLive => CellLive,
            Ops.DistrictLive => DistrictLive,
            _ => throw new ArgumentOutOfRangeException(nameof(op)),
        };
        var warm = await Warmup(call);
        using var sampler = Options.AllocationTypes > 0 ? new AllocationSampler() : null;
        sampler?.Start();
        var visits = City.App.Services.GetRequiredService<InspectorVisits>();
        var messages0 = visits.Messages;
        var activations0 = ActivationCounter.Now;
        var stats = await LoadLoop.Run(op, Name, Workers, duration, call, OnError, op == Ops.DistrictLive ? $"{City.District} ({City.DistrictCells} cells)" : null);
        stats.WarmupSeconds = warm;
        stats.InspectorMessagesPerOp = stats.Count == 0 ? 0 : (double)(visits.Messages - messages0) / stats.Count;
        var activations = ActivationCounter.Now;
        (stats.ActivationsCreated, stats.ActivationsDestroyed) = (activations.Created - activations0.Created, activations.Destroyed - activations0.Destroyed);
        if (sampler is not null)
            Options.Log($"  {Name} {op}: most allocated (sampled): " + string.Join(", ", sampler.Stop(Options.AllocationTypes).Select(t => $"{t.Type} {t.Share:P0}")));
        return stats;
    }

    /// <summary>Runs <paramref name="call"/> unmeasured until it is warm (its errors still show in the samples); the seconds it took.</summary>
    public async Task<double> Warmup(Func<int, long, Task<bool?>> call) =>
        (await LoadLoop.Warmup(Name, Workers, Options.WarmupSeconds, call, OnError)).Seconds;

    protected static ReportIssue Issue(CellTarget cell, RoutePoint p) =>
        new(cell.Category, Severity.Normal, TicketSource.Inspector, p.Location, "loadsim: overflowing bins", Evidence, p.Id);

    protected static string[] EvidenceOf => Evidence;
}

/// <summary>Drives the grains directly through the co-hosted silo's grain factory.</summary>
public sealed class GrainDriver(CityRun city, LoadSimOptions options) : Driver(city, options)
{
    public override string Name => "grains";
    public override int Workers => Options.GrainWorkers;

    public override async Task<bool?> CheckIn(int worker, long i)
    {
        var (cell, p) = Pick();
        // As the API does once it knows the point's cell: one call, the cell checks the whole check-in.
        var record = await City.Grains.GetGrain<ICellGrain>(cell.Code).CheckIn(p.Id, new GridGov.CheckIn(cell.Inspector.Id, Near(p)));
        Tally.Add(record.Counted, p.Id, cell.Code, record.At, i);
        return true;
    }

    protected override async Task<TicketRef> ReportOne()
    {
        var (cell, p) = Pick();
        // The city's intake, as the API files an inspector's report.
        var receipt = await City.Grains.GetGrain<ITicketIntakeGrain>(City.Plan.CityCode).Report(Issue(cell, p), cell.Inspector);
        return new TicketRef(receipt.TicketId, cell);
    }

    protected override async Task Step(TicketRef t, int step)
    {
        var g = City.Grains.GetGrain<ITicketGrain>(t.Id);
        switch (step)
        {
            case 0: await g.Accept(City.Supervisor); break;
            case 1: t.UnitId = (await g.Dispatch(City.Supervisor)).UnitId; break;
            case 2: await g.Handle(CityRun.Handler(t.UnitId!), EvidenceOf); break;
            case 3: await g.Verify(t.Cell.Inspector, true, EvidenceOf); break;
            default: await g.Close(City.Supervisor); break;
        }
    }

    public override async Task<bool?> CellLive(int worker, long i)
    {
        var (cell, _) = Pick();
        var live = await City.Grains.GetGrain<ICellGrain>(cell.Code).GetLiveState();
        return live.Code == cell.Code;
    }

    public override async Task<bool?> DistrictLive(int worker, long i)
    {
        var state = await City.Grains.GetGrain<IJurisdictionGrain>(City.District).GetState();
        return state.Code == City.District;
    }
}

/// <summary>Drives the real GraphQL endpoint over HTTP with many concurrent clients, each call with the right role's token.</summary>
public sealed class GraphQLDriver : Driver, IDisposable
{
    const string CheckInDoc = "mutation($p:String!,$pos:GeoPointInput!){ checkIn(pointId:$p, position:$pos){ pointId cellCode at counted } }";
    const string ReportDoc = "mutation($cat:String!,$loc:GeoPointInput!,$p:String!){ reportIssue(category:$cat, severity:NORMAL, source:INSPECTOR, location:$loc, pointId:$p, description:\"loadsim: overflowing bins\", evidence:[\"photo://loadsim.jpg\"]){ id stage unitId } }";
    const string CellLiveDoc = "query($c:String!){ cellLive(code:$c){ onDutyInspectorId pointsDue pointsVisitedToday coverageToday overdue openByStage { stage count } } }";
    const string DistrictLiveDoc = "query($j:String!){ jurisdictionLive(code:$j){ openByStage { stage count } overdue pointsVisitedToday pointsDue } }";
    static readonly string[] StepDocs =
    [
        "mutation($id:String!){ acceptTicket(id:$id){ id stage } }",
        "mutation($id:String!){ dispatchTicket(id:$id){ id stage unitId } }",
        "mutation($id:String!){ handleTicket(id:$id, evidence:[\"photo://fixed.jpg\"]){ id stage } }",
        "mutation($id:String!){ verifyTicket(id:$id, passed:true, evidence:[\"photo://checked.jpg\"]){ id stage } }",
        "mutation($id:String!){ closeTicket(id:$id, note:\"done\"){ id stage } }",
    ];

    readonly GraphQLClient _client;

    public GraphQLDriver(CityRun city, LoadSimOptions options) : base(city, options) =>
        _client = new GraphQLClient(city.BaseAddress, options.Clients, city.Token);

    public override string Name => "graphql";
    public override int Workers => Options.Clients;

    /// <summary>
    /// Every actor the runs use sends one request first, as each inspector's phone has signed in before the peak hour:
    /// the API validates a token in full once and then keeps it (up to <see cref="Api.Auth.TokenService.MaxCachedTokens"/>),
    /// so the runs measure the steady state, not each inspector's first request. The actors and the seconds it took.
    /// </summary>
    public async Task<(int Actors, double Seconds)> SignIn()
    {
        var actors = City.Targets.Select(t => t.Inspector).Append(City.Supervisor).Append(City.Platform).Distinct().ToArray();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Parallel.ForEachAsync(actors, new ParallelOptions { MaxDegreeOfParallelism = Options.Clients }, async (actor, _) =>
        {
            var me = await Send(actor, "{ me { id } }", new { });
            if (me.GetProperty("me").GetProperty("id").GetString() != actor.Id) throw new InvalidOperationException($"Signed in as someone else than {actor.Id}.");
        });
        return (actors.Length, watch.Elapsed.TotalSeconds);
    }

    async Task<JsonElement> Send(Actor actor, string query, object variables)
    {
        var (data, error) = await _client.Send(actor, query, variables);
        return data ?? throw new InvalidOperationException(error);
    }

    public override async Task<bool?> CheckIn(int worker, long i)
    {
        var (cell, p) = Pick();
        var near = Near(p);
        var r = (await Send(cell.Inspector, CheckInDoc, new { p = p.Id, pos = new { lat = near.Lat, lon = near.Lon } })).GetProperty("checkIn");
        Tally.Add(r.GetProperty("counted").GetBoolean(), p.Id, cell.Code, r.GetProperty("at").GetDateTimeOffset(), i);
        return true;
    }

    protected override async Task<TicketRef> ReportOne()
    {
        var (cell, p) = Pick();
        var r = (await Send(cell.Inspector, ReportDoc, new { cat = cell.Category, loc = new { lat = p.Location.Lat, lon = p.Location.Lon }, p = p.Id })).GetProperty("reportIssue");
        return new TicketRef(r.GetProperty("id").GetString()!, cell);
    }

    protected override async Task Step(TicketRef t, int step)
    {
        var actor = step switch
        {
            2 => CityRun.Handler(t.UnitId!),
            3 => t.Cell.Inspector,
            _ => City.Supervisor,
        };
        var data = await Send(actor, StepDocs[step], new { id = t.Id });
        if (step == 1) t.UnitId = data.GetProperty("dispatchTicket").GetProperty("unitId").GetString();
    }

    public override async Task<bool?> CellLive(int worker, long i)
    {
        var (cell, _) = Pick();
        var r = await Send(City.Platform, CellLiveDoc, new { c = cell.Code });
        return r.GetProperty("cellLive").ValueKind == JsonValueKind.Object;
    }

    public override async Task<bool?> DistrictLive(int worker, long i)
    {
        var r = await Send(City.Platform, DistrictLiveDoc, new { j = City.District });
        return r.GetProperty("jurisdictionLive").ValueKind == JsonValueKind.Object;
    }

    public void Dispose() => _client.Dispose();
}
