using System.Diagnostics;

namespace GridGov.LoadSim;

/// <summary>Every latency of one measured run, recorded per worker (no locks) and merged at the end.</summary>
public sealed class LatencyRecorder
{
    readonly List<long>[] _perWorker;

    public LatencyRecorder(int workers)
    {
        _perWorker = new List<long>[workers];
        for (var i = 0; i < workers; i++) _perWorker[i] = new List<long>(4096);
    }

    /// <summary>Records one operation's latency in <see cref="Stopwatch"/> ticks.</summary>
    public void Record(int worker, long ticks) => _perWorker[worker].Add(ticks);

    public long Count => _perWorker.Sum(l => (long)l.Count);

    /// <summary>Throughput and percentiles over everything recorded.</summary>
    public OpStats Summarize(string op, string driver, TimeSpan elapsed, long errors, string? note = null)
    {
        var all = new long[Count];
        var at = 0;
        foreach (var list in _perWorker)
        {
            list.CopyTo(all, at);
            at += list.Count;
        }
        Array.Sort(all);
        double Ms(double q) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)Math.Ceiling(q * all.Length) - 1)] * 1000.0 / Stopwatch.Frequency;
        return new OpStats(op, driver, all.Length, errors, elapsed.TotalSeconds,
            all.Length / Math.Max(elapsed.TotalSeconds, 1e-9), Ms(0.50), Ms(0.95), Ms(0.99),
            all.Length == 0 ? 0 : all[^1] * 1000.0 / Stopwatch.Frequency, note);
    }
}

/// <summary>One operation's figures in one run.</summary>
/// <param name="Throughput">Successful operations per second of wall time.</param>
public sealed record OpStats(
    string Op,
    string Driver,
    long Count,
    long Errors,
    double Seconds,
    double Throughput,
    double P50Ms,
    double P95Ms,
    double P99Ms,
    double MaxMs,
    string? Note)
{
    /// <summary>Filled in by the report: this figure over the limit it is compared with.</summary>
    public double? RatioToLimit { get; set; }
    public string? Limit { get; set; }
    /// <summary>Process CPU time (server + client) per successful operation, in microseconds.</summary>
    public double CpuUsPerOp { get; set; }
    /// <summary>
    /// CPU time of the PostgreSQL server's processes per successful operation, in microseconds (null when no server
    /// process was seen, e.g. embedded mode): the other half of a persisted operation's cost on this machine.
    /// </summary>
    public double? PostgresCpuUsPerOp { get; set; }
    /// <summary>Seconds until the one-way work the run queued was done (0 when not measured).</summary>
    public double DrainSeconds { get; set; }
    /// <summary>Operations over run time plus drain time: the rate the system keeps up with.</summary>
    public double? SustainedThroughput { get; set; }
    /// <summary>The machine's 1-minute load average when the run began (the machine is shared).</summary>
    public double LoadAverage { get; set; }
    /// <summary>Time the process spent paused for garbage collection during the run, and the longest gap seen.</summary>
    public double GcPauseMs { get; set; }
    /// <summary>Bytes the process allocated per successful operation (server and client): what feeds the GC.</summary>
    public double AllocatedBytesPerOp { get; set; }
    /// <summary>
    /// Messages the silo sent to inspector grains per operation (counted check-ins gathered per inspector per 100 ms).
    /// Few inspectors receiving many check-ins share messages; in a big city each check-in is close to one message.
    /// </summary>
    public double InspectorMessagesPerOp { get; set; }
    /// <summary>Grain activations created and destroyed during the run: first touches, not steady state (0 when every grain was warm).</summary>
    public long ActivationsCreated { get; set; }
    public long ActivationsDestroyed { get; set; }
    /// <summary>Garbage collections of each generation during the run (gen 0, gen 1, gen 2).</summary>
    public int[] Collections { get; set; } = [];
    /// <summary>The longest stretch of the run with no operation completing, and when it began (seconds into the run).</summary>
    public double LongestGapMs { get; set; }
    public double LongestGapAtSeconds { get; set; }
    /// <summary>Methods the JIT compiled during the run and the time it spent (steady state has next to none).</summary>
    public long JitMethods { get; set; }
    public double JitMs { get; set; }
    /// <summary>Seconds the operation was driven unmeasured first (see <see cref="LoadLoop.Warmup"/>).</summary>
    public double WarmupSeconds { get; set; }

    public static double ReadLoadAverage()
    {
        try { return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture); }
        catch (IOException) { return -1; }
    }
}

