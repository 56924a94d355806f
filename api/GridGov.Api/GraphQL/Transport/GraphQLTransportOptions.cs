using GraphQL;
using GraphQL.Validation;

namespace GridGov.Api.GraphQL.Transport;

/// <summary>
/// Settings of the GraphQL transport (GraphQL-over-HTTP and the <c>graphql-transport-ws</c> WebSocket protocol).
/// Configure through <see cref="GraphQLTransportExtensions.AddGraphQLTransport"/>.
/// </summary>
public sealed class GraphQLTransportOptions
{
    /// <summary>The only WebSocket sub-protocol the transport speaks.</summary>
    public const string WebSocketSubProtocol = "graphql-transport-ws";

    /// <summary>
    /// Key under which the <c>connection_init</c> payload (a <see cref="System.Text.Json.JsonElement"/>)
    /// is stored in <see cref="ExecutionOptions.UserContext"/> for operations run over a WebSocket.
    /// </summary>
    public const string ConnectionInitPayloadKey = "graphql-transport-ws.connectionInitPayload";

    /// <summary>
    /// Endpoint path for HTTP POST/GET and the WebSocket upgrade. The schema SDL is served at
    /// <c>Path + "/schema.graphql"</c>. Read once, when the endpoints are mapped.
    /// </summary>
    public string Path { get; set; } = "/graphql";

    /// <summary>
    /// Largest accepted POST body, in bytes (413 above it). Also the largest accepted WebSocket message
    /// (the socket is closed with 1009 Message Too Big above it). Default 100 KB.
    /// </summary>
    public long MaxRequestBodyBytes { get; set; } = 100 * 1024;

    /// <summary>
    /// When false, documents selecting <c>__schema</c> or <c>__type</c> fail validation and the SDL
    /// endpoint answers 404. <c>__typename</c> stays allowed.
    /// </summary>
    public bool EnableIntrospection { get; set; } = true;

    /// <summary>
    /// Longest time a query or mutation may run (HTTP and WebSocket); null for no limit. Not applied to
    /// the lifetime of a subscription stream. Default 30 s.
    /// </summary>
    public TimeSpan? ExecutionTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Time a WebSocket client has to send <c>connection_init</c> before the socket is closed with
    /// 4408. Default 10 s.
    /// </summary>
    public TimeSpan ConnectionInitTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Interval of WebSocket protocol-level ping frames (the protocol's keep-alive); <see cref="TimeSpan.Zero"/>
    /// turns them off. Default 30 s.
    /// </summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// When true, the default <see cref="IGraphQLConnectionAuthenticator"/> refuses WebSocket connections whose
    /// <c>HttpContext.User</c> is not authenticated (the socket is closed with 4403). Custom authenticators may
    /// read it too. Default false.
    /// </summary>
    public bool RequireAuthenticatedConnection { get; set; }

    /// <summary>
    /// Extra validation rules (depth/complexity limits, authorization, ...) run after the standard rules,
    /// also for documents taken from a document cache.
    /// </summary>
    public IList<IValidationRule> ValidationRules { get; } = new List<IValidationRule>();

    /// <summary>
    /// Turns an exception a resolver threw into the error the client sees (e.g. a domain refusal with its code), or
    /// returns null to leave it a fault: logged, and shown only as "Internal error" (<c>INTERNAL</c>). Runs only when
    /// a resolver throws, unlike a field middleware.
    /// </summary>
    public Func<Exception, ExecutionError?>? MapException { get; set; }

    /// <summary>
    /// Called for every operation, HTTP or WebSocket, after the transport has filled in the
    /// <see cref="ExecutionOptions"/> and just before execution. Use it to set the user context
    /// (DataLoader context, rate-limit partition, ...), listeners or other options.
    /// <c>HttpContext.WebSockets.IsWebSocketRequest</c> tells the two transports apart.
    /// </summary>
    public Func<HttpContext, ExecutionOptions, Task>? ConfigureExecution { get; set; }
}
