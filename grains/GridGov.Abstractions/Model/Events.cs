namespace GridGov;

public enum GridEventKind { CheckIn, WindowClosed, Ticket, Alert }

/// <summary>
/// Something that happened in a cell, published to its district's event stream for live subscribers
/// (platforms, command-centre screens). Ticket events carry the transition's action and new stage.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record GridEvent(
    string Id,
    GridEventKind Kind,
    DateTimeOffset At,
    string CellCode,
    string ActorId,
    string Subject,
    string? Action,
    TicketStage? Stage,
    string Detail);

/// <summary>What a ticket list shows of a ticket, kept in its district's index so lists need no ticket activations.</summary>
[GenerateSerializer, Immutable]
public sealed record TicketSummary(
    string Id,
    string CellCode,
    string Category,
    Severity Severity,
    TicketSource Source,
    TicketStage Stage,
    string UnitId,
    DateTimeOffset ReportedAt,
    DateTimeOffset LastChangedAt,
    DateTimeOffset? StageDeadline,
    bool Overdue,
    int ReworkCount,
    int EscalationLevel);

/// <summary>Filters of a ticket list; null means any.</summary>
[GenerateSerializer, Immutable]
public sealed record TicketFilter(
    string? Jurisdiction = null,
    TicketStage[]? Stages = null,
    string? Category = null,
    string? UnitId = null,
    bool? Overdue = null,
    bool? Open = null,
    DateTimeOffset? ReportedFrom = null,
    DateTimeOffset? ReportedTo = null,
    TicketSource? Source = null);

/// <summary>One page of tickets, newest report first; <paramref name="Total"/> counts every match.</summary>
[GenerateSerializer, Immutable]
public sealed record TicketPage(TicketSummary[] Items, bool HasMore, int Total);

/// <summary>A stable position in the newest-first order of tickets: report time and id.</summary>
public static class TicketCursor
{
    public static string Of(TicketSummary t) => $"{t.ReportedAt.UtcTicks}:{t.Id}";

    public static (DateTimeOffset ReportedAt, string Id) Parse(string cursor)
    {
        var sep = cursor.IndexOf(':');
        if (sep < 1 || !long.TryParse(cursor.AsSpan(0, sep), out var ticks) || ticks < 0 || ticks > DateTime.MaxValue.Ticks)
            throw GridGovException.Invalid("page.cursor", $"'{cursor}' is not a ticket cursor.");
        return (new DateTimeOffset(ticks, TimeSpan.Zero), cursor[(sep + 1)..]);
    }

    /// <summary>Whether <paramref name="t"/> comes after the cursor in newest-first order.</summary>
    public static bool IsAfter(TicketSummary t, (DateTimeOffset ReportedAt, string Id) cursor) =>
        t.ReportedAt < cursor.ReportedAt || (t.ReportedAt == cursor.ReportedAt && string.CompareOrdinal(t.Id, cursor.Id) < 0);
}

public static class GridStreams
{
    /// <summary>The stream provider grains publish events on.</summary>
    public const string Provider = "events";
    /// <summary>Stream namespace; the stream key is the district code.</summary>
    public const string Namespace = "grid";
}

/// <summary>
/// One line of the append-only audit journal: a domain event (check-in, closed window, ticket transition) or a fact a
/// score counts. Ids are deterministic, so writing a line twice keeps one.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record JournalLine(string Id, string Kind, DateTimeOffset At, string CellCode, string Subject, string ActorId, string? Action, string? Stage, string Detail);