/// <summary>Runs a closed-loop load: <c>workers</c> loops, each issuing its next operation as soon as the last returns.</summary>
public static class LoadLoop
{
    /// <summary>Fewer methods than this jitted in a second of load counts as steady state.</summary>
    public const int SteadyJitMethodsPerSecond = 20;

    /// <summary>
    /// Drives <paramref name="op"/> unmeasured for at least <paramref name="minSeconds"/>, then on, a second at a time, until
    /// the JIT is done with it (fewer than <see cref="SteadyJitMethodsPerSecond"/> methods compiled in the last second) or
    /// six times the minimum has passed. Under full load the runtime's tier-up work queues behind the load, so a fixed
    /// warm-up can leave seconds of compiling inside the measured run. Returns the seconds spent and the last second's
    /// compiled methods.
    /// </summary>
    public static async Task<(double Seconds, long LastSecondJitMethods)> Warmup(string driver, int workers, double minSeconds,
        Func<int, long, Task<bool?>> op, Action<Exception>? onError = null)
    {
        if (minSeconds <= 0) return (0, 0);
        var watch = Stopwatch.StartNew();
        await Run("warm-up", driver, workers, TimeSpan.FromSeconds(minSeconds), op, onError);
        long last;
        do
        {
            var before = System.Runtime.JitInfo.GetCompiledMethodCount();
            await Run("warm-up", driver, workers, TimeSpan.FromSeconds(1), op, onError);
            last = System.Runtime.JitInfo.GetCompiledMethodCount() - before;
        }
        while (last >= SteadyJitMethodsPerSecond && watch.Elapsed.TotalSeconds < 6 * minSeconds);
        return (watch.Elapsed.TotalSeconds, last);
    }

    /// <summary>
    /// Runs <paramref name="op"/> on <paramref name="workers"/> concurrent loops for <paramref name="duration"/>; an
    /// operation that returns false or throws counts as an error; null means "setup, not measured".
    /// </summary>
    public static async Task<OpStats> Run(string name, string driver, int workers, TimeSpan duration,
        Func<int, long, Task<bool?>> op, Action<Exception>? onError = null, string? note = null)
    {
        var recorder = new LatencyRecorder(workers);
        long errors = 0;
        var load = OpStats.ReadLoadAverage();
        var meter = RunMeter.Start();
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var tasks = new Task[workers];
        var gaps = new GapWatch(start);
        for (var w = 0; w < workers; w++)
        {
            var worker = w;
            tasks[w] = Task.Run(async () =>
            {
                long i = 0;
                while (Stopwatch.GetTimestamp() < end)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    bool? ok;
                    try { ok = await op(worker, i++); }
                    catch (Exception e)
                    {
                        ok = false;
                        onError?.Invoke(e);
                    }
                    if (ok == true) recorder.Record(worker, Stopwatch.GetTimestamp() - t0);
                    else if (ok == false) Interlocked.Increment(ref errors);
                    gaps.Completed();
                }
            });
        }
        await Task.WhenAll(tasks);
        var elapsed = Stopwatch.GetElapsedTime(start);
        var stats = recorder.Summarize(name, driver, elapsed, errors, note);
        meter.Fill(stats);
        (stats.LongestGapMs, stats.LongestGapAtSeconds) = gaps.Longest;
        stats.LoadAverage = load;
        return stats;
    }

    /// <summary>CPU time of the whole process (server and client share it).</summary>
    public static TimeSpan CpuTime()
    {
        using var p = Process.GetCurrentProcess();
        return p.TotalProcessorTime;
    }

    /// <summary>
    /// An open-loop load at a fixed <paramref name="rate"/>: operation k is due at start + k/rate and its latency is
    /// measured from when it was due (no coordinated omission), with up to <paramref name="workers"/> in flight.
    /// </summary>
    public static async Task<OpStats> Paced(string name, string driver, int workers, double rate, TimeSpan duration,
        Func<int, long, Task<bool?>> op, Action<Exception>? onError = null, string? note = null)
    {
        var recorder = new LatencyRecorder(workers);
        long errors = 0;
        long next = -1;
        var total = (long)(rate * duration.TotalSeconds);
        var load = OpStats.ReadLoadAverage();
        var meter = RunMeter.Start();
        var start = Stopwatch.GetTimestamp();
        var tasks = new Task[workers];
        for (var w = 0; w < workers; w++)
        {
            var worker = w;
            tasks[w] = Task.Run(async () =>
            {
                while (true)
                {
                    var k = Interlocked.Increment(ref next);
                    if (k >= total) return;
                    var due = start + (long)(k / rate * Stopwatch.Frequency);
                    var wait = due - Stopwatch.GetTimestamp();
                    if (wait > 0) await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
                    bool? ok;
                    try { ok = await op(worker, k); }
                    catch (Exception e)
                    {
                        ok = false;
                        onError?.Invoke(e);
                    }
                    if (ok == true) recorder.Record(worker, Stopwatch.GetTimestamp() - due);
                    else if (ok == false) Interlocked.Increment(ref errors);
                }
            });
        }
        await Task.WhenAll(tasks);
        var stats = recorder.Summarize(name, driver, Stopwatch.GetElapsedTime(start), errors, note);
        meter.Fill(stats);
        stats.LoadAverage = load;
        return stats;
    }
}

