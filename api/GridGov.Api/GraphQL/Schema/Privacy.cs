using GraphQL;
using GridGov.Grains;
using GridGov.Tickets;

namespace GridGov.Api.GraphQL.Schema;

/// <summary>
/// 随手拍 privacy in the API: a citizen reporter's id is for supervisors (and the reporter themself); everyone else
/// sees "citizen" wherever a ticket shows who reported, acted or attached a report. Resolvers pass tickets through
/// <see cref="View"/>, and the Ticket type masks its reporter, history and attachments again, so no path leaks.
/// </summary>
public static class Privacy
{
    /// <summary>The ticket as the caller may see it (jurisdiction is checked by the caller of this).</summary>
    public static TicketInfo View(this IResolveFieldContext c, TicketInfo ticket) => TicketPrivacy.ForViewer(ticket, c.Caller());

    public static TicketInfo[] View(this IResolveFieldContext c, IEnumerable<TicketInfo> tickets)
    {
        var viewer = c.Caller();
        return tickets.Select(t => TicketPrivacy.ForViewer(t, viewer)).ToArray();
    }

    /// <summary>A supervisor over the ticket's cell: the only caller that sees a citizen reporter's profile.</summary>
    public static bool SeesReporterProfile(Actor viewer, TicketInfo ticket) =>
        viewer.Role == Role.Supervisor && JurisdictionCode.Contains(viewer.Scope, ticket.CellCode);

    /// <summary>The profile of a citizen, or null when no such citizen registered.</summary>
    public static async Task<CitizenProfile?> CitizenOrNull(this IResolveFieldContext c, string citizenId)
    {
        var citizen = c.Grains().GetGrain<ICitizenGrain>(citizenId);
        return await citizen.Exists() ? await citizen.Get() : null;
    }
}
