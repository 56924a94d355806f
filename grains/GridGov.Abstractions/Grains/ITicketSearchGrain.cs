namespace GridGov.Grains;

/// <summary>Ticket lists and filters (stateless, on any silo) from the ticket search store, without activating tickets.</summary>
public interface ITicketSearchGrain : IGrainWithIntegerKey
{
    /// <summary>Tickets matching the filter, newest report first, starting after a cursor from <see cref="TicketCursor"/>.</summary>
    Task<TicketPage> Query(TicketFilter filter, string? after, int first);
}

/// <summary>
/// Reads the audit journal (stateless, on any silo): a ticket's transitions, a point's check-ins, the facts under
/// a score (subject = its evaluation key), without activating the grains they came from.
/// </summary>
public interface IJournalGrain : IGrainWithIntegerKey
{
    Task<JournalLine[]> Read(string subject);
}
