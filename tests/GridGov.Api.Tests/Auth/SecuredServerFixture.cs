using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GraphQL;
using GridGov.Api.Auth;
using GridGov.Api.GraphQL.Protection;
using GridGov.Api.GraphQL.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Api.Tests.Auth;

/// <summary>
/// <see cref="SecuredToySchema"/> on Kestrel (127.0.0.1, ephemeral port) wired the way the host wires GridGov:
/// JWT auth, query limits and the per-caller rate limit, configured through <see cref="Settings"/>.
/// </summary>
public abstract class SecuredServerFixture : IAsyncLifetime
{
    public const string SigningKey = "test-signing-key-for-gridgov-api-tests-0123456789";

    private LoopbackServer? _server;

    public Uri BaseAddress => _server!.BaseAddress;

    public HttpClient Http => _server!.Http;

    public TokenService Tokens => _server!.App.Services.GetRequiredService<TokenService>();

    public Uri WebSocketUri => _server!.WebSocketUri;

    protected virtual Dictionary<string, string?> Settings => new()
    {
        ["GridGov:Auth:SigningKey"] = SigningKey,
        ["GridGov:RateLimit:PermitsPerSecond"] = "1000",
        ["GridGov:RateLimit:Burst"] = "1000",
    };

    // Wired the way GridGovApi.Build wires the host, around a toy schema.
    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync(builder =>
    {
        builder.Configuration.AddInMemoryCollection(Settings);
        builder.AddGridGovAuth();
        builder.AddGridGovRateLimiting();
        builder.Services.AddGraphQL(b => b.AddSchema<SecuredToySchema>().AddGraphTypes(typeof(SecuredToySchema).Assembly).AddSystemTextJson());
        var limits = QueryLimitsOptions.From(builder.Configuration);
        builder.Services.AddGraphQLTransport(o => o.AddQueryLimits(limits));
    }, app =>
    {
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseRejectedBearerTokenChallenge();
        app.UseAuthorization();
        app.MapGraphQLTransport().RequireRateLimiting(RateLimitHosting.PolicyName);
    });

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
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
