using GridGov.Grains;
using GridGov.Grains.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace GridGov.Api.Hosting;

public static class ClusterHosting
{
    /// <summary>Embedded mode: a localhost silo in this process with in-memory storage (no external service). Ports: GridGov:SiloPort, GridGov:GatewayPort.</summary>
    public static WebApplicationBuilder AddGridGovCluster(this WebApplicationBuilder builder, TimeProvider? clock = null)
    {
        var siloPort = builder.Configuration.GetValue("GridGov:SiloPort", 11111);
        var gatewayPort = builder.Configuration.GetValue("GridGov:GatewayPort", 30000);
        builder.UseOrleans(silo => silo.UseLocalhostClustering(siloPort, gatewayPort).AddGridGovEmbedded(clock));
        return builder;
    }

    public static void MapHealth(this WebApplication app)
    {
        app.MapGet("/health/live", () => Results.Ok(new { status = "live" }));
        app.MapGet("/health/ready", async (IGrainFactory grains, IConfiguration config) =>
        {
            try
            {
                var settings = await grains.GetGrain<ICityGrain>(config["GridGov:City"] ?? "1301").GetSettings();
                return Results.Ok(new { status = "ready", city = settings.Name });
            }
            catch (GridGovException e)
            {
                return Results.Json(new { status = "not-ready", reason = e.Message }, statusCode: 503);
            }
        });
    }

    public static void LogListeningAddresses(this WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        app.Logger.LogInformation("GridGov API listening on {Addresses}", string.Join(", ", addresses));
    }
}
