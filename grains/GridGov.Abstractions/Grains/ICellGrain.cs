namespace GridGov.Grains;

/// <summary>A grid cell (网格, key: 16-digit cell code): boundary, people, duty list, points, routes, windows and patrol records.</summary>
public interface ICellGrain : IWakeable
{
    Task<CellInfo> Create(CreateCell command, Actor by);
    Task<CellInfo> Get();
    /// <summary>Renames and/or redraws the cell; a new boundary must keep every point inside and overlap no other cell.</summary>
    Task<CellInfo> Update(string? name, string? polygonGeoJson, Actor by);
    Task<CellInfo> Retire(Actor by, string reason);

    // 定人
    /// <summary>Makes <paramref name="inspectorId"/> the primary in place of <paramref name="replaces"/>, which must name the current primary.</summary>
    Task<CellInfo> AssignPrimary(string inspectorId, string replaces, Actor by);
    Task<CellInfo> AddBackup(string inspectorId, Actor by);
    Task<CellInfo> RemoveBackup(string inspectorId, Actor by);
    Task<Assignment[]> GetAssignmentHistory();
    /// <summary>Finds a backup to stand in for the primary over a leave; refused when none is free.</summary>
    Task<string> ArrangeCover(string primaryId, DateTimeOffset from, DateTimeOffset to);
    Task CancelCover(string primaryId, DateTimeOffset from, DateTimeOffset to);
    Task<string> OnDutyAt(DateTimeOffset at);
    /// <summary>Whether the inspector is the primary or a backup of this active cell now.</summary>
    Task<bool> IsAssigned(string inspectorId);

    // 定责
    Task<CellInfo> SetDutyList([Immutable] DutyEntry[] entries, Actor by);
    /// <summary>The unit a ticket of this category (at this point, if any) goes to; refused if none.</summary>
    Task<string> ResolveUnit(string category, string? pointId);

    // Points
    Task AddPoint(PointSummary point);
    Task RemovePoint(string pointId);

    // 定线 and 定时
    Task<PatrolRoute> SetRoute(PatrolRoute route, Actor by);
    Task<string[]> ProposeRoute(string inspectorId);
    Task<PatrolRoute[]> GetRoutes();
    Task<RouteProgress[]> GetProgress();
    /// <summary>
    /// The whole check-in at one of this cell's points: refused when the point is not in this cell (NOT_FOUND), when
    /// the inspector is not assigned here (before distance) or too far from the point (定质); kept but not counted
    /// outside every window (定时).
    /// </summary>
    Task<CheckInRecord> CheckIn(string pointId, CheckIn checkIn);
    /// <summary>The last check-in at one of this cell's points, if any (memory only: never waits behind a check-in).</summary>
    [AlwaysInterleave] Task<CheckInRecord?> GetLastCheckIn(string pointId);
    Task<MissedPoint[]> GetMissedPoints();
    Task<WindowOutcome[]> GetWindowOutcomes();

    // Tickets
    /// <summary>
    /// Opens a ticket for the report or, given the report's <paramref name="category"/> to check duplicates by, answers
    /// with this cell's nearest open duplicate (or <paramref name="elsewhere"/>, a neighbour cell's, when nearer) for
    /// the caller to attach the report to.
    /// </summary>
    Task<ReportReceipt> ReportTicket(ReportIssue report, Actor reporter, string receiptId, Category? category = null, DuplicateMatch? elsewhere = null);
    /// <summary>This cell's open ticket the report would duplicate under the category's thresholds, if any.</summary>
    Task<DuplicateMatch?> FindDuplicate(Category category, GeoPoint at);
    /// <summary>A ticket of this cell moved; the cell keeps open tickets by stage for retirement and live state.</summary>
    Task TicketChanged(string ticketId, TicketStage stage, bool overdue);
    Task<CellLiveState> GetLiveState();
}
