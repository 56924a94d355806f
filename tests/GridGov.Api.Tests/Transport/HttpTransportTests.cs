using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace GridGov.Api.Tests.Transport;

[Collection(DefaultTransportCollection.Name)]
public sealed class HttpTransportTests(DefaultTransportFixture server)
{
    private const string GraphQLResponse = "application/graphql-response+json";
    private const string Json = "application/json";

    [Fact]
    public async Task Post_with_graphql_response_accept_returns_data_in_that_media_type()
    {
        using var response = await PostAsync(new { query = "query($n: String) { hello(name: $n) }", variables = new { n = "grid" } }, GraphQLResponse);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(GraphQLResponse, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var body = await ReadJsonAsync(response);
        Assert.Equal("Hello, grid!", body.GetProperty("data").GetProperty("hello").GetString());
        Assert.False(body.TryGetProperty("errors", out _));
    }

    [Fact]
    public async Task Post_with_json_accept_returns_application_json()
    {
        using var response = await PostAsync(new { query = "{ hello }" }, Json);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Json, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Hello, world!", (await ReadJsonAsync(response)).GetProperty("data").GetProperty("hello").GetString());
    }

    [Theory]
    [InlineData(null, Json)] // no Accept header: legacy application/json
    [InlineData("*/*", GraphQLResponse)]
    [InlineData("application/*", GraphQLResponse)]
    [InlineData("application/json, application/graphql-response+json", GraphQLResponse)]
    [InlineData("application/graphql-response+json;q=0.5, application/json", Json)]
    [InlineData("text/html, application/json;q=0.9", Json)]
    [InlineData("application/graphql-response+json; charset=utf-8", GraphQLResponse)]
    public async Task Accept_negotiation_picks_the_response_media_type(string? accept, string expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonBody(new { query = "{ hello }" }) };
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("application/json;q=0, text/plain")]
    [InlineData("application/xml")]
    public async Task Unacceptable_accept_is_406(string accept)
    {
        using var response = await PostAsync(new { query = "{ hello }" }, accept);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
    }

    [Fact]
    public async Task Get_query_with_url_parameters_returns_data()
    {
        var url = "/graphql?query=" + Uri.EscapeDataString("query Greet($n: String) { hello(name: $n) }")
                  + "&operationName=Greet&variables=" + Uri.EscapeDataString("{\"n\":\"GET\"}");
        using var response = await GetAsync(url, GraphQLResponse);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hello, GET!", (await ReadJsonAsync(response)).GetProperty("data").GetProperty("hello").GetString());
    }

    [Fact]
    public async Task Get_mutation_is_405_with_allow_post()
    {
        using var response = await GetAsync("/graphql?query=" + Uri.EscapeDataString("mutation { increment }"), GraphQLResponse);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
        Assert.Equal("METHOD_NOT_ALLOWED", FirstErrorCode(await ReadJsonAsync(response)));
    }

