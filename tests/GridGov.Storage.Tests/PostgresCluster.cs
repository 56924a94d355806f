using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace GridGov.Storage.Tests;

/// <summary>
/// An in-process TestCluster whose silos and client are configured exactly as in PostgreSQL mode. Membership
/// goes through the database (not the test cluster's in-memory table). The service and cluster ids are fixed,
/// so a new cluster on the same database is the same service coming back.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    public const string ServiceId = "gridgov-test";
    public const string ClusterId = "gridgov-test";

    /// <summary>Read by the configurators, which TestCluster creates by type (tests in the collection run one at a time).</summary>
    static string _connectionString = "";

    public TestCluster Cluster { get; }
    public IGrainFactory Grains => Cluster.GrainFactory;

    PostgresCluster(TestCluster cluster) => Cluster = cluster;

    sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo) => silo.AddGridGovPostgres(_connectionString);
    }

    sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder client) => client.UseGridGovPostgres(_connectionString);
    }

    public static async Task<PostgresCluster> StartAsync(string connectionString, short silos = 2)
    {
        _connectionString = connectionString;
        var builder = new TestClusterBuilder(silos);
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ServiceId = ServiceId;
        builder.Options.ClusterId = ClusterId;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new PostgresCluster(cluster);
    }

    /// <summary>Stops every silo gracefully (grains deactivate, silos mark themselves dead).</summary>
    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
