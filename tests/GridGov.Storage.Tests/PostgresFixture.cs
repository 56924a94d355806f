using System.Diagnostics;
using GridGov.Testing;

namespace GridGov.Storage.Tests;

/// <summary>
/// The tests' throwaway PostgreSQL (<see cref="PostgresServer"/>), started once per collection, with a fresh
/// database of its own; <see cref="CreateDatabaseAsync"/> makes more.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public const string ExternalVariable = PostgresServer.ExternalVariable;

    PostgresServer _server = null!;

    /// <summary>The fixture's own database.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>How long the server took to be ready (zero for an external server).</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>True when the server runs from this fixture's temp directory (so it can be stopped).</summary>
    public bool IsLocal => _server.IsLocal;

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        _server = await PostgresServer.StartAsync();
        ConnectionString = await CreateDatabaseAsync();
        StartupTime = clock.Elapsed;
    }

    public Task<string> CreateDatabaseAsync() => _server.CreateDatabaseAsync();

    public Task Start() => _server.Start();

    public Task Stop() => _server.Stop();

    public Task Restart() => _server.Restart();

    public async Task DisposeAsync() => await _server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