    [Fact]
    public async Task Get_can_select_the_query_of_a_document_that_also_has_a_mutation()
    {
        var url = "/graphql?operationName=Q&query=" + Uri.EscapeDataString("query Q { hello } mutation M { increment }");
        using var response = await GetAsync(url, GraphQLResponse);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Other_methods_are_405_with_allow_get_post()
    {
        using var response = await server.Http.PutAsync("/graphql", JsonBody(new { query = "{ hello }" }));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET", "POST"], response.Content.Headers.Allow.Select(m => m.Trim()));
    }

    [Fact]
    public async Task Post_mutation_executes()
    {
        using var response = await PostAsync(new { query = "mutation { increment(by: 2) }" }, GraphQLResponse);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await ReadJsonAsync(response)).GetProperty("data").GetProperty("increment").GetInt32() >= 2);
    }

    [Theory]
    [InlineData(GraphQLResponse)]
    [InlineData(Json)]
    public async Task Malformed_json_is_400_with_graphql_shaped_error(string accept)
    {
        using var response = await PostRawAsync("{\"query\": \"{ hello }\"", "application/json", accept);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(accept, response.Content.Headers.ContentType?.MediaType);
        var body = await ReadJsonAsync(response);
        Assert.Equal("INVALID_JSON", FirstErrorCode(body));
        Assert.False(string.IsNullOrEmpty(body.GetProperty("errors")[0].GetProperty("message").GetString()));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"query\": 42}")]
    [InlineData("{\"query\": \"{ hello }\", \"variables\": \"n=1\"}")]
    [InlineData("{\"query\": \"{ hello }\", \"variables\": [1]}")]
    [InlineData("{\"query\": \"{ hello }\", \"operationName\": 1}")]
    [InlineData("{\"query\": \"{ hello }\", \"extensions\": true}")]
    [InlineData("[{\"query\": \"{ hello }\"}]")]
    public async Task Malformed_request_is_400(string body)
    {
        using var response = await PostRawAsync(body, "application/json", GraphQLResponse);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("INVALID_REQUEST", FirstErrorCode(await ReadJsonAsync(response)));
    }

    [Fact]
    public async Task Get_with_non_object_variables_is_400()
    {
        using var response = await GetAsync("/graphql?query=%7Bhello%7D&variables=%5B1%5D", GraphQLResponse);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData(null)]
    public async Task Wrong_content_type_is_415(string? contentType)
    {
        using var response = await PostRawAsync("{\"query\":\"{ hello }\"}", contentType, GraphQLResponse);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Json_content_type_with_utf8_charset_is_accepted()
    {
        using var response = await PostRawAsync("{\"query\":\"{ hello }\"}", "application/json; charset=utf-8", GraphQLResponse);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(GraphQLResponse, HttpStatusCode.BadRequest)]
    [InlineData(Json, HttpStatusCode.OK)]
    public async Task Unknown_operation_name_is_a_request_error(string accept, HttpStatusCode expected)
    {
        using var response = await PostAsync(new { query = "query A { hello } query B { hello }", operationName = "C" }, accept);

        Assert.Equal(expected, response.StatusCode);
        var body = await ReadJsonAsync(response);
        Assert.False(body.TryGetProperty("data", out _));
        Assert.Contains("C", body.GetProperty("errors")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task Variables_of_the_wrong_type_are_400_under_graphql_response_json()
    {
        using var response = await PostAsync(new { query = "query($n: String!) { hello(name: $n) }", variables = new { n = 5 } }, GraphQLResponse);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await ReadJsonAsync(response);
        Assert.False(body.TryGetProperty("data", out _));
        Assert.False(string.IsNullOrEmpty(FirstErrorCode(body)));
    }

    [Theory]
    [InlineData(GraphQLResponse, HttpStatusCode.BadRequest)]
    [InlineData(Json, HttpStatusCode.OK)]
    public async Task Validation_error_status_depends_on_media_type(string accept, HttpStatusCode expected)
    {
        using var response = await PostAsync(new { query = "{ hello nope }" }, accept);

        Assert.Equal(expected, response.StatusCode);
        var body = await ReadJsonAsync(response);
        Assert.False(body.TryGetProperty("data", out _));
        var error = body.GetProperty("errors")[0];
        Assert.Contains("nope", error.GetProperty("message").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("extensions").GetProperty("code").GetString()));
    }

    [Fact]
    public async Task Syntax_error_is_400()
    {
        using var response = await PostAsync(new { query = "{ hello " }, GraphQLResponse);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False((await ReadJsonAsync(response)).TryGetProperty("data", out _));
    }

    [Fact]
    public async Task Unhandled_resolver_exception_is_200_with_data_and_an_internal_error_without_details()
    {
        using var response = await PostAsync(new { query = "{ hello boom }" }, GraphQLResponse);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(text);
        var body = document.RootElement;
        Assert.Equal("Hello, world!", body.GetProperty("data").GetProperty("hello").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("data").GetProperty("boom").ValueKind);
        var error = body.GetProperty("errors")[0];
        Assert.Equal("Internal error", error.GetProperty("message").GetString());
        Assert.Equal("INTERNAL", error.GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal("boom", error.GetProperty("path")[0].GetString());
        Assert.DoesNotContain("hunter2", text);
        Assert.DoesNotContain("InvalidOperation", text);
        Assert.DoesNotContain(" at ", text);
    }

    [Fact]
    public async Task Execution_error_code_from_a_resolver_is_kept()
    {
        using var response = await PostAsync(new { query = "{ coded }" }, GraphQLResponse);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var error = (await ReadJsonAsync(response)).GetProperty("errors")[0];
        Assert.Equal("Grid cell not found", error.GetProperty("message").GetString());
        Assert.Equal("GRID_NOT_FOUND", error.GetProperty("extensions").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Body_above_the_limit_is_413()
    {
        var padding = new string(' ', 150 * 1024);
        using var response = await PostRawAsync("{\"query\":\"{ hello }\"" + padding + "}", "application/json", GraphQLResponse);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("PAYLOAD_TOO_LARGE", FirstErrorCode(await ReadJsonAsync(response)));
    }

    [Fact]
    public async Task Chunked_body_above_the_limit_is_413()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"query\":\"{ hello }\"" + new string(' ', 150 * 1024) + "}");
        using var content = new StreamContent(new UnknownLengthStream(bytes));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = content };
        request.Headers.Accept.ParseAdd(GraphQLResponse);

        using var response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("GET")]
    public async Task Subscription_over_http_is_refused_with_a_clear_error(string method)
    {
        const string query = "subscription { ticks(count: 1) }";
        using var response = method == "POST"
            ? await PostAsync(new { query }, GraphQLResponse)
            : await GetAsync("/graphql?query=" + Uri.EscapeDataString(query), GraphQLResponse);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await ReadJsonAsync(response)).GetProperty("errors")[0];
        Assert.Equal("SUBSCRIPTION_NOT_SUPPORTED", error.GetProperty("extensions").GetProperty("code").GetString());
        Assert.Contains("graphql-transport-ws", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Introspection_is_on_by_default()
    {
        using var response = await PostAsync(new { query = "{ __schema { queryType { name } } }" }, GraphQLResponse);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Query", (await ReadJsonAsync(response)).GetProperty("data").GetProperty("__schema").GetProperty("queryType").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Schema_sdl_endpoint_returns_the_schema_as_text()
    {
        using var response = await server.Http.GetAsync("/graphql/schema.graphql");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var sdl = await response.Content.ReadAsStringAsync();
        Assert.Contains("type Query", sdl);
        Assert.Contains("hello(name: String", sdl);
        Assert.Contains("type Mutation", sdl);
        Assert.Contains("ticks(", sdl);
    }

    private Task<HttpResponseMessage> PostAsync(object body, string accept)
        => PostRawAsync(JsonSerializer.Serialize(body), "application/json", accept);

    private async Task<HttpResponseMessage> PostRawAsync(string body, string? contentType, string accept)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = content };
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return await server.Http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> GetAsync(string url, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return await server.Http.SendAsync(request);
    }

    private static StringContent JsonBody(object body)
        => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    internal static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    internal static string? FirstErrorCode(JsonElement body)
        => body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString();

    /// <summary>A read-only stream whose length is unknown, so HttpClient sends the body chunked.</summary>
    private sealed class UnknownLengthStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
