namespace GridGov.Grains.Tickets;

[GenerateSerializer]
public sealed class TicketIndexState
{
    [Id(0)] public Dictionary<string, TicketSummary> Tickets { get; set; } = new();
}

/// <summary>A district's ticket index: every ticket's summary, kept current by the tickets themselves.</summary>
public sealed class TicketIndexGrain([PersistentState("ticket-index", GridGovStorage.Name)] IPersistentState<TicketIndexState> state) : Grain, ITicketIndexGrain
{
    public async Task Upsert(TicketSummary ticket)
    {
        if (state.State.Tickets.TryGetValue(ticket.Id, out var known) && known.LastChangedAt > ticket.LastChangedAt) return;
        state.State.Tickets[ticket.Id] = ticket;
        await state.WriteStateAsync();
    }

    public Task<TicketPage> Query(TicketFilter filter, string? after, int first)
    {
        var matches = state.State.Tickets.Values.Where(t => TicketIndex.Matches(filter, t)).OrderBy(t => t, TicketIndex.NewestFirst).ToList();
        return Task.FromResult(TicketIndex.Page(matches, after, first));
    }
}

/// <summary>Filtering and paging of ticket summaries, shared by a district's index and city-wide merges.</summary>
public static class TicketIndex
{
    public static readonly IComparer<TicketSummary> NewestFirst = Comparer<TicketSummary>.Create((a, b) =>
    {
        var c = b.ReportedAt.CompareTo(a.ReportedAt);
        return c != 0 ? c : string.CompareOrdinal(b.Id, a.Id);
    });

    public static bool Matches(TicketFilter f, TicketSummary t) =>
        (f.Jurisdiction is null || JurisdictionCode.Contains(f.Jurisdiction, t.CellCode)) &&
        (f.Stages is null || f.Stages.Length == 0 || f.Stages.Contains(t.Stage)) &&
        (f.Category is null || f.Category == t.Category) &&
        (f.UnitId is null || f.UnitId == t.UnitId) &&
        (f.Overdue is null || f.Overdue == t.Overdue) &&
        (f.Open is null || f.Open == !GridGov.Tickets.TicketLoop.IsFinal(t.Stage)) &&
        (f.ReportedFrom is null || t.ReportedAt >= f.ReportedFrom) &&
        (f.ReportedTo is null || t.ReportedAt < f.ReportedTo);

    /// <summary>A stable position in the newest-first order: report time and id.</summary>
    public static string CursorOf(TicketSummary t) => $"{t.ReportedAt.UtcTicks}:{t.Id}";

    /// <summary>Cuts a page out of summaries already sorted newest first, starting after the cursor.</summary>
    public static TicketPage Page(IReadOnlyList<TicketSummary> sorted, string? after, int first)
    {
        if (first < 0) throw GridGovException.Invalid("page.first", "first must not be negative.");
        var start = 0;
        if (after is not null)
        {
            var sep = after.IndexOf(':');
            if (sep < 1 || !long.TryParse(after.AsSpan(0, sep), out var ticks))
                throw GridGovException.Invalid("page.cursor", $"'{after}' is not a ticket cursor.");
            var (at, id) = (new DateTimeOffset(ticks, TimeSpan.Zero), after[(sep + 1)..]);
            while (start < sorted.Count && (sorted[start].ReportedAt > at || (sorted[start].ReportedAt == at && string.CompareOrdinal(sorted[start].Id, id) >= 0)))
                start++;
        }
        var items = sorted.Skip(start).Take(first).ToArray();
        return new TicketPage(items, start + items.Length < sorted.Count, sorted.Count);
    }
}
