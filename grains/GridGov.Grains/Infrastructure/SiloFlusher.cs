namespace GridGov.Grains.Infrastructure;

/// <summary>
/// A silo-wide gatherer: grains hand it small changes without a grain call; it sends what it holds every interval,
/// and once more when the silo stops, while grains can still receive (before they deactivate).
/// </summary>
public abstract class SiloFlusher : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    readonly Timer _timer;

    protected SiloFlusher(TimeSpan interval) => _timer = new Timer(_ => Flush(), null, interval, interval);

    /// <summary>Sends what is pending.</summary>
    public abstract void Flush();

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(GetType().Name, ServiceLifecycleStage.Active, _ => Task.CompletedTask, _ =>
        {
            Flush();
            return Task.CompletedTask;
        });

    public void Dispose() => _timer.Dispose();
}

public static class SiloFlusherHosting
{
    /// <summary>Registers <typeparamref name="T"/> once per silo, flushed at the silo's stop.</summary>
    public static IServiceCollection AddSiloFlusher<T>(this IServiceCollection services) where T : SiloFlusher
    {
        services.AddSingleton<T>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<T>());
        return services;
    }

    /// <summary>Live-state deltas and inspector visits, each gathered per silo.</summary>
    public static IServiceCollection AddGridGovFlushers(this IServiceCollection services) =>
        services.AddSiloFlusher<LiveDeltas>().AddSiloFlusher<InspectorVisits>();
}
