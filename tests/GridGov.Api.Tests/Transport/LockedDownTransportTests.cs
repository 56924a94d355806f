using System.Net;
using System.Text;
using System.Text.Json;

namespace GridGov.Api.Tests.Transport;

/// <summary>Introspection off, authenticated WebSockets and the host hooks.</summary>
public sealed class LockedDownTransportTests(LockedDownTransportFixture server) : IClassFixture<LockedDownTransportFixture>
{
    [Theory]
    [InlineData("{ __schema { queryType { name } } }")]
    [InlineData("{ __type(name: \"Query\") { name } }")]
    [InlineData("{ hello ... on Query { __schema { types { name } } } }")]
    public async Task Introspection_queries_are_refused_with_a_validation_error(string query)
    {
        using var response = await PostAsync(new { query }, "application/graphql-response+json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await HttpTransportTests.ReadJsonAsync(response);
        Assert.False(body.TryGetProperty("data", out _));
        var error = body.GetProperty("errors")[0];
        Assert.Contains("introspection", error.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.False(string.IsNullOrEmpty(error.GetProperty("extensions").GetProperty("code").GetString()));
    }

    [Fact]
    public async Task Typename_is_still_allowed()
    {
        using var response = await PostAsync(new { query = "{ __typename hello }" }, "application/graphql-response+json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Query", (await HttpTransportTests.ReadJsonAsync(response)).GetProperty("data").GetProperty("__typename").GetString());
    }

    [Fact]
    public async Task Schema_sdl_endpoint_is_404_when_introspection_is_off()
    {
        using var response = await server.Http.GetAsync("/graphql/schema.graphql");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Introspection_over_websocket_is_an_error_message()
    {
        await using var client = await WsTestClient.ConnectAndInitAsync(server.WebSocketUri, new { token = LockedDownTransportFixture.Token });

        await client.SubscribeAsync("i", "{ __schema { types { name } } }");

        var error = await client.ReceiveAsync();
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Contains("introspection", error.GetProperty("payload")[0].GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Extra_validation_rule_from_options_is_applied()
    {
        using var response = await PostAsync(new { query = "{ hello boom }" }, "application/graphql-response+json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("BOOM_FORBIDDEN", HttpTransportTests.FirstErrorCode(await HttpTransportTests.ReadJsonAsync(response)));
    }

    [Fact]
    public async Task Configure_execution_hook_sees_the_http_context()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent("{\"query\":\"{ tenant }\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Tenant", "xicheng");

        using var response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("xicheng", (await HttpTransportTests.ReadJsonAsync(response)).GetProperty("data").GetProperty("tenant").GetString());
    }

    [Fact]
    public async Task Execution_timeout_applies_to_queries_but_not_to_subscription_streams()
    {
        const string query = "query TimeoutProbe { hello }";
        const string subscription = "subscription TimeoutProbe { ticks(count: 1) }";
        await using var client = await WsTestClient.ConnectAndInitAsync(server.WebSocketUri, new { token = LockedDownTransportFixture.Token });

        await client.SubscribeAsync("q", query);
        await client.ReceiveUntilAsync("complete");
        await client.SubscribeAsync("s", subscription);
        await client.ReceiveUntilAsync("complete");

        Assert.Equal(LockedDownTransportFixture.ExecutionTimeout, server.TimeoutsSeen[query]);
        Assert.Equal(Timeout.InfiniteTimeSpan, server.TimeoutsSeen[subscription]);
    }

    [Fact]
    public async Task Websocket_without_credentials_is_closed_with_4403()
    {
        await using var client = await WsTestClient.ConnectAsync(server.WebSocketUri);

        await client.SendAsync(new { type = "connection_init", payload = new { token = "wrong" } });

        var (code, reason) = await client.ReceiveCloseAsync();
        Assert.Equal(4403, code);
        Assert.Equal("Forbidden", reason);
    }

    [Fact]
    public async Task Websocket_operations_run_as_the_authenticated_user()
    {
        await using var client = await WsTestClient.ConnectAndInitAsync(server.WebSocketUri, new { token = LockedDownTransportFixture.Token });

        await client.SubscribeAsync("me", "{ whoami }");

        var next = await client.ReceiveAsync();
        Assert.True(next.GetProperty("type").GetString() == "next", next.GetRawText());
        Assert.Equal(LockedDownTransportFixture.UserName, next.GetProperty("payload").GetProperty("data").GetProperty("whoami").GetString());
        Assert.Equal("complete", (await client.ReceiveAsync()).GetProperty("type").GetString());
    }

    private async Task<HttpResponseMessage> PostAsync(object body, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return await server.Http.SendAsync(request);
    }
}
