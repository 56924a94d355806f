namespace GridGov;

/// <summary>Role and jurisdiction checks the grains apply to commands that change the grid.</summary>
public static class Access
{
    public static void EnsureSupervisorOf(Actor by, string code)
    {
        if (by.Role is not (Role.Supervisor or Role.System))
            throw GridGovException.Forbidden(Fix.Input, "access.role", $"Only a supervisor may do this; {by.Id} is a {by.Role}.");
        if (by.Role == Role.Supervisor && !JurisdictionCode.Contains(by.Scope, code))
            throw GridGovException.Forbidden(Fix.Input, "access.jurisdiction", $"{code} is outside {by.Id}'s jurisdiction {by.Scope}.");
    }

    /// <summary>A report's source must match who files it.</summary>
    public static void EnsureSourceMatches(TicketSource source, Actor by)
    {
        var ok = source switch
        {
            TicketSource.Inspector => by.Role == Role.Inspector,
            TicketSource.Citizen => by.Role == Role.Citizen,
            _ => by.Role is Role.Platform or Role.Supervisor,
        };
        if (!ok)
            throw GridGovException.Forbidden(Fix.TicketLoop, "ticket.report.source", $"A {by.Role} cannot file a {source} report.");
    }
}
