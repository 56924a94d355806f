using System.Collections.Immutable;

namespace GridGov.Grains.Cells;

[GenerateSerializer]
public sealed class CellState
{
    [Id(0)] public string? Code { get; set; }
    [Id(1)] public string Name { get; set; } = "";
    [Id(2)] public CellStatus Status { get; set; }
    [Id(3)] public string PolygonGeoJson { get; set; } = "";
    [Id(4)] public double AreaSquareMeters { get; set; }
    [Id(5)] public string PrimaryId { get; set; } = "";
    [Id(6)] public List<string> Backups { get; set; } = new();
    /// <summary>定人 history: every primary, backup and cover assignment with its effective times.</summary>
    [Id(7)] public List<Assignment> History { get; set; } = new();
    /// <summary>定责: category → unit.</summary>
    [Id(8)] public Dictionary<string, string> Duty { get; set; } = new();
    [Id(9)] public Dictionary<string, PointSummary> Points { get; set; } = new();
    /// <summary>定线: route per inspector.</summary>
    [Id(10)] public Dictionary<string, PatrolRoute> Routes { get; set; } = new();
    /// <summary>Per route, windows ending up to this instant have been closed.</summary>
    [Id(11)] public Dictionary<string, DateTimeOffset> ClosedUntil { get; set; } = new();
    [Id(14)] public List<MissedPoint> Missed { get; set; } = new();
    [Id(15)] public List<WindowOutcome> Outcomes { get; set; } = new();
    /// <summary>Open tickets: stage, whether the stage is overdue, and what duplicate detection compares.</summary>
    [Id(16)] public Dictionary<string, OpenTicketMark> OpenTickets { get; set; } = new();
    [Id(17)] public int TicketSeq { get; set; }
}

/// <summary>
/// What check-ins change, kept apart from the cell's definition so a check-in writes only this small state. The per-point
/// records are immutable and the map is an immutable map marked <see cref="ImmutableAttribute"/>: storing the state
/// copies a reference, not every point's history, and a check-in replaces one point's record.
/// </summary>
[GenerateSerializer]
public sealed class CellPatrolState
{
    // The layout before per-point records (until 2026-11-23). Read so a stored cell keeps its history; folded into
    // Points by Upgrade and written back empty.
    [Id(0)] public Dictionary<string, List<DateTimeOffset>>? Counted { get; set; }
    [Id(1)] public Dictionary<string, CheckInRecord>? LastCheckIn { get; set; }
    [Id(2)] public DateOnly VisitedDay { get; set; }
    [Id(3)] public HashSet<string>? VisitedToday { get; set; }

    /// <summary>Patrol record of each point checked in at, by point id.</summary>
    [Id(4), Immutable]
    public ImmutableDictionary<string, PointPatrol> Points
    {
        get => _points ?? ImmutableDictionary<string, PointPatrol>.Empty;
        set => _points = value;
    }

    [NonSerialized] ImmutableDictionary<string, PointPatrol>? _points;

    /// <summary>The point's record, or an empty one.</summary>
    public PointPatrol Of(string pointId) => Points.GetValueOrDefault(pointId) ?? PointPatrol.None;

    /// <summary>
    /// Records a check-in at its point. A counted one keeps its time when it is the first since <paramref name="windowStart"/>
    /// (closing a window asks only whether a counted check-in fell inside it, so repeated check-ins do not grow the
    /// state), drops times older than <paramref name="keepSince"/> and marks the point visited on <paramref name="day"/>.
    /// True when it is the point's first counted visit that day.
    /// </summary>
    public bool Record(CheckInRecord record, DateTimeOffset windowStart, DateOnly day, DateTimeOffset keepSince)
    {
        var before = Of(record.PointId);
        if (!record.Counted)
        {
            Points = Points.SetItem(record.PointId, before with { Last = record });
            return false;
        }
        var times = before.CountedTimes.RemoveAll(t => t < keepSince);
        if (times.IsEmpty || times[^1] < windowStart) times = times.Add(record.At);
        Points = Points.SetItem(record.PointId, new PointPatrol(record, times, day));
        return before.VisitedOn != day;
    }

    /// <summary>Points visited (a counted check-in) on <paramref name="day"/>.</summary>
    public int VisitedOn(DateOnly day) => Points.Values.Count(p => p.VisitedOn == day);

    /// <summary>Forgets a point's counted times (the point left the cell); true when there were any.</summary>
    public bool ForgetCounted(string pointId)
    {
        if (Of(pointId) is not { CountedTimes.IsEmpty: false } before) return false;
        Points = Points.SetItem(pointId, before with { Counted = [] });
        return true;
    }

    /// <summary>Folds a state stored in the old layout into <see cref="Points"/>; true when there was anything to fold.</summary>
    public bool Upgrade()
    {
        if (Counted is null && LastCheckIn is null && VisitedToday is null) return false;
        var points = Points.ToBuilder();
        PointPatrol At(string id) => points.GetValueOrDefault(id) ?? PointPatrol.None;
        foreach (var (id, last) in LastCheckIn ?? []) points[id] = At(id) with { Last = last };
        foreach (var (id, times) in Counted ?? []) points[id] = At(id) with { Counted = [.. times] };
        foreach (var id in VisitedToday ?? []) points[id] = At(id) with { VisitedOn = VisitedDay };
        Points = points.ToImmutable();
        (Counted, LastCheckIn, VisitedToday, VisitedDay) = (null, null, null, default);
        return true;
    }
}

/// <summary>One point's patrol record in its cell: the last check-in, the counted times kept, and the last day visited.</summary>
[GenerateSerializer, Immutable]
public sealed record PointPatrol(CheckInRecord? Last, ImmutableArray<DateTimeOffset> Counted, DateOnly VisitedOn)
{
    public static readonly PointPatrol None = new(null, [], default);

    /// <summary><see cref="Counted"/>, empty rather than default when a stored record had none.</summary>
    public ImmutableArray<DateTimeOffset> CountedTimes => Counted.IsDefault ? [] : Counted;
}

[GenerateSerializer, Immutable]
public sealed record OpenTicketMark(TicketStage Stage, bool Overdue, string Category = "", GeoPoint Location = default, DateTimeOffset ReportedAt = default);
