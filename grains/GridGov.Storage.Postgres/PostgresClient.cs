using GridGov.Grains.Infrastructure;
using Orleans.Hosting;

namespace GridGov.Storage.Postgres;

/// <summary>Client configuration for PostgreSQL mode.</summary>
public static class PostgresClient
{
    /// <summary>Finds gateways through the ADO.NET membership table; subscribes to the "events" memory streams.</summary>
    public static IClientBuilder UseGridGovPostgres(this IClientBuilder client, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        client.UseAdoNetClustering(o =>
        {
            o.Invariant = PostgresSilo.Invariant;
            o.ConnectionString = connectionString;
        });
        client.AddMemoryStreams(GridStreams.Provider);
        return client;
    }
}
