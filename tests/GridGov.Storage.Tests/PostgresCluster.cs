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
    internal static string ConnectionString { get; private set; } = "";

    public TestCluster Cluster { get; }
    public IGrainFactory Grains => Cluster.GrainFactory;

    PostgresCluster(TestCluster cluster) => Cluster = cluster;

    sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo) => silo.AddGridGovPostgres(ConnectionString);
    }

    sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder client) => client.UseGridGovPostgres(ConnectionString);
    }

    public static async Task<PostgresCluster> StartAsync(string connectionString, short silos = 2) =>
        new(await DeployAsync<SiloConfigurator>(connectionString, silos));

    /// <summary>
    /// Deploys <paramref name="silos"/> silos configured by <typeparamref name="TSilo"/> (which reads
    /// <see cref="ConnectionString"/>) and a PostgreSQL-mode client, with membership in the database.
    /// </summary>
    internal static async Task<TestCluster> DeployAsync<TSilo>(string connectionString, short silos) where TSilo : ISiloConfigurator, new()
    {
        ConnectionString = connectionString;
        var builder = new TestClusterBuilder(silos);
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ServiceId = ServiceId;
        builder.Options.ClusterId = ClusterId;
        builder.AddSiloBuilderConfigurator<TSilo>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    /// <summary>Stops every silo gracefully (grains deactivate, silos mark themselves dead).</summary>
    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
