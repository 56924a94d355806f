namespace GridGov;

/// <summary>
/// A registered resident (随手拍 reporter) of a city. Name and contact are visible to supervisors only.
/// Blocked citizens' later reports are refused.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CitizenProfile(
    string Id,
    string City,
    string Name,
    string Phone,
    string? Email,
    DateTimeOffset RegisteredAt,
    bool Blocked = false,
    string? BlockedReason = null,
    string? BlockedBy = null,
    DateTimeOffset? BlockedAt = null);

/// <summary>A name and at least one contact: a phone number or an e-mail address.</summary>
[GenerateSerializer, Immutable]
public sealed record RegisterCitizen(string Name, string? Phone, string? Email = null);

/// <summary>What a citizen reports: category, text, location, photo references and an optional address.</summary>
[GenerateSerializer, Immutable]
public sealed record CitizenReport(
    string Category,
    GeoPoint Location,
    string Description,
    string[] Evidence,
    string? Address = null,
    Severity Severity = Severity.Normal);

/// <summary>
/// What became of one report: the ticket it opened, or the open ticket it was attached to as a duplicate
/// (<paramref name="Duplicate"/>). <paramref name="ReceiptId"/> is also the Open311 token.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ReportReceipt(string ReceiptId, string TicketId, bool Duplicate, string ReporterId, TicketSource Source, DateTimeOffset At, string Category)
{
    /// <summary>For a duplicate: how far the report is from the ticket it joined.</summary>
    [Id(7)] public double DistanceMeters { get; init; }
}

/// <summary>A later report of the same problem, attached to an open ticket instead of opening a new one.</summary>
[GenerateSerializer, Immutable]
public sealed record ReportAttachment(string ReceiptId, string ReporterId, Role ReporterRole, TicketSource Source, DateTimeOffset At, GeoPoint Location, double DistanceMeters, string Description, string[] Evidence);

public enum LedgerKind { Credit, Debit }

/// <summary>One line of a citizen's reward ledger. <paramref name="Reference"/> makes each credit and redemption happen once.</summary>
[GenerateSerializer, Immutable]
public sealed record LedgerEntry(int Seq, DateTimeOffset At, LedgerKind Kind, int Points, int BalanceAfter, string Reference, string Note);

/// <summary>A citizen's reward points (积分): balance and full history.</summary>
[GenerateSerializer, Immutable]
public sealed record RewardLedger(string CitizenId, int Balance, int Earned, int Redeemed, LedgerEntry[] Entries);

/// <summary>
/// The public view of a ticket (what anyone may see, and what Open311 serves): status, stage history without
/// names, and the result with its evidence references.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PublicTicket(
    string Id,
    string Category,
    string Description,
    GeoPoint Location,
    string? Address,
    TicketSource Source,
    TicketStage Stage,
    bool IsOpen,
    DateTimeOffset ReportedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ExpectedBy,
    string UnitId,
    string[] ReportEvidence,
    PublicStage[] History,
    PublicResult? Result,
    int DuplicateReports);

/// <summary>A stage change as the public sees it: when, what, from, to; no names.</summary>
[GenerateSerializer, Immutable]
public sealed record PublicStage(DateTimeOffset At, TicketAction Action, TicketStage? From, TicketStage To);

/// <summary>How a ticket ended up: the rectification and verification evidence.</summary>
[GenerateSerializer, Immutable]
public sealed record PublicResult(DateTimeOffset At, TicketStage Stage, string Summary, string[] Evidence);
