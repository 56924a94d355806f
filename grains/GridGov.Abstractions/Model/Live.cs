namespace GridGov;

public enum AlertKind { MissedPatrol, TicketOverdue, QuotaShortfall, CoverageGap }

/// <summary>An alert raised by the system for a jurisdiction's supervisors.</summary>
[GenerateSerializer, Immutable]
public sealed record Alert(string Id, AlertKind Kind, DateTimeOffset At, string CellCode, string Subject, string Message);

/// <summary>A change in a jurisdiction's live counters, pushed by cells and tickets.</summary>
[GenerateSerializer, Immutable]
public sealed record LiveDelta(Dictionary<TicketStage, int> OpenByStage, int Overdue, int PointsVisitedToday, DateOnly Day, int PointsDue = 0);

/// <summary>Live state of a jurisdiction.</summary>
/// <param name="PointsDue">Must-patrol points in the jurisdiction; with PointsVisitedToday it gives today's coverage.</param>
[GenerateSerializer, Immutable]
public sealed record JurisdictionState(string Code, Dictionary<TicketStage, int> OpenByStage, int Overdue, int PointsVisitedToday, DateOnly Day, Alert[] RecentAlerts, int PointsDue);

/// <summary>Live state of one cell: who is on duty, last check-in per point, coverage today, open tickets.</summary>
[GenerateSerializer, Immutable]
public sealed record CellLiveState(
    string Code,
    string OnDutyInspectorId,
    Dictionary<string, DateTimeOffset> LastCheckInByPoint,
    int PointsDue,
    int PointsVisitedToday,
    Dictionary<TicketStage, int> OpenByStage,
    int Overdue);
