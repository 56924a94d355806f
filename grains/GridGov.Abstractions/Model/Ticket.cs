namespace GridGov;

/// <summary>
/// Stages of the closed loop (闭环), after the national digital city-management workflow:
/// reported (信息采集) → accepted (立案) or rejected → dispatched (派遣) → handled (处置) → verified (核查) → closed (结案).
/// </summary>
public enum TicketStage { Reported, Accepted, Rejected, Merged, Dispatched, Returned, Handled, Verified, Closed }

/// <summary>Where a problem was found.</summary>
public enum TicketSource { Inspector, Citizen, Camera, Hotline, Platform }

/// <summary>What a transition did. Escalate keeps the stage.</summary>
public enum TicketAction { Report, Accept, Reject, Merge, Dispatch, Return, Handle, VerifyPass, VerifyFail, Close, Escalate }

/// <summary>One line of the append-only history: who, when, from, to, why.</summary>
[GenerateSerializer, Immutable]
public sealed record TicketTransition(int Seq, DateTimeOffset At, string ActorId, Role ActorRole, TicketAction Action, TicketStage? From, TicketStage To, string? Reason, string[] Evidence);

/// <summary>A problem as reported, before it is placed in a cell.</summary>
/// <param name="PointId">Set when found at an inspection point.</param>
/// <param name="Evidence">Photo references; required for inspector, citizen and camera reports (定质).</param>
[GenerateSerializer, Immutable]
public sealed record ReportIssue(
    string Category,
    Severity Severity,
    TicketSource Source,
    GeoPoint Location,
    string Description,
    string[] Evidence,
    string? PointId = null,
    string? Address = null);

/// <summary>An open ticket a new report duplicates, and how far from it the new report is.</summary>
[GenerateSerializer, Immutable]
public sealed record DuplicateMatch(string TicketId, double DistanceMeters, DateTimeOffset ReportedAt);

/// <summary>A report once placed: its cell and the unit its duty routes it to.</summary>
[GenerateSerializer, Immutable]
public sealed record OpenTicket(string TicketId, string CellCode, string UnitId, ReportIssue Report, Actor Reporter);

[GenerateSerializer, Immutable]
public sealed record TicketInfo(
    string Id,
    string CellCode,
    string Category,
    Severity Severity,
    TicketSource Source,
    string Description,
    GeoPoint Location,
    string? PointId,
    string ReporterId,
    TicketStage Stage,
    string UnitId,
    DateTimeOffset StageEnteredAt,
    DateTimeOffset? StageDeadline,
    int ReworkCount,
    int EscalationLevel,
    string? HandledBy,
    string? DuplicateOf,
    TicketStage[] OverdueStages,
    TicketTransition[] History,
    ReportAttachment[] Attachments,
    string? Address)
{
    public bool IsOpen => Stage is not (TicketStage.Closed or TicketStage.Rejected or TicketStage.Merged);
}
