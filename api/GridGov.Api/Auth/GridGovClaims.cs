namespace GridGov.Api.Auth;

/// <summary>The claims a GridGov token carries; they keep these short names (no inbound claim mapping).</summary>
public static class GridGovClaims
{
    /// <summary>The user's id (<see cref="Actor.Id"/>).</summary>
    public const string Subject = "sub";

    /// <summary>supervisor, inspector, handler, citizen or platform (never system).</summary>
    public const string Role = "role";

    /// <summary>The jurisdiction code (4, 6, 9 or 12 digits), or the responsible unit id for a handler.</summary>
    public const string Jurisdiction = "jur";

    /// <summary>The value of the role claim for <paramref name="role"/>, e.g. "inspector".</summary>
    public static string RoleValue(Role role) => role.ToString().ToLowerInvariant();

    /// <summary>
    /// Reads a role claim value, case-insensitively. <see cref="GridGov.Role.System"/> is never accepted:
    /// GridGov acts as itself only from inside the process.
    /// </summary>
    public static bool TryParseRole(string? value, out Role role)
    {
        Role? parsed = value?.Trim().ToLowerInvariant() switch
        {
            "supervisor" => GridGov.Role.Supervisor,
            "inspector" => GridGov.Role.Inspector,
            "handler" => GridGov.Role.Handler,
            "citizen" => GridGov.Role.Citizen,
            "platform" => GridGov.Role.Platform,
            _ => null,
        };
        role = parsed ?? default;
        return parsed is not null;
    }

    /// <summary>
    /// True when <paramref name="scope"/> fits <paramref name="role"/>: a unit id for a handler, else a city,
    /// district, street or community code.
    /// </summary>
    public static bool IsValidScope(Role role, string? scope)
    {
        if (string.IsNullOrWhiteSpace(scope))
        {
            return false;
        }

        return role == GridGov.Role.Handler
            ? scope.Trim() == scope // any unit id, without surrounding blanks
            : JurisdictionCode.LevelOf(scope) is JurisdictionLevel.City or JurisdictionLevel.District or JurisdictionLevel.Street or JurisdictionLevel.Community;
    }
}
