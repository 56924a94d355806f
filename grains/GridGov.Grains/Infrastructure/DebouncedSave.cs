namespace GridGov.Grains.Infrastructure;

/// <summary>
/// Saves a grain's state at most once per <paramref name="delay"/>, and on deactivation. For state fed by one-way
/// messages on the hot path (live counters, an inspector's visits): the message was never acknowledged after a
/// write, so batching the writes loses no acknowledged work, and a write per message would dominate the cost.
/// </summary>
public sealed class DebouncedSave(Grain grain, Func<Task> save, TimeSpan delay)
{
    IGrainTimer? _timer;

    public static readonly TimeSpan DefaultDelay = TimeSpan.FromSeconds(1);

    /// <summary>Asks for a save within the delay; further requests until then ride on it.</summary>
    public void Request() => _timer ??= grain.RegisterGrainTimer(Flush, new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan));

    /// <summary>Saves now if a save is pending (call from OnDeactivateAsync).</summary>
    public async Task Flush()
    {
        if (_timer is null) return;
        Cancel();
        await save();
    }

    /// <summary>Saves now, for a change that must be durable before the caller hears back; a pending save rides on it.</summary>
    public Task Now()
    {
        Cancel();
        return save();
    }

    /// <summary>Forgets the pending save because the state was just written anyway.</summary>
    public void Cancel()
    {
        _timer?.Dispose();
        _timer = null;
    }
}
