using System.Security.Claims;

namespace GridGov.Api.Auth;

public static class ClaimsPrincipalExtensions
{
    /// <summary>
    /// The <see cref="Actor"/> an authenticated principal stands for, or null when it is anonymous or its
    /// sub/role/jur claims are missing or invalid. The system role is never accepted from a token.
    /// </summary>
    public static Actor? ToActor(this ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var id = user.FindFirst(GridGovClaims.Subject)?.Value;
        var scope = user.FindFirst(GridGovClaims.Jurisdiction)?.Value;
        if (string.IsNullOrWhiteSpace(id)
            || !GridGovClaims.TryParseRole(user.FindFirst(GridGovClaims.Role)?.Value, out var role)
            || !GridGovClaims.IsValidScope(role, scope))
        {
            return null;
        }

        return new Actor(id, role, scope!);
    }
}
