using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using GraphQL;

namespace GridGov.Api.GraphQL.Transport;

/// <summary>
/// One WebSocket speaking <c>graphql-transport-ws</c> (enisdenjo/graphql-ws PROTOCOL.md).
/// The receive loop handles one message at a time; each operation runs on its own task and all outgoing
/// frames go through one send lock. Closing the socket, for whatever reason, cancels every operation.
/// </summary>
internal sealed class GraphQLWebSocketSession
{
    public const int CloseBadRequest = 4400;
    public const int CloseUnauthorized = 4401;
    public const int CloseForbidden = 4403;
    public const int CloseSubprotocolNotAcceptable = 4406;
    public const int CloseConnectionInitTimeout = 4408;
    public const int CloseSubscriberAlreadyExists = 4409;
    public const int CloseTooManyInitRequests = 4429;
    public const int CloseInternalServerError = 4500;

    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    private readonly WebSocket _socket;
    private readonly HttpContext _httpContext;
    private readonly GraphQLTransportOptions _options;
    private readonly GraphQLRequestExecutor _executor;
    private readonly IGraphQLConnectionAuthenticator _authenticator;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _sessionCts;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _receiveBuffer = new(4096);
    private readonly ConcurrentDictionary<string, Operation> _operations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Operation, byte> _running = new();

    private int _initReceived;
    private volatile bool _acknowledged;
    private int _closing;
    private ClaimsPrincipal? _user;
    private Dictionary<string, object?>? _userContext;

