using System.Security.Claims;
using System.Text.Json;
using GridGov.Api.GraphQL.Transport;
using Microsoft.Extensions.Options;

namespace GridGov.Api.Auth;

/// <summary>
/// Decides who a <c>graphql-transport-ws</c> connection runs as. A token in the <c>connection_init</c> payload
/// (<c>{"Authorization":"Bearer &lt;jwt&gt;"}</c> or <c>{"token":"&lt;jwt&gt;"}</c>) wins and must be valid, else the
/// socket is closed with 4403. Without one, the connection runs as the upgrade request's user (anonymous
/// unless it carried a bearer header), and is refused when <see cref="GraphQLTransportOptions.RequireAuthenticatedConnection"/>
/// demands an authenticated user.
/// </summary>
public sealed class JwtConnectionAuthenticator(TokenService tokens, IOptions<GraphQLTransportOptions> transport)
    : IGraphQLConnectionAuthenticator
{
    /// <inheritdoc />
    public Task<ClaimsPrincipal?> AuthenticateAsync(HttpContext httpContext, JsonElement? connectionInitPayload)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ClaimsPrincipal? user;
        if (connectionInitPayload is { } payload && TryGetToken(payload, out var token))
        {
            user = token is null ? null : tokens.Validate(token);
        }
        else
        {
            user = httpContext.User;
            if (transport.Value.RequireAuthenticatedConnection && user.Identity?.IsAuthenticated != true)
            {
                user = null;
            }
        }

        return Task.FromResult(user);
    }

    /// <summary>
    /// True when the payload carries credentials; <paramref name="token"/> is then the JWT, or null when the
    /// credentials are malformed (not a string, not "Bearer ...").
    /// </summary>
    private static bool TryGetToken(JsonElement payload, out string? token)
    {
        token = null;
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        if (TryGetString(payload, "Authorization", out var authorization) || TryGetString(payload, "authorization", out authorization))
        {
            const string prefix = "Bearer ";
            if (authorization?.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) == true)
            {
                token = authorization[prefix.Length..].Trim();
            }

            return true;
        }

        return TryGetString(payload, "token", out token);
    }

    private static bool TryGetString(JsonElement payload, string name, out string? value)
    {
        value = null;
        if (!payload.TryGetProperty(name, out var element))
        {
            return false;
        }

        value = element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        return true;
    }
}
