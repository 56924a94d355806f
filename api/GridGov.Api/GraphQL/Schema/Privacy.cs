using GraphQL;
using GridGov.Grains;
using GridGov.Tickets;

namespace GridGov.Api.GraphQL.Schema;

/// <summary>
/// 随手拍 privacy in the API: a citizen reporter's id is for supervisors (and the reporter themself); everyone else
/// sees "citizen" wherever a ticket shows who reported, acted or attached a report: the Ticket type masks its reporter,
/// history and attachments with <see cref="TicketPrivacy"/>, so no path that returns a ticket can leak them.
/// </summary>
public static class Privacy
{
    /// <summary>A supervisor over the ticket's cell: the only caller that sees a citizen reporter's profile.</summary>
    public static bool SeesReporterProfile(Actor viewer, TicketInfo ticket) =>
        viewer.Role == Role.Supervisor && JurisdictionCode.Contains(viewer.Scope, ticket.CellCode);

    /// <summary>The profile of a citizen, or null when no such citizen registered.</summary>
    public static Task<CitizenProfile?> CitizenOrNull(this IResolveFieldContext c, string citizenId) =>
        c.Grains().GetGrain<ICitizenGrain>(citizenId).Find();
}
