using System.Net;
using System.Net.Http.Headers;
using GridGov.Api.Hosting;

namespace GridGov.Api.Tests.Telemetry;

/// <summary>The Orleans Dashboard under /dashboard: supervisors only, by bearer header or the gridgov_token cookie.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class DashboardAccessTests(TelemetryFixture host)
{
    Actor Supervisor => new("sup-dash", Role.Supervisor, host.Plan.CityCode);
    Actor Inspector
    {
        get
        {
            var i = host.Plan.Inspectors[0];
            return new(i.Id, Role.Inspector, i.Registration.Jurisdiction);
        }
    }

    async Task<HttpStatusCode> Get(string path, Actor? bearer = null, string? cookie = null) => (await Fetch(path, bearer, cookie)).Status;

    async Task<(HttpStatusCode Status, string? MediaType, string Body)> Fetch(string path, Actor? bearer = null, string? cookie = null)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.BaseAddress, path));
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", host.Token(bearer));
        if (cookie is not null) request.Headers.Add("Cookie", $"{DashboardHosting.CookieName}={cookie}");
        using var response = await http.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void The_host_that_enables_it_runs_it() => Assert.True(DashboardDefaultTests.RunsDashboard(host.App.Services));

    [Theory]
    [InlineData("/dashboard/")]
    [InlineData("/dashboard/ClusterStats")]
    public async Task Anonymous_gets_401(string path) => Assert.Equal(HttpStatusCode.Unauthorized, await Get(path));

    [Fact]
    public async Task A_token_that_does_not_validate_gets_401() =>
        Assert.Equal(HttpStatusCode.Unauthorized, await Get("/dashboard/", cookie: "not-a-token"));

    [Fact]
    public async Task A_signed_in_inspector_gets_403_by_header_or_cookie()
    {
        Assert.Equal(HttpStatusCode.Forbidden, await Get("/dashboard/", bearer: Inspector));
        Assert.Equal(HttpStatusCode.Forbidden, await Get("/dashboard/", cookie: host.Token(Inspector)));
    }

    [Fact]
    public async Task A_supervisor_gets_the_dashboard_by_header_or_cookie()
    {
        var page = await Fetch("/dashboard/", bearer: Supervisor);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("text/html", page.MediaType);
        Assert.Contains("Orleans", page.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, await Get("/dashboard/", cookie: host.Token(Supervisor)));
    }

    [Fact]
    public async Task The_cookie_is_read_only_under_dashboard()
    {
        // /graphql ignores the cookie: an anonymous GET of the schema works either way, so use a supervisor-only query.
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.BaseAddress, "/graphql"))
        {
            Content = new StringContent("{\"query\":\"{ jurisdictionLive(code:\\\"" + host.Plan.CityCode + "\\\"){ overdue } }\"}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Cookie", $"{DashboardHosting.CookieName}={host.Token(Supervisor)}");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("UNAUTHENTICATED", body);
    }
}
