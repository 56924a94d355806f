using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace GridGov.LoadSim;

/// <summary>The HTTP client of the GraphQL driver and of the bare-Kestrel limit: one pooled handler, one connection per client.</summary>
public sealed class GraphQLClient(Uri baseAddress, int clients, Func<Actor, string> token) : IDisposable
{
    readonly HttpClient _http = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = clients,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        UseProxy = false,
    })
    { Timeout = TimeSpan.FromSeconds(30) };

    readonly Uri _endpoint = new(baseAddress, "/graphql");

    /// <summary>A request body, serialized once.</summary>
    public static byte[] Body(string query, object? variables) => JsonSerializer.SerializeToUtf8Bytes(new { query, variables });

    public async Task<(int Status, byte[] Body)> Post(byte[] body, Actor? actor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.ParseAdd("application/graphql-response+json");
        if (actor is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token(actor));
        using var response = await _http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>Sends a GraphQL request; the "data" field when it succeeded without errors, else null (and the error text).</summary>
    public async Task<(JsonElement? Data, string? Error)> Send(Actor actor, string query, object? variables)
    {
        var (status, bytes) = await Post(Body(query, variables), actor);
        using var doc = JsonDocument.Parse(bytes);
        var root = doc.RootElement;
        if (status == 200 && root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            && (!root.TryGetProperty("errors", out var errors) || errors.GetArrayLength() == 0))
            return (data.Clone(), null);
        return (null, $"HTTP {status}: {Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 300))}");
    }

    public void Dispose() => _http.Dispose();
}
