using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace GridGov.Grains.Infrastructure;

/// <summary>
/// The domain's clock: a keyed <see cref="TimeProvider"/> that every rule about time reads (fake in tests), kept
/// apart from the one Orleans itself runs on.
/// </summary>
public static class GridClock
{
    public const string Key = "gridgov";

    public static IServiceCollection AddGridClock(this IServiceCollection services, TimeProvider? clock = null)
    {
        services.AddKeyedSingleton(Key, clock ?? TimeProvider.System);
        services.AddOptions<AlarmOptions>()
            .Validate(o => o.ReminderPeriod > TimeSpan.Zero, "GridGov alarm reminder period must be positive.");
        services.AddSingleton<AlarmClock>();
        return services;
    }
}

/// <summary>
/// How alarms back themselves with Orleans reminders. <see cref="ReminderPeriod"/> is how often the reminder "wake"
/// ticks after its first due time; it must not be below Orleans' <c>ReminderOptions.MinimumReminderPeriod</c>
/// (1 minute by default). Tests lower both to see a restarted cluster wake grains within seconds.
/// </summary>
public sealed class AlarmOptions
{
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Wakes grains at their deadlines on the domain clock. Each grain has at most one pending wake; a new one
/// replaces it. Reminders (see <see cref="Alarm"/>) cover restarts; this covers precision and fake time.
/// </summary>
public sealed class AlarmClock([FromKeyedServices(GridClock.Key)] TimeProvider clock, IGrainFactory grains, IOptions<AlarmOptions> options)
{
    /// <summary>The period of every alarm's backing reminder.</summary>
    public TimeSpan ReminderPeriod { get; } = options.Value.ReminderPeriod;

    readonly ConcurrentDictionary<GrainId, ITimer> _timers = new();

    public DateTimeOffset Now => clock.GetUtcNow();

    public TimeProvider Clock => clock;

    public void WakeAt(GrainId id, DateTimeOffset at)
    {
        var due = at - clock.GetUtcNow();
        if (due < TimeSpan.Zero) due = TimeSpan.Zero;
        ITimer? timer = null;
        timer = clock.CreateTimer(_ =>
        {
            if (timer is not null && _timers.TryRemove(new KeyValuePair<GrainId, ITimer>(id, timer))) timer.Dispose();
            _ = grains.GetGrain<IWakeable>(id).Wake();
        }, null, due, Timeout.InfiniteTimeSpan);
        _timers.AddOrUpdate(id, timer, (_, old) => { old.Dispose(); return timer; });
    }

    public void Cancel(GrainId id)
    {
        if (_timers.TryRemove(id, out var timer)) timer.Dispose();
    }
}

/// <summary>A grain's single alarm: a timer on the domain clock plus a reminder so a silo restart cannot lose it.</summary>
public sealed class Alarm(Grain grain, AlarmClock clock)
{
    const string ReminderName = "wake";
    DateTimeOffset? _armedFor;
    bool _known;

    /// <summary>Arms the alarm for <paramref name="at"/>, or disarms it when null.</summary>
    public async Task Set(DateTimeOffset? at)
    {
        if (_known && at == _armedFor) return;
        _known = true;
        _armedFor = at;
        var id = grain.GetGrainId();
        if (at is null)
        {
            clock.Cancel(id);
            if (await grain.GetReminder(ReminderName) is { } reminder) await grain.UnregisterReminder(reminder);
            return;
        }
        clock.WakeAt(id, at.Value);
        var due = at.Value - clock.Now;
        await grain.RegisterOrUpdateReminder(ReminderName, due < TimeSpan.Zero ? TimeSpan.Zero : due, clock.ReminderPeriod);
    }
}
