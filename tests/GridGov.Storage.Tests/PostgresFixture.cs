using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace GridGov.Storage.Tests;

/// <summary>
/// A throwaway PostgreSQL. With GRIDGOV_TEST_PG set (a connection string to a server the tests may create
/// databases on) it uses that server; otherwise it runs initdb into a temp directory and starts postgres from
/// the local binaries on a free loopback port as OS user "postgres". Each fixture gets a fresh database;
/// <see cref="CreateDatabaseAsync"/> makes more.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public const string ExternalVariable = "GRIDGOV_TEST_PG";
    const string OsUser = "postgres";

    string? _dataDir;
    string? _bin;
    int _port;
    string _serverConnection = "";

    /// <summary>The fixture's own database.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>How long the server took to be ready (zero for an external server).</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>True when the server runs from this fixture's temp directory (so it can be stopped).</summary>
    public bool IsLocal => _dataDir is not null;

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        var external = Environment.GetEnvironmentVariable(ExternalVariable);
        if (!string.IsNullOrWhiteSpace(external))
            _serverConnection = external;
        else
        {
            _bin = FindBinaries();
            _dataDir = Path.Combine(Path.GetTempPath(), "gridgov-pg-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_dataDir);
            await Run("chown", "-R", OsUser, _dataDir);
            await Run("runuser", "-u", OsUser, "--", Path.Combine(_bin, "initdb"), "-D", Path.Combine(_dataDir, "data"),
                "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C");
            _port = FreePort();
            _serverConnection = $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres;Pooling=false";
            await Start();
        }
        ConnectionString = await CreateDatabaseAsync();
        StartupTime = clock.Elapsed;
    }

    /// <summary>Creates an empty database on the server and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "gridgov_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(_serverConnection))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(_serverConnection) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>Starts the local server on its data directory and waits until it accepts connections.</summary>
    public async Task Start()
    {
        EnsureLocal();
        var data = Path.Combine(_dataDir!, "data");
        await Run("runuser", "-u", OsUser, "--", Path.Combine(_bin!, "pg_ctl"), "start", "-D", data, "-w", "-t", "60",
            "-l", Path.Combine(_dataDir!, "server.log"),
            "-o", $"-p {_port} -c listen_addresses=127.0.0.1 -k {_dataDir} -c fsync=off -c full_page_writes=off -c max_connections=200");
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

    public async Task DisposeAsync()
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

    static int FreePort()
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

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
