using System.Net;
using System.Net.Http.Headers;
using GridGov.Api.Tests.Api;

namespace GridGov.Api.Tests.Auth;

/// <summary>
/// The real host refuses a bearer token that does not validate on every route (GraphQL, Open311, health), with JwtBearer's
/// challenge; the same request without a token, or with a valid one, goes through.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RejectedBearerTokenTests(ApiFixture api)
{
    public static readonly TheoryData<string> Routes = new() { "/open311/v2/services.json", "/health/live" };

    [Theory, MemberData(nameof(Routes))]
    public async Task A_forged_token_is_401_with_a_bearer_challenge_and_no_token_is_not(string path)
    {
        using var anonymous = await Get(path, bearer: null);
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);

        using var forged = await Get(path, bearer: "not.a.token");
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Contains(forged.Headers.WwwAuthenticate, h => h.Scheme == "Bearer" && h.Parameter?.Contains("invalid_token") == true);

        using var valid = await Get(path, bearer: api.Token(new Actor("I0001", Role.Inspector, "130101001")));
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
    }

    [Fact]
    public async Task A_forged_token_on_graphql_never_reaches_a_resolver()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(api.BaseAddress, "/graphql"))
        {
            Content = new StringContent("""{"query":"{ __typename }"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "forged.token.value");
        using var response = await api.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    Task<HttpResponseMessage> Get(string path, string? bearer)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(api.BaseAddress, path));
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return api.Http.SendAsync(request);
    }
}
