using System.Net;
using GridGov.Api.Auth;
using GridGov.Api.GraphQL.Protection;
using GridGov.Api.Tests.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace GridGov.Api.Tests.Protection;

/// <summary>Two requests per caller, and no new permit for 1,000 s: a third request within a test is always over.</summary>
public sealed class TinyRateLimitServer : SecuredServerFixture
{
    protected override Dictionary<string, string?> Settings => new()
    {
        ["GridGov:Auth:SigningKey"] = SigningKey,
        ["GridGov:RateLimit:PermitsPerSecond"] = "0.001",
        ["GridGov:RateLimit:Burst"] = "2",
    };
}

public sealed class RateLimitTests(TinyRateLimitServer server) : IClassFixture<TinyRateLimitServer>
{
    [Fact]
    public async Task Third_request_from_the_same_caller_is_429_while_another_caller_still_passes()
    {
        var first = server.Tokens.Mint(new Actor("I" + Guid.NewGuid().ToString("N")[..8], Role.Inspector, "130101001"));
        var second = server.Tokens.Mint(new Actor("p-" + Guid.NewGuid().ToString("N")[..8], Role.Platform, "1301"));

        for (var i = 0; i < 2; i++)
        {
            using var ok = await server.PostAsync("{ me }", first);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var limited = await server.PostAsync("{ me }", first);
        using var other = await server.PostAsync("{ me }", second);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var retryAfter = Assert.Single(limited.Headers.GetValues("Retry-After"));
        Assert.InRange(int.Parse(retryAfter), 1, 1000);
        var error = (await SecuredServerFixture.ReadJsonAsync(limited)).GetProperty("errors")[0];
        Assert.Equal("RATE_LIMITED", error.GetProperty("extensions").GetProperty("code").GetString());
        Assert.StartsWith("Rate limit exceeded: ", error.GetProperty("message").GetString());
        Assert.Equal("application/graphql-response+json", limited.Content.Headers.ContentType?.MediaType);

        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public void Options_are_read_from_configuration()
    {
        var options = RateLimitOptions.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GridGov:RateLimit:PermitsPerSecond"] = "5",
            ["GridGov:RateLimit:Burst"] = "7",
        }).Build());

        Assert.Equal((5d, 7), (options.PermitsPerSecond, options.Burst));
        Assert.Equal((20d, 40), (new RateLimitOptions().PermitsPerSecond, new RateLimitOptions().Burst));
    }

    [Fact]
    public async Task Bad_settings_fail_the_start_with_a_clear_message()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["GridGov:RateLimit:Burst"] = "0" });
        builder.AddGridGovRateLimiting();
        await using var app = builder.Build();
        app.UseRateLimiter();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync(timeout.Token));

        Assert.Contains("GridGov:RateLimit", error.Message);
    }
}
