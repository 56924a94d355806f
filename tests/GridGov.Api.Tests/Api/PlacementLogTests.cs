using GridGov.Api.Hosting;
using GridGov.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GridGov.Api.Tests.Api;

/// <summary>Orleans' placement pipeline logs two lines per new activation; the host keeps them out unless told otherwise.</summary>
public sealed class PlacementLogTests
{
    static async Task<bool> PlacementInfoLogged(params string[] args)
    {
        var app = GridGovApi.Build(ApiFixture.HostArgs(args));
        await using (app)
            return app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(ClusterSetup.PlacementLogCategory).IsEnabled(LogLevel.Information);
    }

    [Fact]
    public async Task Placement_information_is_not_logged_by_default_but_configuration_can_ask_for_it()
    {
        Assert.False(await PlacementInfoLogged("--Logging:LogLevel:Default=Information"));
        Assert.True(await PlacementInfoLogged("--Logging:LogLevel:Default=Information", $"--Logging:LogLevel:{ClusterSetup.PlacementLogCategory}=Information"));
    }
}
