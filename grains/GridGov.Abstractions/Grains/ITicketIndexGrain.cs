namespace GridGov.Grains;

/// <summary>The tickets of a district (key: district code), for lists and filters without activating tickets.</summary>
public interface ITicketIndexGrain : IGrainWithStringKey
{
    Task Upsert(TicketSummary ticket);
    /// <summary>Tickets matching the filter, newest report first, starting after the ticket id <paramref name="after"/>.</summary>
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
