using System.Diagnostics;
using System.Net;
using System.Text;

namespace GridGov.Api.Tests.Transport;

/// <summary>Tests that wait for ConnectionInitTimeout / ExecutionTimeout (both 500 ms here) to expire.</summary>
public sealed class TimeoutTransportTests(ShortTimeoutsTransportFixture server) : IClassFixture<ShortTimeoutsTransportFixture>
{
    [Fact]
    public async Task No_connection_init_within_the_timeout_closes_with_4408()
    {
        var stopwatch = Stopwatch.StartNew();
        await using var client = await WsTestClient.ConnectAsync(server.WebSocketUri);

        var (code, reason) = await client.ReceiveCloseAsync(ShortTimeoutsTransportFixture.Timeout + TimeSpan.FromSeconds(5));

        Assert.Equal(4408, code);
        Assert.Equal("Connection initialisation timeout", reason);
        Assert.True(stopwatch.Elapsed >= ShortTimeoutsTransportFixture.Timeout - TimeSpan.FromMilliseconds(50), $"closed after {stopwatch.Elapsed}");
    }

    [Theory]
    [InlineData("application/graphql-response+json", HttpStatusCode.GatewayTimeout)]
    [InlineData("application/json", HttpStatusCode.OK)]
    public async Task Execution_timeout_stops_a_slow_query(string accept, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent("{\"query\":\"{ slow(ms: 10000) }\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Accept", accept);
        var stopwatch = Stopwatch.StartNew();

        using var response = await server.Http.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("TIMEOUT", HttpTransportTests.FirstErrorCode(await HttpTransportTests.ReadJsonAsync(response)));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(9), $"answered after {stopwatch.Elapsed}");
    }
}