    public GraphQLWebSocketSession(
        WebSocket socket,
        HttpContext httpContext,
        GraphQLTransportOptions options,
        GraphQLRequestExecutor executor,
        IGraphQLConnectionAuthenticator authenticator,
        ILogger logger)
    {
        _socket = socket;
        _httpContext = httpContext;
        _options = options;
        _executor = executor;
        _authenticator = authenticator;
        _logger = logger;
        _sessionCts = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted);
    }

    /// <summary>Closes a socket that will not get a session, then waits (briefly) for the client's close frame.</summary>
    public static async Task RefuseAsync(WebSocket socket, int closeCode, string reason, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CloseHandshakeTimeout);
        try
        {
            await socket.CloseOutputAsync((WebSocketCloseStatus)closeCode, reason, timeout.Token).ConfigureAwait(false);
            var buffer = new byte[256];
            while (socket.State == WebSocketState.CloseSent)
            {
                await socket.ReceiveAsync(buffer, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // the client went away first
        }
    }

    public async Task RunAsync()
    {
        var token = _sessionCts.Token;
        var initWatch = WatchConnectionInitAsync(token);
        try
        {
            while (await ReceiveMessageAsync(token).ConfigureAwait(false) is { } message)
            {
                await HandleMessageAsync(message).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // request aborted, or the client did not answer our close frame in time
        }
        catch (WebSocketException ex)
        {
            _logger.LogDebug(ex, "GraphQL WebSocket ended abruptly");
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "GraphQL WebSocket session failed");
            await CloseAsync(CloseInternalServerError, "Internal server error").ConfigureAwait(false);
        }
        finally
        {
            CancelAllOperations();
            await _sessionCts.CancelAsync().ConfigureAwait(false);
            await WaitForOperationsAsync().ConfigureAwait(false);
            await initWatch.ConfigureAwait(false);
            _sessionCts.Dispose();
        }
    }

    // ---- receiving ------------------------------------------------------------------------------

    /// <summary>The next complete text message, or null once the socket is closed.</summary>
    private async Task<ReadOnlyMemory<byte>?> ReceiveMessageAsync(CancellationToken token)
    {
        _receiveBuffer.Clear();
        while (true)
        {
            var frame = await _socket.ReceiveAsync(_receiveBuffer.GetMemory(4096), token).ConfigureAwait(false);
            if (frame.MessageType == WebSocketMessageType.Close)
            {
                await AnswerPeerCloseAsync().ConfigureAwait(false);
                return null;
            }

            _receiveBuffer.Advance(frame.Count);
            if (Volatile.Read(ref _closing) != 0)
            {
                _receiveBuffer.Clear(); // closing: drain until the client's close frame
                continue;
            }

            if (_receiveBuffer.WrittenCount > _options.MaxRequestBodyBytes)
            {
                await CloseAsync((int)WebSocketCloseStatus.MessageTooBig, "Message too big").ConfigureAwait(false);
                continue;
            }

            if (!frame.EndOfMessage)
            {
                continue;
            }

            if (frame.MessageType != WebSocketMessageType.Text)
            {
                await CloseAsync(CloseBadRequest, "Invalid message received: binary messages are not supported").ConfigureAwait(false);
                continue;
            }

            return _receiveBuffer.WrittenMemory;
        }
    }

    private async Task HandleMessageAsync(ReadOnlyMemory<byte> message)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(message);
        }
        catch (JsonException)
        {
            await CloseAsync(CloseBadRequest, "Invalid message received: malformed JSON").ConfigureAwait(false);
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("type", out var typeElement)
                || typeElement.ValueKind != JsonValueKind.String)
            {
                await CloseAsync(CloseBadRequest, "Invalid message received: missing 'type'").ConfigureAwait(false);
                return;
            }

            var type = typeElement.GetString();
            var handled = type switch
            {
                "connection_init" => OnConnectionInitAsync(root),
                "ping" => OnPingAsync(root),
                "pong" => OnPongAsync(root),
                "subscribe" => OnSubscribeAsync(root),
                "complete" => OnCompleteAsync(root),
                _ => CloseAsync(CloseBadRequest, $"Invalid message received: unexpected type '{type}'"),
            };
            await handled.ConfigureAwait(false);
        }
    }

    // ---- message handlers -----------------------------------------------------------------------

    private async Task OnConnectionInitAsync(JsonElement message)
    {
        if (!TryGetOptionalObject(message, "payload", out var payload))
        {
            await CloseAsync(CloseBadRequest, "Invalid message received: connection_init payload must be an object").ConfigureAwait(false);
            return;
        }

        if (Interlocked.Exchange(ref _initReceived, 1) == 1)
        {
            await CloseAsync(CloseTooManyInitRequests, "Too many initialisation requests").ConfigureAwait(false);
            return;
        }

        ClaimsPrincipal? user;
        try
        {
            user = await _authenticator.AuthenticateAsync(_httpContext, payload).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "GraphQL WebSocket authenticator failed");
            await CloseAsync(CloseInternalServerError, "Internal server error").ConfigureAwait(false);
            return;
        }

        if (user is null)
        {
            await CloseAsync(CloseForbidden, "Forbidden").ConfigureAwait(false);
            return;
        }

        _user = user;
        if (payload is { } initPayload)
        {
            _userContext = new Dictionary<string, object?> { [GraphQLTransportOptions.ConnectionInitPayloadKey] = initPayload };
        }

        _acknowledged = true;
        await SendAsync(Message("connection_ack"), operation: null).ConfigureAwait(false);
    }

    private async Task OnPingAsync(JsonElement message)
    {
        if (!TryGetOptionalObject(message, "payload", out var payload))
        {
            await CloseAsync(CloseBadRequest, "Invalid message received: ping payload must be an object").ConfigureAwait(false);
            return;
        }

        await SendAsync(Message("pong", payload: payload), operation: null).ConfigureAwait(false);
    }

    private Task OnPongAsync(JsonElement message)
        => TryGetOptionalObject(message, "payload", out _)
            ? Task.CompletedTask
            : CloseAsync(CloseBadRequest, "Invalid message received: pong payload must be an object");

    private async Task OnSubscribeAsync(JsonElement message)
    {
        if (!TryGetId(message, out var id))
        {
            await CloseAsync(CloseBadRequest, "Invalid message received: subscribe needs a non-empty string 'id'").ConfigureAwait(false);
            return;
        }

        if (!message.TryGetProperty("payload", out var payload))
        {
            await CloseAsync(CloseBadRequest, "Invalid message received: subscribe needs a payload").ConfigureAwait(false);
            return;
        }

        if (!GraphQLTransportRequest.TryRead(payload, out var request, out var error))
        {
            await CloseAsync(CloseBadRequest, "Invalid message received: " + error).ConfigureAwait(false);
            return;
        }

        if (!_acknowledged)
        {
            await CloseAsync(CloseUnauthorized, "Unauthorized").ConfigureAwait(false);
            return;
        }

        var operation = new Operation(id, _sessionCts.Token);
        if (!_operations.TryAdd(id, operation))
        {
            await CloseAsync(CloseSubscriberAlreadyExists, $"Subscriber for {id} already exists").ConfigureAwait(false);
            return;
        }

        _running.TryAdd(operation, 0);
        _ = Task.Run(() => RunOperationAsync(operation, request));
    }

    private async Task OnCompleteAsync(JsonElement message)
    {
        if (!TryGetId(message, out var id))
        {
            await CloseAsync(CloseBadRequest, "Invalid message received: complete needs a non-empty string 'id'").ConfigureAwait(false);
            return;
        }

        // Unknown or finished ids are ignored; no 'complete' is echoed for a client-completed operation.
        if (_operations.TryRemove(id, out var operation))
        {
            operation.Cancel();
        }
    }

    // ---- operations -----------------------------------------------------------------------------

    private async Task RunOperationAsync(Operation operation, GraphQLTransportRequest request)
    {
        var token = operation.Token;
        try
        {
            var operationType = GraphQLRequestExecutor.SelectOperationType(request.Query, request.OperationName);
            var result = await _executor.ExecuteAsync(_httpContext, request, operationType, _user!, _userContext, token).ConfigureAwait(false);

            if (result.Streams is { Count: > 0 } streams)
            {
                await StreamAsync(operation, streams.Values.First()).ConfigureAwait(false);
            }
            else if (!result.Executed)
            {
                // request error (syntax, validation, variables, operation selection): 'error', no 'complete'
                await SendAsync(Message("error", operation.Id, await SerializeErrorsAsync(result.Errors).ConfigureAwait(false)), operation).ConfigureAwait(false);
            }
            else
            {
                await SendAsync(Message("next", operation.Id, await SerializeAsync(result).ConfigureAwait(false)), operation).ConfigureAwait(false);
                await SendAsync(Message("complete", operation.Id), operation).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // completed by the client, or the socket closed
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
        {
            // the socket went away while sending
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "GraphQL WebSocket operation {OperationId} failed", operation.Id);
            await TrySendAsync(Message("error", operation.Id, await SerializeErrorsAsync(null).ConfigureAwait(false)), operation).ConfigureAwait(false);
        }
        finally
        {
            _operations.TryRemove(new KeyValuePair<string, Operation>(operation.Id, operation));
            _running.TryRemove(operation, out _);
            operation.Finish();
        }
    }

    /// <summary>Relays the source stream as 'next' messages, then 'complete' when it ends.</summary>
    private async Task StreamAsync(Operation operation, IObservable<ExecutionResult> stream)
    {
        var events = Channel.CreateUnbounded<ExecutionResult>(new UnboundedChannelOptions { SingleReader = true });
        using (stream.Subscribe(new ChannelObserver(events.Writer)))
        {
            await foreach (var result in events.Reader.ReadAllAsync(operation.Token).ConfigureAwait(false))
            {
                GraphQLRequestExecutor.HideUnhandledErrors(result);
                await SendAsync(Message("next", operation.Id, await SerializeAsync(result).ConfigureAwait(false)), operation).ConfigureAwait(false);
            }
        }

        await SendAsync(Message("complete", operation.Id), operation).ConfigureAwait(false);
    }

    private void CancelAllOperations()
    {
        foreach (var operation in _operations.Values)
        {
            operation.Cancel();
        }
    }

    private async Task WaitForOperationsAsync()
    {
        var pending = _running.Keys.Select(o => o.Completion).ToArray();
        if (pending.Length == 0)
        {
            return;
        }

        try
        {
            await Task.WhenAll(pending).WaitAsync(CloseHandshakeTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("{Count} GraphQL operations did not stop within {Timeout}", pending.Length, CloseHandshakeTimeout);
        }
    }

    private async Task WatchConnectionInitAsync(CancellationToken token)
    {
        try
        {
            await Task.Delay(_options.ConnectionInitTimeout, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (Volatile.Read(ref _initReceived) == 0)
        {
            await CloseAsync(CloseConnectionInitTimeout, "Connection initialisation timeout").ConfigureAwait(false);
        }
    }

    // ---- sending and closing --------------------------------------------------------------------

    /// <summary>
    /// Sends one text frame unless the session is closing or the operation was completed/cancelled
    /// (checked under the lock, so nothing of a completed operation follows a later message).
    /// </summary>
    private async Task SendAsync(ReadOnlyMemory<byte> message, Operation? operation)
    {
        await _sendLock.WaitAsync(_sessionCts.Token).ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref _closing) != 0 || operation is { IsCancelled: true })
            {
                return;
            }

            await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, _sessionCts.Token).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task TrySendAsync(ReadOnlyMemory<byte> message, Operation? operation)
    {
        try
        {
            await SendAsync(message, operation).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // nothing more can be told to this client
        }
    }

    /// <summary>Starts the closing handshake (once); the receive loop then drains until the client's close frame.</summary>
    private async Task CloseAsync(int code, string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        CancelAllOperations();
        await CloseOutputAsync((WebSocketCloseStatus)code, TruncateReason(reason)).ConfigureAwait(false);
        try
        {
            _sessionCts.CancelAfter(CloseHandshakeTimeout);
        }
        catch (ObjectDisposedException)
        {
            // session already over
        }
    }

    private async Task AnswerPeerCloseAsync()
    {
        Interlocked.Exchange(ref _closing, 1);
        CancelAllOperations();
        if (_socket.State == WebSocketState.CloseReceived)
        {
            await CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null).ConfigureAwait(false);
        }
    }

    private async Task CloseOutputAsync(WebSocketCloseStatus status, string? reason)
    {
        try
        {
            await _sendLock.WaitAsync(_sessionCts.Token).ConfigureAwait(false);
            try
            {
                if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await _socket.CloseOutputAsync(status, reason, _sessionCts.Token).ConfigureAwait(false);
                }
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the client went away first
        }
    }

    /// <summary>A close reason is at most 123 UTF-8 bytes.</summary>
    private static string TruncateReason(string reason)
    {
        const int maxBytes = 123;
        if (Encoding.UTF8.GetByteCount(reason) <= maxBytes)
        {
            return reason;
        }

        var length = reason.Length;
        while (length > 0 && Encoding.UTF8.GetByteCount(reason.AsSpan(0, length)) > maxBytes - 3)
        {
            length--;
        }

        if (length > 0 && char.IsHighSurrogate(reason[length - 1]))
        {
            length--;
        }

        return string.Concat(reason.AsSpan(0, length), "...");
    }

    // ---- message encoding -----------------------------------------------------------------------

    private static ReadOnlyMemory<byte> Message(string type, string? id = null, ReadOnlyMemory<byte>? rawPayload = null, JsonElement? payload = null)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (id is not null)
            {
                writer.WriteString("id", id);
            }

            writer.WriteString("type", type);
            if (rawPayload is { } raw)
            {
                writer.WritePropertyName("payload");
                writer.WriteRawValue(raw.Span, skipInputValidation: true);
            }
            else if (payload is { } element)
            {
                writer.WritePropertyName("payload");
                element.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    private async Task<ReadOnlyMemory<byte>> SerializeAsync<T>(T value)
    {
        var serializer = GraphQLRequestExecutor.GetSerializer(_httpContext.RequestServices);
        using var stream = new MemoryStream();
        await serializer.WriteAsync(stream, value).ConfigureAwait(false);
        return stream.ToArray();
    }

    private Task<ReadOnlyMemory<byte>> SerializeErrorsAsync(ExecutionErrors? errors)
        => SerializeAsync<IEnumerable<ExecutionError>>(errors is { Count: > 0 } ? errors : new ExecutionErrors { new GraphQLInternalError() });

    private static bool TryGetId(JsonElement message, [NotNullWhen(true)] out string? id)
    {
        id = message.TryGetProperty("id", out var element) && element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        return !string.IsNullOrEmpty(id);
    }

    /// <summary>True when the property is absent, null or an object; the object is returned detached.</summary>
    private static bool TryGetOptionalObject(JsonElement message, string name, out JsonElement? value)
    {
        value = null;
        if (!message.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        value = element.Clone();
        return true;
    }

    // ---- helper types ---------------------------------------------------------------------------

    /// <summary>An operation in flight: its id, its cancellation, and a task that ends when it is done.</summary>
    private sealed class Operation(string id, CancellationToken sessionToken)
    {
        private readonly CancellationTokenSource _cts = CancellationTokenSource.CreateLinkedTokenSource(sessionToken);
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Id { get; } = id;

        public CancellationToken Token => _cts.Token;

        public bool IsCancelled => _cts.IsCancellationRequested;

        public Task Completion => _done.Task;

        public void Cancel()
        {
            try
            {
                _cts.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // already finished
            }
        }

        public void Finish()
        {
            _cts.Dispose();
            _done.TrySetResult();
        }
    }

    /// <summary>Feeds observable events into a channel so they are sent in order by one reader.</summary>
    private sealed class ChannelObserver(ChannelWriter<ExecutionResult> writer) : IObserver<ExecutionResult>
    {
        public void OnNext(ExecutionResult value) => writer.TryWrite(value);

        public void OnError(Exception error)
        {
            var executionError = error as ExecutionError ?? new GraphQLInternalError();
            writer.TryWrite(new ExecutionResult { Errors = new ExecutionErrors { executionError } });
            writer.TryComplete();
        }

        public void OnCompleted() => writer.TryComplete();
    }
}
