namespace GridGov;

[GenerateSerializer, Immutable]
public sealed record PointInfo(string Id, string Name, string TypeCode, GeoPoint Location, string CellCode, string UnitId, bool Active, CheckInRecord? LastCheckIn);

[GenerateSerializer, Immutable]
public sealed record CreatePoint(string Id, string Name, string TypeCode, GeoPoint Location, string UnitId);

/// <summary>An inspector's check-in at a point, as sent by the mobile app.</summary>
[GenerateSerializer, Immutable]
public sealed record CheckIn(string InspectorId, GeoPoint Position, string? Note = null);

/// <summary>Why a check-in was kept but does not count.</summary>
public enum NotCountedReason { None, OutsideWindow, NotOnRoute }

/// <summary>A recorded check-in. <paramref name="Counted"/> is false when it fell outside every window (定时).</summary>
[GenerateSerializer, Immutable]
public sealed record CheckInRecord(
    string PointId,
    string CellCode,
    string InspectorId,
    DateTimeOffset At,
    GeoPoint Position,
    double DistanceMeters,
    bool Counted,
    NotCountedReason Reason,
    string? WindowKey);

/// <summary>A counted check-in as its inspector's quota sees it.</summary>
[GenerateSerializer, Immutable]
public sealed record InspectorVisit(string PointId, string TypeCode, DateTimeOffset At);

/// <summary>定量: an inspector's daily targets.</summary>
/// <param name="VisitsPerType">Per point type: visits a day (counted check-ins).</param>
[GenerateSerializer, Immutable]
public sealed record Quota(int WindowsPerDay, int PointsPerDay, Dictionary<string, int> VisitsPerType);

/// <summary>Live progress against a quota for one local date.</summary>
[GenerateSerializer, Immutable]
public sealed record QuotaProgress(DateOnly Date, Quota Quota, int WindowsCompleted, int PointsVisited, Dictionary<string, int> VisitsPerType);

/// <summary>What was missing when a day ended.</summary>
[GenerateSerializer, Immutable]
public sealed record QuotaShortfall(DateOnly Date, int WindowsShort, int PointsShort, Dictionary<string, int> VisitsShortPerType);

[GenerateSerializer, Immutable]
public sealed record Leave(DateTimeOffset From, DateTimeOffset To, string Reason);

/// <summary>A backup's promise to stand in for a primary over a period.</summary>
[GenerateSerializer, Immutable]
public sealed record CoverDuty(string CellCode, string ForInspectorId, DateTimeOffset From, DateTimeOffset To);

[GenerateSerializer, Immutable]
public sealed record RegisterInspector(string Name, string Jurisdiction);

[GenerateSerializer, Immutable]
public sealed record InspectorInfo(
    string Id,
    string Name,
    string Jurisdiction,
    string[] PrimaryCells,
    string[] BackupCells,
    Leave[] Leaves,
    CoverDuty[] Covers,
    Quota? Quota);

/// <summary>A granted leave and, for each primary cell, who covers it.</summary>
[GenerateSerializer, Immutable]
public sealed record LeaveGrant(Leave Leave, Dictionary<string, string> CoverByCell);
