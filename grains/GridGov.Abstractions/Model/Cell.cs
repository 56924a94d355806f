namespace GridGov;

public enum CellStatus { Active, Retired }

/// <summary>One entry of a cell's duty list (事项清单): category → responsible unit.</summary>
[GenerateSerializer, Immutable]
public sealed record DutyEntry(string Category, string UnitId);

public enum AssignmentKind { Primary, Backup, Cover }

/// <summary>定人: one assignment, kept as history with its effective times. A Cover is a backup standing in for a primary on leave.</summary>
[GenerateSerializer, Immutable]
public sealed record Assignment(string InspectorId, AssignmentKind Kind, DateTimeOffset From, DateTimeOffset? To, string By, string? Note = null);

/// <summary>定时: a patrol window in the city's local time on the given weekdays (e.g. 08:00–10:00 Mon–Fri).</summary>
[GenerateSerializer, Immutable]
public sealed record PatrolWindow(DayOfWeek[] Days, TimeOnly Start, TimeOnly End);

/// <summary>定线: an inspector's ordered patrol route through a cell's points, with its windows.</summary>
[GenerateSerializer, Immutable]
public sealed record PatrolRoute(string InspectorId, string[] PointIds, PatrolWindow[] Windows);

/// <summary>What a cell knows about each of its points.</summary>
[GenerateSerializer, Immutable]
public sealed record PointSummary(string Id, string Name, string TypeCode, GeoPoint Location, string UnitId, bool MustPatrol);

[GenerateSerializer, Immutable]
public sealed record CellInfo(
    string Code,
    string Name,
    CellStatus Status,
    string PolygonGeoJson,
    double AreaSquareMeters,
    string PrimaryInspectorId,
    string[] BackupInspectorIds,
    DutyEntry[] DutyList,
    string[] PointIds,
    int OpenTickets);

[GenerateSerializer, Immutable]
public sealed record CreateCell(string Code, string Name, string PolygonGeoJson, string PrimaryInspectorId);

/// <summary>A window occurrence: the route's window on one local date, as UTC instants.</summary>
[GenerateSerializer, Immutable]
public sealed record WindowInstance(string Key, DateTimeOffset Start, DateTimeOffset End);

/// <summary>A point nobody checked in at while its window was open, recorded when the window closed.</summary>
[GenerateSerializer, Immutable]
public sealed record MissedPoint(string CellCode, string PointId, string InspectorId, string WindowKey, DateTimeOffset WindowStart, DateTimeOffset WindowEnd);

/// <summary>The result of a closed window.</summary>
[GenerateSerializer, Immutable]
public sealed record WindowOutcome(string CellCode, string InspectorId, string WindowKey, DateTimeOffset Start, DateTimeOffset End, int Visited, string[] MissedPointIds);

/// <summary>Where a route stands in one window today.</summary>
[GenerateSerializer, Immutable]
public sealed record RouteProgress(string InspectorId, WindowInstance Window, string[] PointIds, string[] VisitedPointIds, bool Closed);
