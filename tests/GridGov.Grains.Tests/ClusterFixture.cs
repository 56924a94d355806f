using GridGov.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace GridGov.Grains.Tests;

/// <summary>One in-process test cluster whose domain clock is fake: tests move time, the grains' alarms follow.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>Monday 2026-11-23 08:00 in Asia/Shanghai.</summary>
    public static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero));

    public TestCluster Cluster { get; private set; } = null!;
    public IGrainFactory Grains => Cluster.GrainFactory;

    /// <summary>A service of the (in-process) primary silo.</summary>
    public T SiloService<T>() where T : notnull =>
        ((InProcessSiloHandle)Cluster.Primary!).SiloHost.Services.GetRequiredService<T>();

    sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo) => silo.AddGridGovEmbedded(Clock);
    }

    sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder client) =>
            client.AddMemoryStreams(GridStreams.Provider);
    }

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.StopAllSilosAsync();

    static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static DateTimeOffset LocalNow => TimeZoneInfo.ConvertTime(Clock.GetUtcNow(), Shanghai);

    /// <summary>Moves the clock forward to the next time the city's local clock shows <paramref name="time"/>.</summary>
    public static void AdvanceToLocal(TimeOnly time)
    {
        var local = LocalNow;
        var target = new DateTimeOffset(local.Date + time.ToTimeSpan(), local.Offset);
        if (target <= local) target = target.AddDays(1);
        Clock.Advance(target - local);
    }

    /// <summary>Waits for something the system does on its own (a woken grain) to become visible.</summary>
    public static async Task<T> Eventually<T>(Func<Task<T>> probe, Func<T, bool> done, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            var value = await probe();
            if (done(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(25);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
