using System.Diagnostics;

namespace GridGov.LoadSim;

/// <summary>
/// The simulated day's clock: it runs at real speed from a chosen instant (inside the demo city's 08:00–10:00 patrol
/// window), so every check-in gets its own time, as in a real day. Timers are real timers.
/// </summary>
public sealed class SimClock(DateTimeOffset start) : TimeProvider
{
    readonly long _origin = Stopwatch.GetTimestamp();

    /// <summary>Monday 2026-11-23 08:05 in Asia/Shanghai: five minutes into the morning patrol window.</summary>
    public static SimClock MorningWindow() => new(new DateTimeOffset(2026, 11, 23, 0, 5, 0, TimeSpan.Zero));

    public override DateTimeOffset GetUtcNow() => start + Stopwatch.GetElapsedTime(_origin);
}
