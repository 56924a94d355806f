using GridGov.Grains;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace GridGov.Storage.Postgres;

/// <summary>What a readiness probe reports: each dependency's state, and whether all are fine.</summary>
public sealed record ReadinessReport(bool Ready, Dictionary<string, string> Checks);

/// <summary>Tells the truth about the cluster, the database and the city, each within a short timeout.</summary>
public static class Readiness
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public static async Task<ReadinessReport> Check(IGrainFactory grains, IConfiguration config)
    {
        var checks = new Dictionary<string, string>();
        var ready = true;

        async Task Probe(string name, Func<CancellationToken, Task<string>> probe)
        {
            using var cts = new CancellationTokenSource(Timeout);
            try
            {
                checks[name] = await probe(cts.Token).WaitAsync(cts.Token);
            }
            catch (Exception e)
            {
                ready = false;
                checks[name] = $"failing: {(e is OperationCanceledException ? "no answer within " + Timeout.TotalSeconds + " s" : e.Message)}";
            }
        }

        await Probe("database", async ct =>
        {
            if (config.PostgresConnection() is not { } postgres) return "embedded (in-memory storage)";
            await using var connection = new NpgsqlConnection(postgres);
            await connection.OpenAsync(ct);
            await using var cmd = new NpgsqlCommand("SELECT 1", connection);
            await cmd.ExecuteScalarAsync(ct);
            return "ok";
        });
        await Probe("cluster", async _ =>
        {
            var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
            return hosts.Count > 0 ? $"{hosts.Count} active silo(s)" : throw new InvalidOperationException("no active silo");
        });
        await Probe("city", async _ =>
            (await grains.GetGrain<ICityGrain>(config.GetValue("GridGov:City", "1301")!).GetSettings()).Name);
        return new ReadinessReport(ready, checks);
    }

    /// <summary>Liveness: the process answers. Readiness: database, cluster and city, each checked for real (503 when not).</summary>
    public static void MapGridGovHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health/live", () => Results.Ok(new { status = "live" }));
        endpoints.MapGet("/health/ready", async (IGrainFactory grains, IConfiguration config) =>
        {
            var report = await Check(grains, config);
            return Results.Json(new { status = report.Ready ? "ready" : "not-ready", checks = report.Checks }, statusCode: report.Ready ? 200 : 503);
        });
    }
}
