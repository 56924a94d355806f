using GraphQL;
using GridGov.Api.Auth;
using GridGov.Grains;

namespace GridGov.Api.GraphQL.Schema;

/// <summary>
/// Who may do what through the API: role × jurisdiction × ownership. Checked before any grain is asked to
/// change anything; the grains check their own rules again.
/// </summary>
public static class Callers
{
    public static Actor Caller(this IResolveFieldContext context) =>
        context.User.ToActor() ?? throw GridGovError.Unauthenticated();

    public static Actor Require(this IResolveFieldContext context, params Role[] roles)
    {
        var actor = context.Caller();
        if (!roles.Contains(actor.Role))
            throw GridGovError.Forbidden($"{context.FieldDefinition.Name} is for {string.Join(" or ", roles)}; {actor.Id} is a {actor.Role}.");
        return actor;
    }

    /// <summary>Supervisors and platforms act only inside their jurisdiction.</summary>
    public static void EnsureWithin(this Actor actor, string code)
    {
        if (!JurisdictionCode.Contains(actor.Scope, code))
            throw GridGovError.Forbidden($"{code} is outside {actor.Id}'s jurisdiction {actor.Scope}.");
    }

    /// <summary>City-wide reference data is readable by anyone acting in that city.</summary>
    public static void EnsureWithinCityOf(this Actor actor, string city)
    {
        if (actor.Role == Role.Handler || JurisdictionCode.LevelOf(actor.Scope) is null || JurisdictionCode.CityOf(actor.Scope) != city)
            throw GridGovError.Forbidden($"{actor.Id} does not act in city {city}.");
    }

    public static IGrainFactory Grains(this IResolveFieldContext context) => context.RequestServices!.GetRequiredService<IGrainFactory>();

    /// <summary>An inspector acts only in cells they are primary or backup for.</summary>
    public static async Task EnsureOwnCell(this IResolveFieldContext context, Actor inspector, string cellCode)
    {
        var info = await context.Grains().GetGrain<IInspectorGrain>(inspector.Id).Get();
        if (!info.PrimaryCells.Contains(cellCode) && !info.BackupCells.Contains(cellCode))
            throw GridGovError.Forbidden($"Cell {cellCode} is not one of inspector {inspector.Id}'s cells.");
    }

    /// <summary>Who may read a cell: its people, and supervisors and platforms over it.</summary>
    public static async Task EnsureCanReadCell(this IResolveFieldContext context, string cellCode)
    {
        var actor = context.Caller();
        switch (actor.Role)
        {
            case Role.Supervisor or Role.Platform:
                actor.EnsureWithin(cellCode);
                break;
            case Role.Inspector:
                await context.EnsureOwnCell(actor, cellCode);
                break;
            default:
                throw GridGovError.Forbidden($"A {actor.Role} cannot read cell {cellCode}.");
        }
    }

    /// <summary>Who may read a ticket: supervisors and platforms over its cell, its cell's inspectors, its unit's handlers, its reporter.</summary>
    public static async Task EnsureCanReadTicket(this IResolveFieldContext context, TicketInfo ticket)
    {
        var actor = context.Caller();
        if (actor.Role == Role.Handler)
        {
            if (actor.Scope != ticket.UnitId) throw GridGovError.Forbidden($"Ticket {ticket.Id} is not dispatched to unit {actor.Scope}.");
            return;
        }
        if (actor.Role == Role.Citizen)
        {
            if (actor.Id != ticket.ReporterId) throw GridGovError.Forbidden($"Ticket {ticket.Id} was not reported by {actor.Id}.");
            return;
        }
        await context.EnsureCanReadCell(ticket.CellCode);
    }
}
