using System.Net;
using GridGov.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Orleans.Hosting;

namespace GridGov.Storage.Postgres;

/// <summary>
/// Chooses the cluster's mode from configuration: embedded (the default: one localhost silo, memory storage) or
/// PostgreSQL when <c>ConnectionStrings:GridGov</c> is set. Silo, API and tests all configure through here.
/// </summary>
public static class ClusterSetup
{
    public static string? PostgresConnection(this IConfiguration config) => config.GetConnectionString("GridGov");

    public static ISiloBuilder UseGridGovCluster(this ISiloBuilder silo, IConfiguration config, TimeProvider? clock = null)
    {
        var siloPort = config.GetValue("GridGov:SiloPort", 11111);
        var gatewayPort = config.GetValue("GridGov:GatewayPort", 30000);
        if (config.PostgresConnection() is not { } postgres)
            return silo.UseLocalhostClustering(siloPort, gatewayPort).AddGridGovEmbedded(clock);

        var address = IPAddress.Parse(config.GetValue("GridGov:AdvertisedAddress", "127.0.0.1")!);
        silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = ClusterIds(config));
        silo.ConfigureEndpoints(address, siloPort, gatewayPort, listenOnAnyHostAddress: config.GetValue("GridGov:ListenOnAnyAddress", false));
        silo.Configure<ClusterMembershipOptions>(o => ApplyMembership(config, o));
        return silo.AddGridGovPostgres(postgres, clock);
    }

    /// <summary>
    /// Failure-detection knobs (section <c>GridGov:Membership</c>), each applied only when set, so Orleans' defaults
    /// hold otherwise: <c>ProbeTimeoutSeconds</c>, <c>NumMissedProbesLimit</c>, <c>IAmAliveTablePublishSeconds</c>,
    /// <c>TableRefreshSeconds</c>, <c>NumVotesForDeathDeclaration</c>. Fault tests lower them to notice a dead silo in seconds.
    /// </summary>
    public static void ApplyMembership(IConfiguration config, ClusterMembershipOptions options)
    {
        var section = config.GetSection("GridGov:Membership");
        if (section.GetValue<double?>("ProbeTimeoutSeconds") is { } probe) options.ProbeTimeout = TimeSpan.FromSeconds(probe);
        if (section.GetValue<int?>("NumMissedProbesLimit") is { } missed) options.NumMissedProbesLimit = missed;
        if (section.GetValue<double?>("IAmAliveTablePublishSeconds") is { } alive) options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(alive);
        if (section.GetValue<double?>("TableRefreshSeconds") is { } refresh) options.TableRefreshTimeout = TimeSpan.FromSeconds(refresh);
        if (section.GetValue<int?>("NumVotesForDeathDeclaration") is { } votes) options.NumVotesForDeathDeclaration = votes;
    }

    /// <summary>An Orleans client of a PostgreSQL-mode cluster (the API when it does not co-host a silo).</summary>
    public static IClientBuilder UseGridGovCluster(this IClientBuilder client, IConfiguration config)
    {
        var postgres = config.PostgresConnection()
            ?? throw new InvalidOperationException("A separate API process needs ConnectionStrings:GridGov to find the cluster.");
        client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = ClusterIds(config));
        return client.UseGridGovPostgres(postgres);
    }

    static (string ClusterId, string ServiceId) ClusterIds(IConfiguration config) =>
        (config.GetValue("GridGov:ClusterId", "gridgov")!, config.GetValue("GridGov:ServiceId", "gridgov")!);
}
