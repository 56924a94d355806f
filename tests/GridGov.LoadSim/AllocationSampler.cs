using System.Diagnostics.Tracing;

namespace GridGov.LoadSim;

/// <summary>
/// Which types a run allocates, from the runtime's allocation-tick events (one about every 100 KB allocated, naming the
/// type of the allocation that crossed the mark): a sample, so the shares are estimates, but enough to say where the
/// garbage comes from without a profiler.
/// </summary>
public sealed class AllocationSampler : EventListener
{
    const int GcKeyword = 0x1;
    readonly Lock _lock = new();
    Dictionary<string, long>? _bytesByType;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)GcKeyword);
    }

    /// <summary>Starts counting afresh.</summary>
    public void Start()
    {
        lock (_lock) _bytesByType = [];
    }

    /// <summary>Stops counting; the <paramref name="top"/> types by sampled bytes, with their share of all sampled bytes.</summary>
    public IReadOnlyList<(string Type, double Share)> Stop(int top)
    {
        Dictionary<string, long> counted;
        lock (_lock)
        {
            counted = _bytesByType ?? [];
            _bytesByType = null;
        }
        var total = Math.Max(1, counted.Values.Sum());
        return [.. counted.OrderByDescending(kv => kv.Value).Take(top).Select(kv => (kv.Key, (double)kv.Value / total))];
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.PayloadNames is null) return;
        var type = e.PayloadNames.IndexOf("TypeName") is var t and >= 0 ? e.Payload![t] as string ?? "?" : "?";
        var amount = e.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(e.Payload![a], System.Globalization.CultureInfo.InvariantCulture)
            : e.PayloadNames.IndexOf("AllocationAmount") is var b and >= 0 ? Convert.ToInt64(e.Payload![b], System.Globalization.CultureInfo.InvariantCulture) : 0;
        lock (_lock)
        {
            if (_bytesByType is null) return;
            _bytesByType[type] = _bytesByType.GetValueOrDefault(type) + amount;
        }
    }
}
