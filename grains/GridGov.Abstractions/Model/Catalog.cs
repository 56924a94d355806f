namespace GridGov;

/// <summary>City-wide settings.</summary>
/// <param name="TimeZone">IANA zone the patrol windows are written in, e.g. Asia/Shanghai.</param>
/// <param name="CheckInRadiusMeters">定质: a check-in counts only this close to the point.</param>
/// <param name="MaxPrimaryCellsPerInspector">定人: how many cells one inspector may be primary for.</param>
/// <param name="CitizenReportsPerHour">随手拍 abuse control: reports one citizen may file per rolling hour.</param>
/// <param name="CitizenReportsPerDay">... and per rolling 24 hours.</param>
[GenerateSerializer, Immutable]
public sealed record CitySettings(
    string Name,
    string TimeZone = "Asia/Shanghai",
    double CheckInRadiusMeters = 50,
    int MaxPrimaryCellsPerInspector = 3,
    int CitizenReportsPerHour = 10,
    int CitizenReportsPerDay = 30);

/// <summary>A kind of inspection point (点位类型), e.g. market or back lane, with its checklist.</summary>
/// <param name="MustPatrol">定线: routes of a cell must include every point of this type.</param>
/// <param name="Checklist">Categories an inspector checks at such a point.</param>
/// <param name="MinVisitsPerDay">定量: per-point-type visit frequency.</param>
[GenerateSerializer, Immutable]
public sealed record PointType(string Code, string Name, bool MustPatrol, string[] Checklist, int MinVisitsPerDay = 1);

/// <summary>How urgent a ticket is; stage deadlines depend on it.</summary>
public enum Severity { Urgent, Major, Normal }

/// <summary>An event or component category (事件/部件类别) that tickets are filed under.</summary>
/// <param name="DuplicateRadiusMeters">A non-inspector report this close to an open ticket of the category is a duplicate...</param>
/// <param name="DuplicateWindowHours">... when that ticket was reported at most this long before.</param>
/// <param name="RewardPoints">随手拍: points a citizen earns when their report of this category is accepted (立案).</param>
[GenerateSerializer, Immutable]
public sealed record Category(string Code, string Name, double DuplicateRadiusMeters = 30, double DuplicateWindowHours = 24, int RewardPoints = 10);

/// <summary>
/// 定质: how long each stage of a ticket may last for a category and severity (e.g. urgent: dispatch 30 min, handle 2 h).
/// Keyed by the stage the ticket is in; the deadline runs from entering it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StageDeadlines(string Category, Severity Severity, Dictionary<TicketStage, TimeSpan> Limits);

/// <summary>A responsible unit (责任单位/包保单位): a department or organisation tickets are dispatched to.</summary>
[GenerateSerializer, Immutable]
public sealed record ResponsibleUnit(string Id, string Name, string Jurisdiction);

/// <summary>The metrics a score is made of. Every one is a ratio computed from recorded facts.</summary>
public enum Metric
{
    /// <summary>Points visited inside their windows / points due.</summary>
    PatrolCoverage,
    /// <summary>Windows with no missed point / windows.</summary>
    OnTimePatrol,
    /// <summary>Days with every quota met / days evaluated.</summary>
    QuotaCompletion,
    /// <summary>Problems the inspector found / problems found by inspector or citizens first.</summary>
    IssuesFound,
    /// <summary>按期结案率: tickets closed with no overdue stage / tickets closed.</summary>
    OnTimeClosure,
    /// <summary>1 − rework / handlings.</summary>
    FirstTimeFix,
}

/// <summary>
/// 定考核: the weights scores are computed with. Versioned: every change makes a new version and a score names
/// the version it used. Yellow and red cards are given below the thresholds (scores are 0–100).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record WeightSet(int Version, Dictionary<Metric, double> Weights, double YellowBelow, double RedBelow, DateTimeOffset SetAt, string SetBy);
