using System.Net;
using System.Net.Http.Headers;
using GridGov.Api.Tests.Api;
using GridGov.Storage.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Api.Tests.Telemetry;

/// <summary>The dashboard is opt-in: a host started without <c>GridGov:Dashboard:Enabled=true</c> neither serves nor runs it.</summary>
[Collection(ApiCollection.Name)]
public sealed class DashboardDefaultTests(ApiFixture api)
{
    [Fact]
    public async Task Without_the_setting_even_a_supervisor_finds_no_dashboard_and_the_silo_runs_none_of_it()
    {
        Assert.False(DashboardSwitch.Enabled(api.App.Configuration));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(api.BaseAddress, "/dashboard/"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", api.Token(new Actor("sup-1", Role.Supervisor, api.Plan.CityCode)));
        using var response = await api.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(RunsDashboard(api.App.Services));
    }

    /// <summary>True when the host runs the dashboard's background service (its metrics collector among it).</summary>
    internal static bool RunsDashboard(IServiceProvider services) =>
        services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().Any(s => s.GetType().Name == "DashboardHost");

    [Theory]
    [InlineData(null, false)]
    [InlineData("false", false)]
    [InlineData("true", true)]
    public void The_switch_reads_one_setting_and_defaults_to_off(string? value, bool enabled)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(value is null ? [] : [new(DashboardSwitch.EnabledKey, value)]).Build();
        Assert.Equal(enabled, DashboardSwitch.Enabled(config));
    }
}
