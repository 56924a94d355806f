using GridGov.Grains.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace GridGov.Storage.Tests;

/// <summary>
/// A manual domain clock for the PostgreSQL tests (this project has no FakeTimeProvider): time moves only when a
/// test calls <see cref="Advance"/>, and timers due by then fire inside that call.
/// </summary>
public sealed class DurabilityClock(DateTimeOffset start) : TimeProvider
{
    readonly Lock _gate = new();
    readonly List<Timer> _timers = [];
    DateTimeOffset _now = start;

    public static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>Monday 2026-11-23 08:00 in Asia/Shanghai.</summary>
    public static readonly DateTimeOffset Monday8 = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() { lock (_gate) return _now; }
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public DateTimeOffset LocalNow => TimeZoneInfo.ConvertTime(GetUtcNow(), Shanghai);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate) _now += by;
        Fire();
    }

    /// <summary>Moves forward to the next time the city's local clock shows <paramref name="time"/>.</summary>
    public void AdvanceToLocal(TimeOnly time)
    {
        var local = LocalNow;
        var target = new DateTimeOffset(local.Date + time.ToTimeSpan(), local.Offset);
        if (target <= local) target = target.AddDays(1);
        Advance(target - local);
    }

    void Fire()
    {
        while (true)
        {
            Timer? next;
            lock (_gate)
                next = _timers.Where(t => t.Due <= _now).OrderBy(t => t.Due).FirstOrDefault();
            if (next is null) return;
            next.Tick();
        }
    }

    sealed class Timer(DurabilityClock clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset Due;
        TimeSpan _period = Timeout.InfiniteTimeSpan;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._gate)
            {
                clock._timers.Remove(this);
                _period = period;
                if (dueTime == Timeout.InfiniteTimeSpan) return true;
                Due = clock._now + dueTime;
                clock._timers.Add(this);
            }
            if (dueTime <= TimeSpan.Zero) clock.Fire();
            return true;
        }

        public void Tick()
        {
            lock (clock._gate)
            {
                clock._timers.Remove(this);
                if (_period > TimeSpan.Zero && _period != Timeout.InfiniteTimeSpan)
                {
                    Due += _period;
                    clock._timers.Add(this);
                }
            }
            try { callback(state); }
            catch (Exception) { /* a timer callback must not break the test that moved the clock */ }
        }

        public void Dispose() { lock (clock._gate) clock._timers.Remove(this); }
        public ValueTask DisposeAsync() { Dispose(); return ValueTask.CompletedTask; }
    }
}

/// <summary>
/// A PostgreSQL-mode TestCluster (same service and cluster ids as <see cref="PostgresCluster"/>) whose domain clock
/// is a <see cref="DurabilityClock"/> and whose reminders tick every <see cref="ReminderPeriod"/>: Orleans' minimum
/// reminder period and our <see cref="AlarmOptions.ReminderPeriod"/> are both lowered so a restarted cluster's
/// reminders arrive within seconds.
/// </summary>
public sealed class DurabilityCluster : IAsyncDisposable
{
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromSeconds(1);

    /// <summary>Read by the configurators, which TestCluster creates by type (tests in the collection run one at a time).</summary>
    static TimeProvider _clock = TimeProvider.System;

    public TestCluster Cluster { get; }
    public IGrainFactory Grains => Cluster.GrainFactory;

    DurabilityCluster(TestCluster cluster) => Cluster = cluster;

    sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.AddGridGovPostgres(PostgresCluster.ConnectionString, _clock);
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = ReminderPeriod);
            silo.Services.Configure<AlarmOptions>(o => o.ReminderPeriod = ReminderPeriod);
        }
    }


    public static async Task<DurabilityCluster> StartAsync(string connectionString, TimeProvider clock, short silos = 2)
    {
        _clock = clock;
        return new DurabilityCluster(await PostgresCluster.DeployAsync<SiloConfigurator>(connectionString, silos));
    }

    /// <summary>Stops every silo gracefully, then the client.</summary>
    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    /// <summary>Polls until <paramref name="done"/> holds or the timeout passes; returns the last value.</summary>
    public static async Task<T> Eventually<T>(Func<Task<T>> probe, Func<T, bool> done, int timeoutMs = 15_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            var value = await probe();
            if (done(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(50);
        }
    }
}
