using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace GridGov.Api.GraphQL.Transport;

/// <summary>Registration and endpoint mapping of the GraphQL transport.</summary>
public static class GraphQLTransportExtensions
{
    /// <summary>
    /// Registers the transport (options, HTTP handler, default <see cref="IGraphQLConnectionAuthenticator"/>).
    /// The host registers the schema, executer and serializer itself, e.g.
    /// <c>services.AddGraphQL(b => b.AddSchema&lt;TSchema&gt;().AddSystemTextJson())</c>.
    /// A custom authenticator registered before or after this call wins over the default.
    /// </summary>
    public static IServiceCollection AddGraphQLTransport(this IServiceCollection services, Action<GraphQLTransportOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var optionsBuilder = services.AddOptions<GraphQLTransportOptions>();
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        services.TryAddSingleton<IGraphQLConnectionAuthenticator, HttpContextUserConnectionAuthenticator>();
        services.TryAddSingleton<GraphQLRequestExecutor>();
        services.TryAddSingleton<GraphQLHttpHandler>();
        return services;
    }

    /// <summary>
    /// Maps, at <see cref="GraphQLTransportOptions.Path"/>: HTTP GET/POST (GraphQL-over-HTTP), the
    /// <c>graphql-transport-ws</c> WebSocket upgrade (WebSocket middleware included, no <c>UseWebSockets()</c>
    /// needed), and <c>Path + "/schema.graphql"</c> (SDL as text/plain). The returned builder applies
    /// conventions (<c>RequireAuthorization</c>, <c>RequireRateLimiting</c>, <c>RequireCors</c>, ...) to all of them.
    /// </summary>
    public static IEndpointConventionBuilder MapGraphQLTransport(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var handler = services.GetService<GraphQLHttpHandler>()
            ?? throw new InvalidOperationException("Call services.AddGraphQLTransport() before MapGraphQLTransport().");
        var path = services.GetRequiredService<IOptions<GraphQLTransportOptions>>().Value.Path;
        if (string.IsNullOrWhiteSpace(path) || !path.StartsWith('/'))
        {
            throw new InvalidOperationException($"GraphQLTransportOptions.Path must start with '/', got '{path}'.");
        }

        path = path.Length > 1 ? path.TrimEnd('/') : path;

        var pipeline = endpoints.CreateApplicationBuilder();
        pipeline.UseWebSockets();
        pipeline.Run(handler.HandleAsync);

        var operations = endpoints.Map(path, pipeline.Build()).WithDisplayName("GraphQL");
        var schema = endpoints.MapGet(path.TrimEnd('/') + "/schema.graphql", handler.HandleSchemaAsync).WithDisplayName("GraphQL schema (SDL)");
        return new CompositeConventionBuilder(operations, schema);
    }

    private sealed class CompositeConventionBuilder(params IEndpointConventionBuilder[] builders) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
            foreach (var builder in builders)
            {
                builder.Add(convention);
            }
        }

        public void Finally(Action<EndpointBuilder> finallyConvention)
        {
            foreach (var builder in builders)
            {
                builder.Finally(finallyConvention);
            }
        }
    }
}