/// <summary>The process's counters at the start of a run; <see cref="Fill"/> sets a run's per-operation costs from them.</summary>
readonly record struct RunMeter(TimeSpan Cpu, Dictionary<int, double>? Postgres, TimeSpan GcPause, long Allocated, int[] Collections, long JitMethods, TimeSpan JitTime)
{
    public static RunMeter Start() => new(LoadLoop.CpuTime(), PostgresCpu.Total(), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes(precise: false),
        [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)], System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime());

    public void Fill(OpStats stats)
    {
        var perOp = stats.Count == 0 ? 0 : 1.0 / stats.Count;
        stats.CpuUsPerOp = (LoadLoop.CpuTime() - Cpu).TotalMicroseconds * perOp;
        stats.PostgresCpuUsPerOp = PostgresCpu.PerOp(Postgres, stats.Count);
        stats.GcPauseMs = (GC.GetTotalPauseDuration() - GcPause).TotalMilliseconds;
        stats.AllocatedBytesPerOp = (GC.GetTotalAllocatedBytes(precise: false) - Allocated) * perOp;
        stats.Collections = [.. Collections.Select((n, g) => GC.CollectionCount(g) - n)];
        stats.JitMethods = System.Runtime.JitInfo.GetCompiledMethodCount() - JitMethods;
        stats.JitMs = (System.Runtime.JitInfo.GetCompilationTime() - JitTime).TotalMilliseconds;
    }
}

/// <summary>
/// CPU time used by the machine's PostgreSQL server processes (every process named <c>postgres</c>, read from /proc; the
/// simulator's throwaway server is the only one running here), per process so that a backend that exits during a run
/// drops out rather than making the difference negative (its share is then missed: the figure is a floor). Null where
/// /proc is not readable.
/// </summary>
static class PostgresCpu
{
    const double TickMicroseconds = 1_000_000.0 / 100; // USER_HZ is 100 on Linux

    public static Dictionary<int, double>? Total()
    {
        if (!Directory.Exists("/proc")) return null;
        var byPid = new Dictionary<int, double>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string stat;
            try { stat = File.ReadAllText(Path.Combine(dir, "stat")); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            // pid (comm) state ppid ... utime(14) stime(15): fields counted after the closing parenthesis of comm.
            var close = stat.LastIndexOf(')');
            if (close < 0 || !stat.AsSpan(0, close).EndsWith("(postgres")) continue;
            var fields = stat[(close + 2)..].Split(' ');
            byPid[pid] = (double.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture)
                + double.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) * TickMicroseconds;
        }
        return byPid.Count > 0 ? byPid : null;
    }

    /// <summary>Server CPU per operation since <paramref name="before"/>: processes alive at the end, less what they had used before.</summary>
    public static double? PerOp(Dictionary<int, double>? before, long count)
    {
        if (before is null || count <= 0 || Total() is not { } after) return null;
        var used = after.Sum(p => p.Value - before.GetValueOrDefault(p.Key));
        return used / count;
    }
}

/// <summary>Finds the longest stretch of a run in which no operation completed (a stall of the whole process).</summary>
sealed class GapWatch(long begin)
{
    readonly long _start = begin;
    long _last = begin, _longest, _longestAt;

    public void Completed()
    {
        var now = Stopwatch.GetTimestamp();
        var previous = Interlocked.Exchange(ref _last, now);
        if (now - previous <= Interlocked.Read(ref _longest)) return;
        lock (this)
            if (now - previous > _longest)
            {
                _longest = now - previous;
                _longestAt = previous - _start;
            }
    }

    public (double Ms, double AtSeconds) Longest =>
        ((double)_longest * 1000 / Stopwatch.Frequency, (double)_longestAt / Stopwatch.Frequency);
}
