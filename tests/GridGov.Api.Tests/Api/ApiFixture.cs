using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GridGov.Api.Auth;
using GridGov.Api.Hosting;
using GridGov.DemoCity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Time.Testing;

namespace GridGov.Api.Tests.Api;

/// <summary>
/// The real GridGov web host (co-hosted silo, JWT auth, rate limit, GraphQL) on a loopback port, with the demo city
/// loaded and a fake domain clock the tests move. Shared by the API end-to-end and authorization tests.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    /// <summary>Monday 2026-11-23 07:00 in Asia/Shanghai.</summary>
    public readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 22, 23, 0, 0, TimeSpan.Zero));
    static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public WebApplication App { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;
    public DemoCityPlan Plan { get; private set; } = null!;
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };
    public IGrainFactory Grains => App.Services.GetRequiredService<IGrainFactory>();

    public async Task InitializeAsync()
    {
        App = GridGovApi.Build(HostArgs(
            // Open311: one platform API key for the demo city (Open311ConformanceTests).
            "--GridGov:Open311:ApiKeys:test-open311-key-1301:PlatformId=p-open311-test",
            "--GridGov:Open311:ApiKeys:test-open311-key-1301:Jurisdiction=1301"), Clock);
        await App.StartAsync();
        Plan = DemoCityGenerator.Generate(DemoCityOptions.Default);
        await App.Services.LoadDemoCityAsync(DemoCityOptions.Default);
        var address = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("0.0.0.0", "127.0.0.1"));
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }

    /// <summary>A test host on a free loopback port with its own silo ports, no rate limit to speak of, and quiet logs.</summary>
    internal static string[] HostArgs(params string[] extra) =>
    [
        "--urls=http://127.0.0.1:0",
        $"--GridGov:SiloPort={FreePort()}",
        $"--GridGov:GatewayPort={FreePort()}",
        "--GridGov:RateLimit:PermitsPerSecond=10000",
        "--GridGov:RateLimit:Burst=10000",
        "--Logging:LogLevel:Default=Warning",
        .. extra,
    ];

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public string Token(Actor actor) => App.Services.GetRequiredService<TokenService>().Mint(actor);

    public DateTimeOffset LocalNow => TimeZoneInfo.ConvertTime(Clock.GetUtcNow(), Shanghai);

    /// <summary>Moves the fake clock to the next time the city's clock shows <paramref name="time"/>.</summary>
    public void AdvanceToLocal(TimeOnly time)
    {
        var local = LocalNow;
        var target = new DateTimeOffset(local.Date + time.ToTimeSpan(), local.Offset);
        if (target <= local) target = target.AddDays(1);
        Clock.Advance(target - local);
    }

    /// <summary>POSTs a GraphQL request as <paramref name="actor"/> (anonymous when null).</summary>
    public async Task<GraphQLResponse> Send(Actor? actor, string query, object? variables = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseAddress, "/graphql"))
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/graphql-response+json");
        if (actor is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token(actor));
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new GraphQLResponse(response.StatusCode, JsonNode.Parse(body)!.AsObject());
    }
}

/// <summary>A GraphQL response: its data, and its errors' codes and rules.</summary>
public sealed record GraphQLResponse(HttpStatusCode Status, JsonObject Body)
{
    public JsonNode? Data => Body["data"];
    public JsonArray Errors => Body["errors"]?.AsArray() ?? [];
    public bool Ok => Errors.Count == 0;
    public string? Code => Errors.FirstOrDefault()?["extensions"]?["code"]?.GetValue<string>();
    public string? Rule => Errors.FirstOrDefault()?["extensions"]?["rule"]?.GetValue<string>();

    public JsonNode Field(string name) => Ok ? Data![name]! : throw new Xunit.Sdk.XunitException($"GraphQL errors: {Errors.ToJsonString()}");

    /// <summary>Asserts a refusal with the given code (and rule, when given).</summary>
    public GraphQLResponse Refused(string code, string? rule = null)
    {
        Assert.False(Ok, $"Expected {code} but the call succeeded: {Body.ToJsonString()}");
        Assert.Equal(code, Code);
        if (rule is not null) Assert.Equal(rule, Rule);
        Assert.DoesNotContain("   at ", Body.ToJsonString());
        return this;
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
