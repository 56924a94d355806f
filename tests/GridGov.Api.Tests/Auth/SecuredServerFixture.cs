using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GraphQL;
using GraphQL.Types;
using GridGov.Api.Auth;
using GridGov.Api.GraphQL.Protection;
using GridGov.Api.GraphQL.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GridGov.Api.Tests.Auth;

/// <summary>
/// <see cref="SecuredToySchema"/> on Kestrel (127.0.0.1, ephemeral port) wired the way the host wires GridGov:
/// JWT auth, query limits and the per-caller rate limit, configured through <see cref="Settings"/>.
/// </summary>
public abstract class SecuredServerFixture : IAsyncLifetime
{
    public const string SigningKey = "test-signing-key-for-gridgov-api-tests-0123456789";

    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public TokenService Tokens => _app!.Services.GetRequiredService<TokenService>();

    public GraphQLTransportOptions TransportOptions => _app!.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<GraphQLTransportOptions>>().Value;

    public Uri WebSocketUri => new UriBuilder(BaseAddress) { Scheme = "ws", Path = "/graphql" }.Uri;

    protected virtual Dictionary<string, string?> Settings => new()
    {
        ["GridGov:Auth:SigningKey"] = SigningKey,
        ["GridGov:RateLimit:PermitsPerSecond"] = "1000",
        ["GridGov:RateLimit:Burst"] = "1000",
    };

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SecuredServerFixture).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(Settings);

        // What Program.cs does.
        builder.AddGridGovAuth();
        builder.AddGridGovRateLimiting();
        builder.Services.AddGraphQL(b => b.AddSchema<SecuredToySchema>().AddGraphTypes(typeof(SecuredToySchema).Assembly).AddSystemTextJson());
        var limits = QueryLimitsOptions.From(builder.Configuration);
        builder.Services.AddGraphQLTransport(o => o.AddQueryLimits(limits));

        _app = builder.Build();
        _app.UseAuthentication();
        _app.UseRateLimiter();
        _app.UseAuthorization();
        _app.MapGraphQLTransport().RequireRateLimiting(RateLimitHosting.PolicyName);
        await _app.StartAsync();
        _app.Services.GetRequiredService<ISchema>().Initialize();

        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>POSTs <paramref name="query"/> (Accept: application/graphql-response+json), with a bearer token when given.</summary>
    public async Task<HttpResponseMessage> PostAsync(string query, string? bearer = null, object? variables = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Accept", "application/graphql-response+json");
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await Http.SendAsync(request);
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }
}

/// <summary>Generous rate limit, default query limits.</summary>
public sealed class SecuredServer : SecuredServerFixture;

[CollectionDefinition(Name)]
public sealed class SecuredServerCollection : ICollectionFixture<SecuredServer>
{
    public const string Name = "GridGov auth and protection (default limits)";
}
