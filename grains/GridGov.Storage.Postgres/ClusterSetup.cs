using System.Net;
using GridGov.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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
        QuietPlacementLog(silo, config);
        var siloPort = config.GetValue("GridGov:SiloPort", 11111);
        var gatewayPort = config.GetValue("GridGov:GatewayPort", 30000);
        if (config.PostgresConnection() is not { } postgres)
            return silo.UseLocalhostClustering(siloPort, gatewayPort).AddGridGovEmbedded(clock);

        var address = IPAddress.Parse(config.GetValue("GridGov:AdvertisedAddress", "127.0.0.1")!);
        silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = ClusterIds(config));
        silo.ConfigureEndpoints(address, siloPort, gatewayPort, listenOnAnyHostAddress: config.GetValue("GridGov:ListenOnAnyAddress", false));
        silo.Configure<ClusterMembershipOptions>(o => ApplyMembership(config, o));
        if (ResponseTimeout(config) is { } timeout) silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = timeout);
        return silo.AddGridGovPostgres(postgres, clock);
    }

    /// <summary>
    /// Orleans places every new activation through a Polly pipeline that logs two Information lines each time: 236,000
    /// lines to load a 10,000-cell city. Polly logs from Warning up unless configuration names its own level.
    /// </summary>
    static void QuietPlacementLog(ISiloBuilder silo, IConfiguration config)
    {
        if (config[$"Logging:LogLevel:{PlacementLogCategory}"] is null)
            silo.Services.Configure<LoggerFilterOptions>(o => o.AddFilter(PlacementLogCategory, LogLevel.Warning));
    }

    public const string PlacementLogCategory = "Polly";

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
        if (ResponseTimeout(config) is { } timeout) client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = timeout);
        return client.UseGridGovPostgres(postgres);
    }

    /// <summary>
    /// How long a grain call may wait for its answer (GridGov:ResponseTimeoutSeconds; Orleans' 30 s when unset):
    /// calls caught on a silo that died fail after this, instead of hanging.
    /// </summary>
    static TimeSpan? ResponseTimeout(IConfiguration config) =>
        config.GetValue<double?>("GridGov:ResponseTimeoutSeconds") is { } seconds and > 0 ? TimeSpan.FromSeconds(seconds) : null;

    static (string ClusterId, string ServiceId) ClusterIds(IConfiguration config) =>
        (config.GetValue("GridGov:ClusterId", "gridgov")!, config.GetValue("GridGov:ServiceId", "gridgov")!);
}
