using System.Net.WebSockets;
using System.Text.Json;

namespace GridGov.Api.Tests.Transport;

[Collection(DefaultTransportCollection.Name)]
public sealed class WebSocketTransportTests(DefaultTransportFixture server)
{
    [Fact]
    public async Task Connection_init_is_acknowledged_with_the_graphql_transport_ws_subprotocol()
    {
        await using var client = await WsTestClient.ConnectAndInitAsync(server.WebSocketUri, new { hello = "there" });

        Assert.Equal("graphql-transport-ws", client.Socket.SubProtocol);
    }

    [Fact]
    public async Task Ping_gets_pong_echoing_the_payload_and_pong_is_accepted()
    {
        await using var client = await WsTestClient.ConnectAndInitAsync(server.WebSocketUri);

        await client.SendAsync(new { type = "pong" });
        await client.SendAsync(new { type = "ping", payload = new { seq = 7 } });
        var pong = await client.ReceiveAsync();
        Assert.Equal("pong", pong.GetProperty("type").GetString());
        Assert.Equal(7, pong.GetProperty("payload").GetProperty("seq").GetInt32());

        await client.SendAsync(new { type = "ping" });
        var bare = await client.ReceiveAsync();
        Assert.Equal("pong", bare.GetProperty("type").GetString());
        Assert.False(bare.TryGetProperty("payload", out _));
    }

