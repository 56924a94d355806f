using System.Buffers;
using System.Text;
using System.Text.Json;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Types;
using GraphQLParser.AST;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace GridGov.Api.GraphQL.Transport;

/// <summary>
/// Serves GraphQL over HTTP per the GraphQL-over-HTTP draft (application/graphql-response+json), hands
/// WebSocket upgrades to <see cref="GraphQLWebSocketSession"/>, and serves the schema SDL.
/// </summary>
/// <remarks>
/// Decisions where the spec leaves a choice:
/// <list type="bullet">
/// <item>No <c>Accept</c> header: answered as <c>application/json</c> (what legacy clients expect; the spec lets the
/// server choose). Wildcards (<c>*/*</c>, <c>application/*</c>) and equal quality get <c>application/graphql-response+json</c>.
/// An Accept that allows neither media type gets 406.</item>
/// <item>Under <c>application/graphql-response+json</c>: a response without <c>data</c> (parse, validation, variable,
/// operation-selection errors) is 400, or 500/504 when it was an internal error/timeout; otherwise 200.
/// Under <c>application/json</c>: 200 for every well-formed request.</item>
/// <item>Transport-level refusals are answered before execution, with a GraphQL-shaped error body whatever the media
/// type: 405 for other methods (<c>Allow: GET, POST</c>) and for mutations over GET (<c>Allow: POST</c>), 415 for a POST
/// whose Content-Type is not JSON in UTF-8, 413 above <see cref="GraphQLTransportOptions.MaxRequestBodyBytes"/>, 400 for
/// malformed JSON, a malformed request, or a subscription (subscriptions need the WebSocket).</item>
/// </list>
/// </remarks>
internal sealed class GraphQLHttpHandler(
    IOptions<GraphQLTransportOptions> options,
    GraphQLRequestExecutor executor,
    IGraphQLConnectionAuthenticator authenticator,
    ILoggerFactory loggerFactory)
{
    public const string GraphQLResponseMediaType = "application/graphql-response+json";
    public const string JsonMediaType = "application/json";

    private readonly ILogger _logger = loggerFactory.CreateLogger<GraphQLHttpHandler>();
    private readonly object _sdlLock = new();
    private (ISchema Schema, string Sdl)? _sdl;

    public async Task HandleAsync(HttpContext context)
    {
        if (context.WebSockets.IsWebSocketRequest)
        {
            await HandleWebSocketAsync(context).ConfigureAwait(false);
            return;
        }

        var request = context.Request;
        var isGet = HttpMethods.IsGet(request.Method);
        if (!isGet && !HttpMethods.IsPost(request.Method))
        {
            context.Response.Headers.Allow = "GET, POST";
            await WriteErrorAsync(context, StatusCodes.Status405MethodNotAllowed, JsonMediaType,
                "GraphQL requests must use GET or POST.", "METHOD_NOT_ALLOWED").ConfigureAwait(false);
            return;
        }

        var mediaType = NegotiateMediaType(request.Headers.Accept);
        if (mediaType is null)
        {
            await WriteErrorAsync(context, StatusCodes.Status406NotAcceptable, JsonMediaType,
                $"The Accept header must allow {GraphQLResponseMediaType} or {JsonMediaType}.", "NOT_ACCEPTABLE").ConfigureAwait(false);
            return;
        }

        var read = isGet ? ReadGet(request) : await ReadPostAsync(request).ConfigureAwait(false);
        if (read.Request is not { } graphQLRequest)
        {
            await WriteErrorAsync(context, read.Status, mediaType, read.Message!, read.Code!).ConfigureAwait(false);
            return;
        }

        var operationType = GraphQLRequestExecutor.SelectOperationType(graphQLRequest.Query, graphQLRequest.OperationName);
        if (isGet && operationType == OperationType.Mutation)
        {
            context.Response.Headers.Allow = "POST";
            await WriteErrorAsync(context, StatusCodes.Status405MethodNotAllowed, mediaType,
                "Mutations cannot be executed over GET; use POST.", "METHOD_NOT_ALLOWED").ConfigureAwait(false);
            return;
        }

        if (operationType == OperationType.Subscription)
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, mediaType,
                $"Subscriptions are not supported over HTTP; use a WebSocket with the '{GraphQLTransportOptions.WebSocketSubProtocol}' sub-protocol.",
                "SUBSCRIPTION_NOT_SUPPORTED").ConfigureAwait(false);
            return;
        }

        await ExecuteAsync(context, graphQLRequest, operationType, mediaType).ConfigureAwait(false);
    }

    /// <summary>Serves <c>schema.Print()</c> as text/plain; 404 while introspection is disabled.</summary>
    public async Task HandleSchemaAsync(HttpContext context)
    {
        if (!options.Value.EnableIntrospection)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var schema = context.RequestServices.GetService<ISchema>()
            ?? throw new InvalidOperationException("No ISchema is registered.");
        string sdl;
        lock (_sdlLock)
        {
            if (_sdl is not { } cached || !ReferenceEquals(cached.Schema, schema))
            {
                schema.Initialize();
                _sdl = cached = (schema, schema.Print());
            }

            sdl = cached.Sdl;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(sdl, Encoding.UTF8, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// Picks the response media type from the Accept header, or null when neither JSON type is acceptable.
    /// Follows RFC 9110: the most specific matching range gives a type's quality; q=0 excludes it.
    /// </summary>
    internal static string? NegotiateMediaType(StringValues accept)
    {
        if (StringValues.IsNullOrEmpty(accept))
        {
            return JsonMediaType;
        }

        // Clients send the same one or two Accept headers on every request: remember the answer for single values.
        if (accept.Count == 1 && accept[0] is { Length: <= MaxCachedAcceptLength } single)
        {
            if (NegotiatedMediaTypes.TryGetValue(single, out var known))
            {
                return known;
            }

            var negotiated = Negotiate(accept);
            if (NegotiatedMediaTypes.Count >= MaxCachedAcceptHeaders)
            {
                NegotiatedMediaTypes.Clear();
            }

            NegotiatedMediaTypes.TryAdd(single, negotiated);
            return negotiated;
        }

        return Negotiate(accept);
    }

    private const int MaxCachedAcceptLength = 256;
    private const int MaxCachedAcceptHeaders = 256;

    /// <summary>Negotiated media types by Accept header value (bounded; starts over when full).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string?> NegotiatedMediaTypes = new(StringComparer.Ordinal);

    private static string? Negotiate(StringValues accept)
    {
        if (!MediaTypeHeaderValue.TryParseList(accept, out var ranges) || ranges.Count == 0)
        {
            return null;
        }

        var graphQLQuality = Quality(ranges, "graphql-response+json");
        var jsonQuality = Quality(ranges, "json");
        if (graphQLQuality <= 0 && jsonQuality <= 0)
        {
            return null;
        }

        return graphQLQuality >= jsonQuality ? GraphQLResponseMediaType : JsonMediaType;
    }

    private static double Quality(IList<MediaTypeHeaderValue> ranges, string applicationSubType)
    {
        var bestSpecificity = -1;
        var quality = 0d;
        foreach (var range in ranges)
        {
            if (range.Charset.HasValue && !IsUtf8(range.Charset))
            {
                continue;
            }

            int specificity;
            if (range.MatchesAllTypes)
            {
                specificity = 0;
            }
            else if (!range.Type.Equals("application", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            else if (range.SubType.Equals(applicationSubType, StringComparison.OrdinalIgnoreCase))
            {
                specificity = 3;
            }
            else if (range.MatchesAllSubTypesWithoutSuffix && range.Suffix.HasValue
                     && applicationSubType.EndsWith("+" + range.Suffix.Value, StringComparison.OrdinalIgnoreCase))
            {
                specificity = 2; // application/*+json
            }
            else if (range.MatchesAllSubTypes)
            {
                specificity = 1;
            }
            else
            {
                continue;
            }

            var rangeQuality = range.Quality ?? 1d;
            if (specificity > bestSpecificity)
            {
                bestSpecificity = specificity;
                quality = rangeQuality;
            }
            else if (specificity == bestSpecificity)
            {
                quality = Math.Max(quality, rangeQuality);
            }
        }

        return quality;
    }

    private static bool IsUtf8(StringSegment charset)
        => charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);

    private async Task ExecuteAsync(HttpContext context, GraphQLTransportRequest request, OperationType? operationType, string mediaType)
    {
        var aborted = context.RequestAborted;
        ExecutionResult result;
        try
        {
            result = await executor.ExecuteAsync(context, request, operationType, context.User, userContext: null, aborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return; // client went away
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "GraphQL HTTP request failed outside the executer");
            if (!context.Response.HasStarted)
            {
                await WriteErrorAsync(context, StatusCodes.Status500InternalServerError, mediaType,
                    "Internal error", GraphQLInternalError.ErrorCode).ConfigureAwait(false);
            }

            return;
        }

        var response = context.Response;
        response.StatusCode = StatusFor(result, mediaType);
        response.ContentType = mediaType + "; charset=utf-8";
        var serializer = GraphQLRequestExecutor.GetSerializer(context.RequestServices);
        await serializer.WriteAsync(response.Body, result, aborted).ConfigureAwait(false);
    }

    private static int StatusFor(ExecutionResult result, string mediaType)
    {
        if (mediaType == JsonMediaType || result.Executed)
        {
            return StatusCodes.Status200OK;
        }

        var errors = result.Errors ?? [];
        if (errors.Any(e => e is TimeoutError))
        {
            return StatusCodes.Status504GatewayTimeout;
        }

        return errors.Any(e => e is GraphQLInternalError) ? StatusCodes.Status500InternalServerError : StatusCodes.Status400BadRequest;
    }

    private static ReadResult ReadGet(HttpRequest request)
        => GraphQLTransportRequest.TryReadQueryString(request.Query, out var graphQLRequest, out var error)
            ? new ReadResult(graphQLRequest)
            : ReadResult.Fail(StatusCodes.Status400BadRequest, error, "INVALID_REQUEST");

    private async Task<ReadResult> ReadPostAsync(HttpRequest request)
    {
        if (!IsJsonContentType(request.ContentType))
        {
            return ReadResult.Fail(StatusCodes.Status415UnsupportedMediaType,
                "POST requests must have Content-Type application/json (UTF-8).", "UNSUPPORTED_MEDIA_TYPE");
        }

        var limit = options.Value.MaxRequestBodyBytes;
        if (request.ContentLength > limit)
        {
            return TooLarge(limit);
        }

        // Read into a pooled buffer (sized from Content-Length when given): no per-request buffer garbage.
        var cap = limit >= Array.MaxLength ? Array.MaxLength : (int)limit + 1; // one byte past the limit tells "too large"
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(request.ContentLength ?? 4096, 256, Math.Max(cap, 256)));
        try
        {
            var written = 0;
            while (true)
            {
                if (written == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, cap));
                    buffer.AsSpan(0, written).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(written), request.HttpContext.RequestAborted).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                written += read;
                if (written > limit)
                {
                    return TooLarge(limit);
                }
            }

            try
            {
                using var document = JsonDocument.Parse(buffer.AsMemory(0, written));
                return GraphQLTransportRequest.TryRead(document.RootElement, out var graphQLRequest, out var error)
                    ? new ReadResult(graphQLRequest)
                    : ReadResult.Fail(StatusCodes.Status400BadRequest, error, "INVALID_REQUEST");
            }
            catch (JsonException)
            {
                return ReadResult.Fail(StatusCodes.Status400BadRequest, "The request body is not valid JSON.", "INVALID_JSON");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        static ReadResult TooLarge(long limit) => ReadResult.Fail(StatusCodes.Status413PayloadTooLarge,
            $"The request body exceeds {limit} bytes.", "PAYLOAD_TOO_LARGE");
    }

    private static bool IsJsonContentType(string? contentType)
        => string.Equals(contentType, JsonMediaType, StringComparison.OrdinalIgnoreCase)
           || string.Equals(contentType, "application/json; charset=utf-8", StringComparison.OrdinalIgnoreCase)
           || (MediaTypeHeaderValue.TryParse(contentType, out var parsed)
           && parsed.MediaType.Equals(JsonMediaType, StringComparison.OrdinalIgnoreCase)
           && (!parsed.Charset.HasValue || IsUtf8(parsed.Charset)));

    private async Task HandleWebSocketAsync(HttpContext context)
    {
        var settings = options.Value;
        var acceptContext = new WebSocketAcceptContext { KeepAliveInterval = settings.KeepAlive };
        if (!context.WebSockets.WebSocketRequestedProtocols.Contains(GraphQLTransportOptions.WebSocketSubProtocol, StringComparer.Ordinal))
        {
            // graphql-ws behaviour: accept without a sub-protocol, then close with 4406.
            using var refused = await context.WebSockets.AcceptWebSocketAsync(acceptContext).ConfigureAwait(false);
            await GraphQLWebSocketSession.RefuseAsync(refused, GraphQLWebSocketSession.CloseSubprotocolNotAcceptable,
                "Subprotocol not acceptable", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        acceptContext.SubProtocol = GraphQLTransportOptions.WebSocketSubProtocol;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(acceptContext).ConfigureAwait(false);
        var session = new GraphQLWebSocketSession(socket, context, settings, executor, authenticator,
            loggerFactory.CreateLogger<GraphQLWebSocketSession>());
        await session.RunAsync().ConfigureAwait(false);
    }

    /// <summary>Writes <c>{"errors":[{"message":...,"extensions":{"code":...}}]}</c>.</summary>
    internal static async Task WriteErrorAsync(HttpContext context, int status, string mediaType, string message, string code)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = mediaType + "; charset=utf-8";
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("errors");
            writer.WriteStartObject();
            writer.WriteString("message", message);
            writer.WriteStartObject("extensions");
            writer.WriteString("code", code);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    private readonly record struct ReadResult(GraphQLTransportRequest? Request, int Status = 0, string? Message = null, string? Code = null)
    {
        public static ReadResult Fail(int status, string message, string code) => new(null, status, message, code);
    }
}
