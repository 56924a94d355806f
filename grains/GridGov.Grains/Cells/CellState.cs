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
/// What check-ins change, kept apart from the cell's definition so a check-in writes only this small state.
/// </summary>
[GenerateSerializer]
public sealed class CellPatrolState
{
    /// <summary>Counted check-in times per point (one per open window), for closing windows.</summary>
    [Id(0)] public Dictionary<string, List<DateTimeOffset>> Counted { get; set; } = new();
    [Id(1)] public Dictionary<string, CheckInRecord> LastCheckIn { get; set; } = new();
    [Id(2)] public DateOnly VisitedDay { get; set; }
    [Id(3)] public HashSet<string> VisitedToday { get; set; } = new();
}

[GenerateSerializer, Immutable]
public sealed record OpenTicketMark(TicketStage Stage, bool Overdue, string Category = "", GeoPoint Location = default, DateTimeOffset ReportedAt = default);
