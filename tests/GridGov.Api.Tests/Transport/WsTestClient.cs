using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace GridGov.Api.Tests.Transport;

/// <summary>
/// A <c>graphql-transport-ws</c> test client over <see cref="ClientWebSocket"/>. Every receive is bounded.
/// </summary>
public sealed class WsTestClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    private readonly ClientWebSocket _socket;

    private WsTestClient(ClientWebSocket socket) => _socket = socket;

    public WebSocket Socket => _socket;

    public static async Task<WsTestClient> ConnectAsync(Uri uri, string? subProtocol = "graphql-transport-ws")
    {
        var socket = new ClientWebSocket();
        if (subProtocol is not null)
        {
            socket.Options.AddSubProtocol(subProtocol);
        }

        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await socket.ConnectAsync(uri, timeout.Token);
        return new WsTestClient(socket);
    }

    public static async Task<WsTestClient> ConnectAndInitAsync(Uri uri, object? payload = null)
    {
        var client = await ConnectAsync(uri);
        await client.SendAsync(payload is null ? new { type = "connection_init" } : new { type = "connection_init", payload });
        var ack = await client.ReceiveAsync();
        Assert.Equal("connection_ack", ack.GetProperty("type").GetString());
        return client;
    }

    public Task SendAsync(object message) => SendRawAsync(JsonSerializer.Serialize(message));

    public Task SubscribeAsync(string id, string query, object? variables = null, string? operationName = null)
        => SendAsync(new { id, type = "subscribe", payload = new { query, variables, operationName } });

    public async Task SendRawAsync(string text)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    /// <summary>The next message; fails if the server closes the socket or nothing arrives in time.</summary>
    public async Task<JsonElement> ReceiveAsync(TimeSpan? timeout = null)
    {
        var (message, closeStatus, closeDescription) = await ReceiveFrameAsync(timeout ?? DefaultTimeout);
        Assert.True(message is not null, $"Expected a message but the socket closed with {(int?)closeStatus}: {closeDescription}");
        return message!.Value;
    }

    /// <summary>Skips data messages until the server's close frame; returns its code and reason.</summary>
    public async Task<(int Code, string? Reason)> ReceiveCloseAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var remaining = deadline - DateTime.UtcNow;
            Assert.True(remaining > TimeSpan.Zero, "The server did not close the socket in time.");
            var (message, closeStatus, closeDescription) = await ReceiveFrameAsync(remaining);
            if (message is null)
            {
                return ((int)closeStatus!.Value, closeDescription);
            }
        }
    }

    /// <summary>Receives messages until one of type <paramref name="type"/>; returns the ones before it too.</summary>
    public async Task<(JsonElement Match, List<JsonElement> Before)> ReceiveUntilAsync(string type, TimeSpan? timeout = null)
    {
        var before = new List<JsonElement>();
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var remaining = deadline - DateTime.UtcNow;
            Assert.True(remaining > TimeSpan.Zero, $"No '{type}' message arrived in time.");
            var message = await ReceiveAsync(remaining);
            if (message.GetProperty("type").GetString() == type)
            {
                return (message, before);
            }

            before.Add(message);
        }
    }

    private async Task<(JsonElement? Message, WebSocketCloseStatus? CloseStatus, string? CloseDescription)> ReceiveFrameAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            WebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(buffer, cts.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Nothing was received within {timeout}.");
                throw;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (null, result.CloseStatus, result.CloseStatusDescription);
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                using var document = JsonDocument.Parse(message.ToArray());
                return (document.RootElement.Clone(), null, null);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // server already gone
        }

        _socket.Dispose();
    }
}
