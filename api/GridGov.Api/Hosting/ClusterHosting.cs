using GridGov.Grains;
using GridGov.Storage.Postgres;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace GridGov.Api.Hosting;

public static class ClusterHosting
{
    /// <summary>
    /// The cluster this API talks to: by default it co-hosts a silo (embedded, or PostgreSQL when
    /// ConnectionStrings:GridGov is set); with GridGov:Api:Mode=Client it is an Orleans client of separate silos.
    /// </summary>
    public static WebApplicationBuilder AddGridGovCluster(this WebApplicationBuilder builder, TimeProvider? clock = null)
    {
        if (IsClient(builder.Configuration))
        {
            builder.UseOrleansClient(client => client.UseGridGovCluster(builder.Configuration));
            builder.Services.AddKeyedSingleton(GridGov.Grains.Infrastructure.GridClock.Key, clock ?? TimeProvider.System);
        }
        else
        {
            builder.UseOrleans(silo => silo.UseGridGovCluster(builder.Configuration, clock));
        }
        return builder;
    }

    public static bool IsClient(IConfiguration config) => string.Equals(config["GridGov:Api:Mode"], "Client", StringComparison.OrdinalIgnoreCase);

    public static void LogListeningAddresses(this WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        app.Logger.LogInformation("GridGov API listening on {Addresses}", string.Join(", ", addresses));
    }
}
