using System.Collections.Concurrent;

namespace GridGov.Grains.Infrastructure;

/// <summary>
/// The store behind ticket lists: every ticket's summary, kept current by the tickets themselves, searchable by
/// jurisdiction, stage, category, unit, overdue and report time. In-memory when embedded, a table in PostgreSQL.
/// </summary>
public interface ITicketSearch
{
    Task Upsert(TicketSummary ticket);
    Task<TicketPage> Query(TicketFilter filter, string? after, int first);
}

/// <summary>The embedded mode's ticket search: one silo's memory.</summary>
public sealed class InMemoryTicketSearch : ITicketSearch
{
    readonly ConcurrentDictionary<string, TicketSummary> _tickets = new();

    public Task Upsert(TicketSummary ticket)
    {
        _tickets.AddOrUpdate(ticket.Id, ticket, (_, known) => known.LastChangedAt > ticket.LastChangedAt ? known : ticket);
        return Task.CompletedTask;
    }

    public Task<TicketPage> Query(TicketFilter filter, string? after, int first)
    {
        TicketSearch.EnsureFirst(first);
        var cursor = after is null ? ((DateTimeOffset, string)?)null : TicketCursor.Parse(after);
        var matches = _tickets.Values.Where(t => TicketSearch.Matches(filter, t)).ToList();
        var page = matches.Where(t => cursor is null || TicketCursor.IsAfter(t, cursor.Value))
            .OrderByDescending(t => t.ReportedAt).ThenByDescending(t => t.Id, StringComparer.Ordinal).ToList();
        return Task.FromResult(new TicketPage(page.Take(first).ToArray(), page.Count > first, matches.Count));
    }
}

public static class TicketSearch
{
    public const int MaxFirst = 200;

    public static void EnsureFirst(int first)
    {
        if (first is < 0 or > MaxFirst) throw GridGovException.Invalid("page.first", $"first must be between 0 and {MaxFirst}.");
    }

    public static bool Matches(TicketFilter f, TicketSummary t) =>
        (f.Jurisdiction is null || JurisdictionCode.Contains(f.Jurisdiction, t.CellCode)) &&
        (f.Stages is null || f.Stages.Length == 0 || f.Stages.Contains(t.Stage)) &&
        (f.Category is null || f.Category == t.Category) &&
        (f.UnitId is null || f.UnitId == t.UnitId) &&
        (f.Overdue is null || f.Overdue == t.Overdue) &&
        (f.Open is null || f.Open == !TicketLoop.IsFinal(t.Stage)) &&
        (f.ReportedFrom is null || t.ReportedAt >= f.ReportedFrom) &&
        (f.ReportedTo is null || t.ReportedAt < f.ReportedTo) &&
        (f.Source is null || f.Source == t.Source);
}

/// <summary>Serves ticket lists from whichever silo receives the call.</summary>
[StatelessWorker]
public sealed class TicketSearchGrain(ITicketSearch search) : Grain, ITicketSearchGrain
{
    public Task<TicketPage> Query(TicketFilter filter, string? after, int first) => search.Query(filter, after, first);
}
