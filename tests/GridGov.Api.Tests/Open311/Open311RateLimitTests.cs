using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using GridGov.Api.GraphQL.Protection;
using GridGov.Api.Hosting;
using GridGov.Api.Tests.Api;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Api.Tests.Open311;

/// <summary>Open311 spends the same per-caller budget as GraphQL; past it, a 429 in Open311's own error format.</summary>
public sealed class Open311RateLimitTests
{
    [Fact]
    public async Task Past_the_budget_open311_answers_429_as_an_open311_error_in_the_requested_format_and_graphql_in_its_own()
    {
        var app = GridGovApi.Build(ApiFixture.HostArgs("--GridGov:RateLimit:PermitsPerSecond=0.1", "--GridGov:RateLimit:Burst=2"));
        await using (app)
        {
            await app.StartAsync();
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };

            using (var first = await http.GetAsync("/open311/v2/discovery.json")) Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            using (var second = await http.GetAsync("/open311/v2/discovery.xml")) Assert.Equal(HttpStatusCode.OK, second.StatusCode);

            using var json = await http.GetAsync("/open311/v2/requests.json");
            Assert.Equal(HttpStatusCode.TooManyRequests, json.StatusCode);
            Assert.True(json.Headers.RetryAfter?.Delta > TimeSpan.Zero);
            Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);
            var error = Assert.Single(JsonDocument.Parse(await json.Content.ReadAsStringAsync()).RootElement.EnumerateArray());
            Assert.Equal(429, error.GetProperty("code").GetInt32());
            Assert.StartsWith("Rate limit exceeded", error.GetProperty("description").GetString());

            using var xml = await http.GetAsync("/open311/v2/services.xml");
            Assert.Equal(HttpStatusCode.TooManyRequests, xml.StatusCode);
            var root = XDocument.Parse(await xml.Content.ReadAsStringAsync()).Root!;
            Assert.Equal("errors", root.Name.LocalName);
            Assert.Equal("429", root.Element("error")!.Element("code")!.Value);

            using var graphql = await http.PostAsync("/graphql", new StringContent("""{"query":"{ __typename }"}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.TooManyRequests, graphql.StatusCode);
            var code = JsonDocument.Parse(await graphql.Content.ReadAsStringAsync()).RootElement.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString();
            Assert.Equal(RateLimitHosting.ErrorCode, code);
        }
    }
}
