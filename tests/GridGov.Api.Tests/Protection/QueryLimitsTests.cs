using System.Net;
using System.Text.Json;
using GridGov.Api.GraphQL.Protection;
using GridGov.Api.GraphQL.Transport;
using GridGov.Api.Tests.Auth;
using GridGov.Api.Tests.Transport;
using Microsoft.Extensions.Configuration;

namespace GridGov.Api.Tests.Protection;

/// <summary>Default limits: depth 12, complexity 2,000, unsized lists count 20.</summary>
[Collection(SecuredServerCollection.Name)]
public sealed class QueryLimitsTests(SecuredServer server)
{
    [Fact]
    public async Task Normal_query_passes()
    {
        using var response = await server.PostAsync("{ hello nodes(first: 5) { id children { id parent { id } } } cells(first: 10) { totalCount edges { node { id } } } }");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await SecuredServerFixture.ReadJsonAsync(response);
        Assert.False(body.TryGetProperty("errors", out _), body.ToString());
        Assert.Equal(3, body.GetProperty("data").GetProperty("nodes").GetArrayLength());
    }

    [Fact]
    public async Task Query_at_the_depth_limit_passes()
    {
        using var response = await server.PostAsync(Nested(12));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Too_deep_query_is_400_QUERY_TOO_DEEP()
    {
        using var response = await server.PostAsync(Nested(13));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = FirstError(await SecuredServerFixture.ReadJsonAsync(response));
        Assert.Equal("QUERY_TOO_DEEP", Code(error));
        Assert.Equal("Query is too deep: depth 13 exceeds the limit of 12.", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Depth_counts_through_fragments()
    {
        const string query = """
            query { node { ...Five } }
            fragment Five on Node { parent { parent { parent { parent { parent { ...Seven } } } } } }
            fragment Seven on Node { parent { parent { parent { parent { parent { parent { ... on Node { id } } } } } } } }
            """;

        using var response = await server.PostAsync(query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = FirstError(await SecuredServerFixture.ReadJsonAsync(response));
        Assert.Equal("QUERY_TOO_DEEP", Code(error));
        Assert.Contains("depth 13", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Nested_lists_with_large_first_are_QUERY_TOO_COMPLEX()
    {
        using var response = await server.PostAsync("{ nodes(first: 1000) { children(first: 1000) { id } } }");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = FirstError(await SecuredServerFixture.ReadJsonAsync(response));
        Assert.Equal("QUERY_TOO_COMPLEX", Code(error));
        // 1 (nodes) + 1000 (children) + 1000 × 1000 (id)
        Assert.StartsWith("Query is too complex: complexity 1,001,001 exceeds the limit of 2,000", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task List_size_from_a_variable_counts()
    {
        using var small = await server.PostAsync("query($n: Int) { nodes(first: $n) { id } }", variables: new { n = 3 });
        using var large = await server.PostAsync("query($n: Int) { nodes(first: $n) { id } }", variables: new { n = 5000 });

        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, large.StatusCode);
        var error = FirstError(await SecuredServerFixture.ReadJsonAsync(large));
        Assert.Equal("QUERY_TOO_COMPLEX", Code(error));
        Assert.Contains("complexity 5,001 ", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Unsized_lists_count_20_each()
    {
        // 1 + 20 + 400 + 8000 = 8421
        using var response = await server.PostAsync("{ nodes { children { children { id } } } }");

        var error = FirstError(await SecuredServerFixture.ReadJsonAsync(response));
        Assert.Equal("QUERY_TOO_COMPLEX", Code(error));
        Assert.Contains("complexity 8,421 ", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Connection_first_sizes_its_edges_once()
    {
        // cells 1 + edges 50 + node 50 + id 50 = 151: passes. With first: 1000 it is 3,001.
        using var small = await server.PostAsync("{ cells(first: 50) { edges { node { id } } } }");
        using var large = await server.PostAsync("{ cells(first: 1000) { edges { node { id } } } }");

        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        var error = FirstError(await SecuredServerFixture.ReadJsonAsync(large));
        Assert.Equal("QUERY_TOO_COMPLEX", Code(error));
        Assert.Contains("complexity 3,001 ", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Skipped_selections_do_not_count()
    {
        using var response = await server.PostAsync("{ hello nodes(first: 1000) @skip(if: true) { children(first: 1000) { id } } }");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Standard_introspection_query_passes()
    {
        using var response = await server.PostAsync(IntrospectionQuery);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await SecuredServerFixture.ReadJsonAsync(response);
        Assert.False(body.TryGetProperty("errors", out _), body.ToString());
    }

    [Fact]
    public async Task Deep_introspection_is_still_limited()
    {
        using var response = await server.PostAsync(
            "{ __schema { types { fields { type { fields { type { fields { type { fields { type { fields { type { fields { name } } } } } } } } } } } } } }");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("QUERY_TOO_DEEP", Code(FirstError(await SecuredServerFixture.ReadJsonAsync(response))));
    }

    [Fact]
    public async Task Limits_apply_over_the_websocket_too()
    {
        await using var client = await WsTestClient.ConnectAndInitAsync(server.WebSocketUri);

        await client.SubscribeAsync("1", Nested(13));
        var (error, _) = await client.ReceiveUntilAsync("error");

        Assert.Equal("QUERY_TOO_DEEP", error.GetProperty("payload")[0].GetProperty("extensions").GetProperty("code").GetString());
    }

    [Fact]
    public void AddQueryLimits_reads_configuration_and_sets_the_execution_timeout()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["GridGov:QueryLimits:MaxDepth"] = "5",
            ["GridGov:QueryLimits:MaxComplexity"] = "300",
            ["GridGov:QueryLimits:DefaultListSize"] = "10",
            ["GridGov:QueryLimits:ExecutionTimeoutSeconds"] = "2.5",
        }).Build();
        var limits = QueryLimitsOptions.From(config);
        var transport = new GraphQLTransportOptions();

        transport.AddQueryLimits(limits);

        Assert.Equal((5, 300, 10), (limits.MaxDepth, limits.MaxComplexity, limits.DefaultListSize));
        Assert.Equal(TimeSpan.FromSeconds(2.5), transport.ExecutionTimeout);
        Assert.IsType<QueryLimitsValidationRule>(Assert.Single(transport.ValidationRules));
    }

    [Fact]
    public void Without_a_configured_timeout_the_transport_default_stays()
    {
        var transport = new GraphQLTransportOptions().AddQueryLimits(QueryLimitsOptions.From(new ConfigurationBuilder().Build()));

        Assert.Equal(TimeSpan.FromSeconds(30), transport.ExecutionTimeout);
        Assert.Equal((12, 2_000, 20), (new QueryLimitsOptions().MaxDepth, new QueryLimitsOptions().MaxComplexity, new QueryLimitsOptions().DefaultListSize));
    }

    /// <summary>A query whose deepest field is at <paramref name="depth"/>: node { parent { ... { id } } }.</summary>
    private static string Nested(int depth)
        => "{ node { " + string.Concat(Enumerable.Repeat("parent { ", depth - 2)) + "id" + new string('}', depth - 1) + " }";

    private static JsonElement FirstError(JsonElement body) => body.GetProperty("errors")[0];

    private static string? Code(JsonElement error) => error.GetProperty("extensions").GetProperty("code").GetString();

    /// <summary>graphql-js getIntrospectionQuery() (v16), as GraphiQL sends it.</summary>
    private const string IntrospectionQuery = """
        query IntrospectionQuery {
          __schema {
            queryType { name }
            mutationType { name }
            subscriptionType { name }
            types { ...FullType }
            directives { name description locations args { ...InputValue } }
          }
        }
        fragment FullType on __Type {
          kind name description
          fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
          inputFields { ...InputValue }
          interfaces { ...TypeRef }
          enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
          possibleTypes { ...TypeRef }
        }
        fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
        fragment TypeRef on __Type {
          kind name
          ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } }
        }
        """;
}