    [Fact]
    public async Task Ping_before_connection_init_is_answered()
    {
        await using var client = await WsTestClient.ConnectAsync(server.WebSocketUri);

        await client.SendAsync(new { type = "ping" });

        Assert.Equal("pong", (await client.ReceiveAsync()).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Subscription_streams_n_next_messages_then_complete()
    {
        await using var client = await WsTestClient.ConnectAndInitAsync(server.WebSocketUri);

        await client.SubscribeAsync("s1", "subscription($n: Int!) { ticks(count: $n) }", new { n = 3 });

        for (var expected = 1; expected <= 3; expected++)
        {
            var next = await client.ReceiveAsync();
            Assert.Equal("next", next.GetProperty("type").GetString());
            Assert.Equal("s1", next.GetProperty("id").GetString());
            Assert.Equal(expected, next.GetProperty("payload").GetProperty("data").GetProperty("ticks").GetInt32());
        }

        var complete = await client.ReceiveAsync();
        Assert.Equal("complete", complete.GetProperty("type").GetString());
        Assert.Equal("s1", complete.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Query_and_mutation_over_websocket_give_one_next_then_complete()
    {
        await using var client = await WsTestClient.ConnectAndInitAsync(server.WebSocketUri);

        await client.SubscribeAsync("q1", "query Greet($n: String) { hello(name: $n) }", new { n = "ws" }, "Greet");
        var next = await client.ReceiveAsync();
        Assert.Equal("next", next.GetProperty("type").GetString());
        Assert.Equal("q1", next.GetProperty("id").GetString());
        Assert.Equal("Hello, ws!", next.GetProperty("payload").GetProperty("data").GetProperty("hello").GetString());
        Assert.Equal("complete", (await client.ReceiveAsync()).GetProperty("type").GetString());

        await client.SubscribeAsync("m1", "mutation { increment }");
        var mutation = await client.ReceiveAsync();
        Assert.Equal("m1", mutation.GetProperty("id").GetString());
        Assert.True(mutation.GetProperty("payload").GetProperty("data").GetProperty("increment").GetInt32() >= 1);
        Assert.Equal("complete", (await client.ReceiveAsync()).GetProperty("type").GetString());
    }

    [Fact]
    public async Task An_id_can_be_reused_once_its_operation_completed()
    {
        await using var client = await WsTestClient.ConnectAndInitAsync(server.WebSocketUri);

        for (var round = 0; round < 2; round++)
        {
            await client.SubscribeAsync("same", "{ hello }");
            await client.ReceiveUntilAsync("complete");
        }
    }

    [Fact]
    public async Task Validation_error_gives_an_error_message_with_graphql_errors_and_no_complete()
    {
        await using var client = await WsTestClient.ConnectAndInitAsync(server.WebSocketUri);

        await client.SubscribeAsync("bad", "subscription { nope }");
        var error = await client.ReceiveAsync();
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal("bad", error.GetProperty("id").GetString());
        var errors = error.GetProperty("payload");
        Assert.Equal(JsonValueKind.Array, errors.ValueKind);
        Assert.Contains("nope", errors[0].GetProperty("message").GetString());
        Assert.False(string.IsNullOrEmpty(errors[0].GetProperty("extensions").GetProperty("code").GetString()));

        // nothing else for "bad": the next message is the pong
        await client.SendAsync(new { type = "ping" });
        Assert.Equal("pong", (await client.ReceiveAsync()).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Field_error_over_websocket_is_a_next_with_errors_then_complete()
    {
        await using var client = await WsTestClient.ConnectAndInitAsync(server.WebSocketUri);

        await client.SubscribeAsync("f1", "{ hello boom coded }");
        var next = await client.ReceiveAsync();
        Assert.Equal("next", next.GetProperty("type").GetString());
        var payload = next.GetProperty("payload");
        Assert.Equal("Hello, world!", payload.GetProperty("data").GetProperty("hello").GetString());
        var codes = payload.GetProperty("errors").EnumerateArray()
            .Select(e => e.GetProperty("extensions").GetProperty("code").GetString()!)
            .Order()
            .ToArray();
        Assert.Equal(["GRID_NOT_FOUND", "INTERNAL"], codes);
        Assert.DoesNotContain("hunter2", payload.GetRawText());
        Assert.Equal("complete", (await client.ReceiveAsync()).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Duplicate_subscribe_id_while_active_closes_with_4409()
    {
        await using var client = await WsTestClient.ConnectAndInitAsync(server.WebSocketUri);

        await client.SubscribeAsync("dup", "subscription { ticks(count: 100000, delayMs: 50) }");
        await client.SubscribeAsync("dup", "subscription { ticks(count: 1) }");

        var (code, reason) = await client.ReceiveCloseAsync();
        Assert.Equal(4409, code);
        Assert.Equal("Subscriber for dup already exists", reason);
    }

    [Fact]
    public async Task Subscribe_before_connection_ack_closes_with_4401()
    {
        await using var client = await WsTestClient.ConnectAsync(server.WebSocketUri);

        await client.SubscribeAsync("early", "{ hello }");

        var (code, reason) = await client.ReceiveCloseAsync();
        Assert.Equal(4401, code);
        Assert.Equal("Unauthorized", reason);
    }

    [Fact]
    public async Task Second_connection_init_closes_with_4429()
    {
        await using var client = await WsTestClient.ConnectAndInitAsync(server.WebSocketUri);

        await client.SendAsync(new { type = "connection_init" });

        var (code, reason) = await client.ReceiveCloseAsync();
        Assert.Equal(4429, code);
        Assert.Equal("Too many initialisation requests", reason);
    }

    [Theory]
    [InlineData("this is not json")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"payload\":{}}")]
    [InlineData("{\"type\":42}")]
    [InlineData("{\"type\":\"start\",\"id\":\"1\"}")]
    [InlineData("{\"type\":\"next\",\"id\":\"1\",\"payload\":{}}")]
    [InlineData("{\"type\":\"connection_ack\"}")]
    [InlineData("{\"type\":\"subscribe\",\"payload\":{\"query\":\"{ hello }\"}}")]
    [InlineData("{\"type\":\"subscribe\",\"id\":\"\",\"payload\":{\"query\":\"{ hello }\"}}")]
    [InlineData("{\"type\":\"subscribe\",\"id\":\"1\"}")]
    [InlineData("{\"type\":\"subscribe\",\"id\":\"1\",\"payload\":{\"query\":7}}")]
    [InlineData("{\"type\":\"subscribe\",\"id\":\"1\",\"payload\":{\"query\":\"{ hello }\",\"variables\":[]}}")]
    [InlineData("{\"type\":\"complete\"}")]
    [InlineData("{\"type\":\"ping\",\"payload\":\"x\"}")]
    public async Task Invalid_message_closes_with_4400(string message)
    {
        await using var client = await WsTestClient.ConnectAndInitAsync(server.WebSocketUri);

        await client.SendRawAsync(message);

        var (code, reason) = await client.ReceiveCloseAsync();
        Assert.Equal(4400, code);
        Assert.StartsWith("Invalid message received", reason);
    }

    [Fact]
    public async Task Client_complete_stops_the_stream()
    {
        await using var client = await WsTestClient.ConnectAndInitAsync(server.WebSocketUri);
        var key = Guid.NewGuid().ToString("N");

        await client.SubscribeAsync("live", "subscription($k: String) { ticks(count: 100000, delayMs: 10, key: $k) }", new { k = key });
        var first = await client.ReceiveAsync();
        Assert.Equal("next", first.GetProperty("type").GetString());

        await client.SendAsync(new { id = "live", type = "complete" });
        await server.State.Unsubscribed(key).WaitAsync(WsTestClient.DefaultTimeout);

        // 'next' frames already in flight may precede the pong, but nothing of "live" follows it,
        // and the server does not echo 'complete' for a client-completed operation.
        await client.SendAsync(new { type = "ping", payload = new { n = 1 } });
        var (_, before) = await client.ReceiveUntilAsync("pong");
        Assert.All(before, m => Assert.Equal("next", m.GetProperty("type").GetString()));
        await client.SendAsync(new { type = "ping", payload = new { n = 2 } });
        var pong = await client.ReceiveAsync();
        Assert.Equal("pong", pong.GetProperty("type").GetString());
        Assert.Equal(2, pong.GetProperty("payload").GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Closing_the_socket_disposes_its_subscriptions()
    {
        var client = await WsTestClient.ConnectAndInitAsync(server.WebSocketUri);
        var keys = new[] { Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N") };
        for (var i = 0; i < keys.Length; i++)
        {
            await client.SubscribeAsync($"s{i}", "subscription($k: String) { ticks(count: 100000, delayMs: 20, key: $k) }", new { k = keys[i] });
        }

        await client.ReceiveAsync(); // streams are running

        await client.DisposeAsync();

        await Task.WhenAll(keys.Select(server.State.Unsubscribed)).WaitAsync(WsTestClient.DefaultTimeout);
    }

    [Fact]
    public async Task Missing_subprotocol_closes_with_4406()
    {
        await using var client = await WsTestClient.ConnectAsync(server.WebSocketUri, subProtocol: null);

        var (code, reason) = await client.ReceiveCloseAsync();

        Assert.Equal(4406, code);
        Assert.Equal("Subprotocol not acceptable", reason);
    }

    [Fact]
    public async Task Concurrent_operations_on_one_socket_are_routed_by_id()
    {
        await using var client = await WsTestClient.ConnectAndInitAsync(server.WebSocketUri);

        await client.SubscribeAsync("a", "subscription { ticks(count: 5, delayMs: 5) }");
        await client.SubscribeAsync("b", "subscription { ticks(count: 5, delayMs: 5) }");
        await client.SubscribeAsync("c", "{ hello }");

        var received = new Dictionary<string, List<string>> { ["a"] = [], ["b"] = [], ["c"] = [] };
        var completed = 0;
        while (completed < 3)
        {
            var message = await client.ReceiveAsync();
            var type = message.GetProperty("type").GetString()!;
            received[message.GetProperty("id").GetString()!].Add(type);
            if (type == "complete")
            {
                completed++;
            }
        }

        Assert.Equal([.. Enumerable.Repeat("next", 5), "complete"], received["a"]);
        Assert.Equal([.. Enumerable.Repeat("next", 5), "complete"], received["b"]);
        Assert.Equal(["next", "complete"], received["c"]);
    }
}
