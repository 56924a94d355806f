using GridGov.Grains;
using GridGov.Grains.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace GridGov.Api.Hosting;

public static class ClusterHosting
{
    /// <summary>Embedded mode: a localhost silo in this process with in-memory storage (no external service).</summary>
    public static WebApplicationBuilder AddGridGovCluster(this WebApplicationBuilder builder)
    {
        builder.UseOrleans(silo => silo.UseLocalhostClustering().AddGridGovEmbedded());
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

    /// <summary>Read-only JSON views of live grid state, until the GraphQL API serves them.</summary>
    public static void MapLiveStateEndpoints(this WebApplication app)
    {
        app.MapGet("/api/cells/{code}/live", (string code, IGrainFactory grains) => grains.GetGrain<ICellGrain>(code).GetLiveState());
        app.MapGet("/api/jurisdictions/{code}/live", (string code, IGrainFactory grains) => grains.GetGrain<IJurisdictionGrain>(code).GetState());
    }

    public static void LogListeningAddresses(this WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        app.Logger.LogInformation("GridGov API listening on {Addresses}", string.Join(", ", addresses));
    }
}
