using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace GridGov.LoadSim;

/// <summary>The machine's limits, measured in the same run: raw PostgreSQL single-row writes and bare Kestrel requests.</summary>
public static class Limits
{
    /// <summary>
    /// <paramref name="connections"/> loops, each on its own connection, each INSERTing one row per statement in
    /// autocommit mode (one transaction per row), for <paramref name="duration"/>.
    /// </summary>
    public static async Task<OpStats> RawPostgresWrites(string connectionString, int connections, TimeSpan duration, double warmupSeconds)
    {
        await using (var setup = new NpgsqlConnection(connectionString))
        {
            await setup.OpenAsync();
            await using var create = new NpgsqlCommand(
                "CREATE TABLE IF NOT EXISTS loadsim_raw (id bigserial PRIMARY KEY, point_id text NOT NULL, at timestamptz NOT NULL, payload jsonb NOT NULL)", setup);
            await create.ExecuteNonQueryAsync();
        }
        var open = new NpgsqlConnection[connections];
        var commands = new NpgsqlCommand[connections];
        for (var i = 0; i < connections; i++)
        {
            open[i] = new NpgsqlConnection(connectionString);
            await open[i].OpenAsync();
            commands[i] = new NpgsqlCommand("INSERT INTO loadsim_raw (point_id, at, payload) VALUES ($1, $2, $3::jsonb)", open[i]);
            commands[i].Parameters.Add(new NpgsqlParameter { Value = "" });
            commands[i].Parameters.Add(new NpgsqlParameter { Value = DateTimeOffset.UtcNow });
            commands[i].Parameters.Add(new NpgsqlParameter { Value = "" });
            await commands[i].PrepareAsync();
        }
        try
        {
            async Task<bool?> Insert(int w, long i)
            {
                var cmd = commands[w];
                cmd.Parameters[0].Value = $"1301000000000{w:D3}-{i % 10:D3}";
                cmd.Parameters[1].Value = DateTimeOffset.UtcNow;
                cmd.Parameters[2].Value = "{\"inspector\":\"I-0001\",\"lat\":38.04,\"lon\":114.51,\"counted\":true}";
                return await cmd.ExecuteNonQueryAsync() == 1;
            }
            var (warm, _) = await LoadLoop.Warmup("npgsql", connections, warmupSeconds, Insert);
            var stats = await LoadLoop.Run("raw-pg-insert", "npgsql", connections, duration, Insert,
                note: $"{connections} connections, one INSERT per transaction (autocommit)");
            stats.WarmupSeconds = warm;
            return stats;
        }
        finally
        {
            foreach (var c in commands) await c.DisposeAsync();
            foreach (var c in open) await c.DisposeAsync();
        }
    }

    /// <summary>A bare Kestrel endpoint (reads the body, writes a small JSON answer) driven by the GraphQL driver's client.</summary>
    public static async Task<OpStats> BareKestrel(int clients, TimeSpan duration, double warmupSeconds)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        var answer = Encoding.UTF8.GetBytes("{\"data\":{\"checkIn\":{\"pointId\":\"1301000000000000-001\",\"counted\":true}}}");
        app.MapPost("/graphql", async (HttpContext ctx) =>
        {
            await ctx.Request.Body.CopyToAsync(Stream.Null);
            ctx.Response.ContentType = "application/json";
            await ctx.Response.Body.WriteAsync(answer);
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var client = new GraphQLClient(address, clients, _ => "none");
        var body = GraphQLClient.Body("mutation($p:String!,$pos:GeoPointInput!){ checkIn(pointId:$p, position:$pos){ pointId counted } }",
            new { p = "1301000000000000-001", pos = new { lat = 38.04, lon = 114.51 } });
        async Task<bool?> Post(int w, long i) => (await client.Post(body, null)).Status == 200;
        var (warm, _) = await LoadLoop.Warmup("http", clients, warmupSeconds, Post);
        var stats = await LoadLoop.Run("bare-kestrel", "http", clients, duration, Post,
            note: $"{clients} concurrent clients, same HttpClient as the GraphQL driver");
        stats.WarmupSeconds = warm;
        await app.StopAsync();
        return stats;
    }
}
