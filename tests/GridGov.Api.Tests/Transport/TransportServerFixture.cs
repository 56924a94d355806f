using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Json;
using GraphQL;
using GraphQL.Validation;
using GraphQLParser.AST;
using GridGov.Api.GraphQL.Transport;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Api.Tests.Transport;

/// <summary>
/// Hosts <see cref="ToySchema"/> behind the transport in a real Kestrel server on 127.0.0.1 with an
/// ephemeral port.
/// </summary>
public abstract class TransportServerFixture : IAsyncLifetime
{
    private LoopbackServer? _server;

    public Uri BaseAddress => _server!.BaseAddress;

    public HttpClient Http => _server!.Http;

    public ToyState State => _server!.App.Services.GetRequiredService<ToyState>();

    public Uri WebSocketUri => _server!.WebSocketUri;

    protected abstract void ConfigureTransport(GraphQLTransportOptions options);

    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync(builder =>
    {
        builder.Services.AddSingleton<ToyState>();
        builder.Services.AddGraphQL(b => b.AddSchema<ToySchema>().AddSystemTextJson());
        builder.Services.AddGraphQLTransport(ConfigureTransport);
        ConfigureServices(builder.Services);
    }, app => app.MapGraphQLTransport());

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}

/// <summary>Default options.</summary>
public sealed class DefaultTransportFixture : TransportServerFixture
{
    protected override void ConfigureTransport(GraphQLTransportOptions options)
    {
    }
}

/// <summary>Short connection-init and execution timeouts, for the tests that wait for them to expire.</summary>
public sealed class ShortTimeoutsTransportFixture : TransportServerFixture
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(500);

    protected override void ConfigureTransport(GraphQLTransportOptions options)
    {
        options.ConnectionInitTimeout = Timeout;
        options.ExecutionTimeout = Timeout;
    }
}

[CollectionDefinition(Name)]
public sealed class DefaultTransportCollection : ICollectionFixture<DefaultTransportFixture>
{
    public const string Name = "GraphQL transport (default options)";
}

/// <summary>
/// Introspection off, authenticated WebSockets (token in connection_init), an extra validation rule
/// and a ConfigureExecution hook.
/// </summary>
public sealed class LockedDownTransportFixture : TransportServerFixture
{
    public const string Token = "letmein";
    public const string UserName = "inspector-7";
    public static readonly TimeSpan ExecutionTimeout = TimeSpan.FromSeconds(5);

    /// <summary>ExecutionOptions.Timeout as the ConfigureExecution hook saw it, by query text.</summary>
    public ConcurrentDictionary<string, TimeSpan> TimeoutsSeen { get; } = new();

    protected override void ConfigureTransport(GraphQLTransportOptions options)
    {
        options.EnableIntrospection = false;
        options.RequireAuthenticatedConnection = true;
        options.ExecutionTimeout = ExecutionTimeout;
        options.ValidationRules.Add(new NoBoomRule());
        options.ConfigureExecution = (http, execution) =>
        {
            execution.UserContext["tenant"] = http.Request.Headers["X-Tenant"].ToString();
            TimeoutsSeen[execution.Query!] = execution.Timeout;
            return Task.CompletedTask;
        };
    }

    protected override void ConfigureServices(IServiceCollection services)
        => services.AddSingleton<IGraphQLConnectionAuthenticator, TokenAuthenticator>();

    /// <summary>Accepts connection_init payloads carrying {"token":"letmein"}.</summary>
    private sealed class TokenAuthenticator : IGraphQLConnectionAuthenticator
    {
        public Task<ClaimsPrincipal?> AuthenticateAsync(HttpContext httpContext, JsonElement? connectionInitPayload)
        {
            var ok = connectionInitPayload is { } payload
                     && payload.TryGetProperty("token", out var token)
                     && token.ValueKind == JsonValueKind.String
                     && token.GetString() == Token;
            var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, UserName)], "test"));
            return Task.FromResult(ok ? principal : null);
        }
    }

    /// <summary>An extra validation rule: the field "boom" may not be selected.</summary>
    private sealed class NoBoomRule : ValidationRuleBase
    {
        private static readonly MatchingNodeVisitor<GraphQLField> Visitor = new((field, context) =>
        {
            if (field.Name.StringValue == "boom")
            {
                context.ReportError(new ValidationError(context.Document.Source, "X1", "Selecting 'boom' is not allowed here.", field)
                {
                    Code = "BOOM_FORBIDDEN",
                });
            }
        });

        public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context) => new(Visitor);
    }
}
