using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace GridGov.LoadSim;

/// <summary>
/// A throwaway PostgreSQL server, adapted from tests/GridGov.Storage.Tests/PostgresFixture.cs: with GRIDGOV_TEST_PG set
/// it uses that server; otherwise it runs initdb into a temp directory and starts postgres (from `pg_config --bindir`)
/// on a free loopback port as OS user "postgres", with the same settings the tests use (fsync off). Each city gets
/// its own database.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    public const string ExternalVariable = "GRIDGOV_TEST_PG";
    const string OsUser = "postgres";

    string? _dataDir;
    string? _bin;
    string _serverConnection = "";

    /// <summary>Server settings as passed to postgres (for the report).</summary>
    public string Settings { get; private set; } = "external server";

    public static async Task<ThrowawayPostgres> StartAsync()
    {
        var pg = new ThrowawayPostgres();
        var external = Environment.GetEnvironmentVariable(ExternalVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            pg._serverConnection = external;
            return pg;
        }
        pg._bin = FindBinaries();
        pg._dataDir = Path.Combine(Path.GetTempPath(), "gridgov-loadsim-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(pg._dataDir);
        await Run("chown", "-R", OsUser, pg._dataDir);
        await Run("runuser", "-u", OsUser, "--", Path.Combine(pg._bin, "initdb"), "-D", Path.Combine(pg._dataDir, "data"),
            "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C");
        var port = FreePort();
        pg._serverConnection = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";
        pg.Settings = "-c fsync=off -c full_page_writes=off -c max_connections=300";
        await Run("runuser", "-u", OsUser, "--", Path.Combine(pg._bin, "pg_ctl"), "start", "-D", Path.Combine(pg._dataDir, "data"), "-w", "-t", "60",
            "-l", Path.Combine(pg._dataDir, "server.log"),
            "-o", $"-p {port} -c listen_addresses=127.0.0.1 -k {pg._dataDir} {pg.Settings}");
        await pg.WaitReady();
        return pg;
    }

    /// <summary>Creates an empty database and returns its (pooled) connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = prefix + "_" + Guid.NewGuid().ToString("N")[..10];
        await using (var connection = new NpgsqlConnection(_serverConnection))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(_serverConnection) { Database = name, Pooling = true, MaxPoolSize = 200 }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataDir is null) return;
        NpgsqlConnection.ClearAllPools();
        try
        {
            await Run("runuser", "-u", OsUser, "--", Path.Combine(_bin!, "pg_ctl"), "stop", "-D", Path.Combine(_dataDir, "data"), "-m", "fast", "-w", "-t", "60");
        }
        finally
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    async Task WaitReady()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_serverConnection);
                await connection.OpenAsync();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    static string FindBinaries()
    {
        string? bin = null;
        try
        {
            var info = new ProcessStartInfo("pg_config", "--bindir") { RedirectStandardOutput = true, UseShellExecute = false };
            using var process = Process.Start(info)!;
            bin = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception) { }
        foreach (var candidate in new[] { bin, "/usr/lib/postgresql/15/bin" })
            if (!string.IsNullOrEmpty(candidate) && File.Exists(Path.Combine(candidate, "initdb")))
                return candidate;
        throw new InvalidOperationException($"No PostgreSQL server binaries (initdb) found via pg_config; install postgresql or set {ExternalVariable}.");
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    static async Task Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}{await stdout}");
    }
}
