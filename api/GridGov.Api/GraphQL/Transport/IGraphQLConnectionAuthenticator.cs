using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace GridGov.Api.GraphQL.Transport;

/// <summary>
/// Decides who a <c>graphql-transport-ws</c> connection runs as, when its <c>connection_init</c> arrives.
/// Returning null refuses the connection: the server closes the socket with <c>4403: Forbidden</c>.
/// The principal returned becomes <see cref="global::GraphQL.ExecutionOptions.User"/> of every operation
/// on that connection.
/// </summary>
public interface IGraphQLConnectionAuthenticator
{
    /// <param name="httpContext">The HTTP context of the WebSocket upgrade request.</param>
    /// <param name="connectionInitPayload">The <c>payload</c> of <c>connection_init</c>, or null when absent or JSON null.</param>
    Task<ClaimsPrincipal?> AuthenticateAsync(HttpContext httpContext, JsonElement? connectionInitPayload);
}

/// <summary>
/// Default authenticator: the connection runs as <c>HttpContext.User</c> (set by the host's authentication
/// middleware on the upgrade request). When <see cref="GraphQLTransportOptions.RequireAuthenticatedConnection"/>
/// is on, an unauthenticated user is refused.
/// </summary>
public sealed class HttpContextUserConnectionAuthenticator(IOptions<GraphQLTransportOptions> options)
    : IGraphQLConnectionAuthenticator
{
    /// <inheritdoc />
    public Task<ClaimsPrincipal?> AuthenticateAsync(HttpContext httpContext, JsonElement? connectionInitPayload)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var user = httpContext.User;
        var allowed = !options.Value.RequireAuthenticatedConnection || user.Identity?.IsAuthenticated == true;
        return Task.FromResult(allowed ? user : null);
    }
}
