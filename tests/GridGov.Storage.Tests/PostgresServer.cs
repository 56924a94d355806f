using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace GridGov.Testing;

/// <summary>
/// A throwaway PostgreSQL for tests and the load simulator. With GRIDGOV_TEST_PG set (a connection string to a
/// server that may create databases) it uses that server; otherwise it runs initdb into a temp directory and starts
/// postgres from the machine's binaries (`pg_config --bindir`) on a free loopback port as OS user "postgres",
/// with durability off (it is thrown away). Linked into the projects that need it.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string ExternalVariable = "GRIDGOV_TEST_PG";
    const string OsUser = "postgres";

    /// <summary>Settings a local server runs with.</summary>
    public const string LocalSettings = "-c fsync=off -c full_page_writes=off -c max_connections=300";

    string? _dataDir;
    string? _bin;
    int _port;
    string _serverConnection = "";

    /// <summary>True when the server runs from this instance's temp directory (so it can be stopped).</summary>
    public bool IsLocal => _dataDir is not null;

    /// <summary>What runs: the local settings, or "external server".</summary>
    public string Settings => IsLocal ? LocalSettings : "external server";

    public static async Task<PostgresServer> StartAsync()
    {
        var pg = new PostgresServer();
        var external = Environment.GetEnvironmentVariable(ExternalVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            pg._serverConnection = external;
            return pg;
        }
        pg._bin = FindBinaries();
        pg._dataDir = Path.Combine(Path.GetTempPath(), "gridgov-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(pg._dataDir);
        await Run("chown", "-R", OsUser, pg._dataDir);
        await Run("runuser", "-u", OsUser, "--", Path.Combine(pg._bin, "initdb"), "-D", Path.Combine(pg._dataDir, "data"),
            "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C");
        pg._port = FreePort();
        pg._serverConnection = $"Host=127.0.0.1;Port={pg._port};Username=postgres;Database=postgres;Pooling=false";
        await pg.Start();
        return pg;
    }

    /// <summary>Creates an empty database on the server and returns its (pooled) connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "gridgov_test", int? maxPoolSize = null)
    {
        var name = prefix + "_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(_serverConnection))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(_serverConnection) { Database = name, Pooling = true };
        if (maxPoolSize is { } max) builder.MaxPoolSize = max;
        return builder.ConnectionString;
    }

    /// <summary>Starts the local server on its data directory and waits until it accepts connections.</summary>
    public async Task Start()
    {
        EnsureLocal();
        var data = Path.Combine(_dataDir!, "data");
        await Run("runuser", "-u", OsUser, "--", Path.Combine(_bin!, "pg_ctl"), "start", "-D", data, "-w", "-t", "60",
            "-l", Path.Combine(_dataDir!, "server.log"),
            "-o", $"-p {_port} -c listen_addresses=127.0.0.1 -k {_dataDir} {LocalSettings}");
        await WaitReady();
    }

    /// <summary>Stops the local server (fast shutdown: open connections are dropped).</summary>
    public async Task Stop()
    {
        EnsureLocal();
        NpgsqlConnection.ClearAllPools();
        await Run("runuser", "-u", OsUser, "--", Path.Combine(_bin!, "pg_ctl"), "stop", "-D", Path.Combine(_dataDir!, "data"),
            "-m", "fast", "-w", "-t", "60");
    }

    /// <summary>Stops and starts the same data directory: what a database restart looks like to the cluster.</summary>
    public async Task Restart()
    {
        await Stop();
        await Start();
    }

    public async ValueTask DisposeAsync()
    {
        if (!IsLocal) return;
        try { await Stop(); }
        finally { Directory.Delete(_dataDir!, recursive: true); }
    }

    void EnsureLocal()
    {
        if (!IsLocal) throw new InvalidOperationException($"The server is external ({ExternalVariable}); it cannot be stopped from here.");
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
        throw new InvalidOperationException(
            $"No PostgreSQL server binaries (initdb) found via pg_config or /usr/lib/postgresql/15/bin; install postgresql-15 or set {ExternalVariable}.");
    }

    public static int FreePort()
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
