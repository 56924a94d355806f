using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using GridGov.Api.Auth;
using GridGov.Api.Tests.Transport;

namespace GridGov.Api.Tests.Auth;

[Collection(SecuredServerCollection.Name)]
public sealed class AuthTransportTests(SecuredServer server)
{
    private static readonly Actor Inspector = new("I0001", Role.Inspector, "130101001");

    [Fact]
    public async Task Bearer_token_over_http_reaches_the_resolver_as_the_user()
    {
        using var response = await server.PostAsync("{ me actor }", server.Tokens.Mint(Inspector));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = (await SecuredServerFixture.ReadJsonAsync(response)).GetProperty("data");
        Assert.Equal("I0001", data.GetProperty("me").GetString());
        Assert.Equal("Inspector I0001 @130101001", data.GetProperty("actor").GetString());
    }

    [Fact]
    public async Task Anonymous_request_still_reaches_graphql()
    {
        using var response = await server.PostAsync("{ hello me }");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = (await SecuredServerFixture.ReadJsonAsync(response)).GetProperty("data");
        Assert.Equal("hello", data.GetProperty("hello").GetString());
        Assert.Equal(JsonValueKind.Null, data.GetProperty("me").ValueKind);
    }

    [Fact]
    public async Task Invalid_bearer_token_is_401_from_jwt_bearer()
    {
        using var response = await server.PostAsync("{ hello }", "not.a.token");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task Token_signed_with_another_key_is_401()
    {
        var forged = new TokenService(new AuthOptions { SigningKey = "a-different-key-that-is-long-enough-0123" }).Mint(Inspector);

        using var response = await server.PostAsync("{ me }", forged);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer" && h.Parameter?.Contains("invalid_token") == true);
    }

    [Theory]
    [InlineData("Authorization")]
    [InlineData("token")]
    public async Task Connection_init_with_a_valid_token_is_acked_and_runs_as_the_user(string style)
    {
        var token = server.Tokens.Mint(new Actor("h-U001", Role.Handler, "U001"));
        object payload = style == "token" ? new { token } : new Dictionary<string, string> { ["Authorization"] = "Bearer " + token };
        await using var client = await WsTestClient.ConnectAndInitAsync(server.WebSocketUri, payload);

        await client.SubscribeAsync("1", "{ me actor }");
        var (next, _) = await client.ReceiveUntilAsync("next");

        var data = next.GetProperty("payload").GetProperty("data");
        Assert.Equal("h-U001", data.GetProperty("me").GetString());
        Assert.Equal("Handler h-U001 @U001", data.GetProperty("actor").GetString());
    }

    [Theory]
    [InlineData("{\"Authorization\":\"Bearer not.a.token\"}")]
    [InlineData("{\"token\":\"not.a.token\"}")]
    [InlineData("{\"Authorization\":\"Basic dXNlcjpwYXNz\"}")]
    [InlineData("{\"token\":42}")]
    public async Task Connection_init_with_an_invalid_token_closes_4403(string payload)
    {
        await using var client = await WsTestClient.ConnectAsync(server.WebSocketUri);

        await client.SendRawAsync("{\"type\":\"connection_init\",\"payload\":" + payload + "}");
        var (code, reason) = await client.ReceiveCloseAsync();

        Assert.Equal(4403, code);
        Assert.Equal("Forbidden", reason);
    }

    [Fact]
    public async Task Connection_init_with_an_expired_token_closes_4403()
    {
        var expired = new TokenService(new AuthOptions { SigningKey = SecuredServerFixture.SigningKey },
                new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-2)))
            .Mint(Inspector);
        await using var client = await WsTestClient.ConnectAsync(server.WebSocketUri);

        await client.SendAsync(new { type = "connection_init", payload = new { token = expired } });
        var (code, _) = await client.ReceiveCloseAsync();

        Assert.Equal(4403, code);
    }

    [Fact]
    public async Task Connection_without_a_token_runs_as_the_upgrade_requests_user()
    {
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("graphql-transport-ws");
        socket.Options.SetRequestHeader("Authorization", "Bearer " + server.Tokens.Mint(new Actor("p-12345", Role.Platform, "1301")));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(server.WebSocketUri, timeout.Token);

        await SendAsync(socket, "{\"type\":\"connection_init\"}", timeout.Token);
        Assert.Equal("connection_ack", (await ReceiveAsync(socket, timeout.Token)).GetProperty("type").GetString());
        await SendAsync(socket, "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ me }\"}}", timeout.Token);
        var next = await ReceiveAsync(socket, timeout.Token);

        Assert.Equal("next", next.GetProperty("type").GetString());
        Assert.Equal("p-12345", next.GetProperty("payload").GetProperty("data").GetProperty("me").GetString());
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
    }

    [Fact]
    public async Task Anonymous_connection_is_acked_and_runs_as_anonymous()
    {
        await using var client = await WsTestClient.ConnectAndInitAsync(server.WebSocketUri);

        await client.SubscribeAsync("1", "{ me }");
        var (next, _) = await client.ReceiveUntilAsync("next");

        Assert.Equal(JsonValueKind.Null, next.GetProperty("payload").GetProperty("data").GetProperty("me").ValueKind);
    }

    [Fact]
    public async Task Upgrade_with_an_invalid_bearer_header_is_refused_with_401()
    {
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("graphql-transport-ws");
        socket.Options.SetRequestHeader("Authorization", "Bearer not.a.token");
        socket.Options.CollectHttpResponseDetails = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(server.WebSocketUri, timeout.Token));
        Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
    }

    private static Task SendAsync(ClientWebSocket socket, string text, CancellationToken token)
        => socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, token);

    private static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket, CancellationToken token)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var frame = await socket.ReceiveAsync(buffer, token);
            Assert.NotEqual(WebSocketMessageType.Close, frame.MessageType);
            message.Write(buffer, 0, frame.Count);
            if (frame.EndOfMessage)
            {
                using var document = JsonDocument.Parse(message.ToArray());
                return document.RootElement.Clone();
            }
        }
    }
}
