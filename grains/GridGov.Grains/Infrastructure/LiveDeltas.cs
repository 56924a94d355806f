namespace GridGov.Grains.Infrastructure;

/// <summary>
/// Live-state changes on their way up the jurisdiction tree. A check-in's first visit or a ticket's move changes the
/// counters of its community, street, district and city; every cell of the city would otherwise send the city's one
/// grain a message per change. This silo sums the changes per jurisdiction and sends each one message per
/// <see cref="Interval"/>, and sends what is pending when the silo stops. Like the one-way messages it replaces,
/// a change in flight is lost if the process dies; the counters are live figures, not the record (the journal is).
/// </summary>
public sealed class LiveDeltas : SiloFlusher
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    readonly IGrainFactory _grains;
    readonly Lock _gate = new();
    Dictionary<(string Code, DateOnly Day), LiveDelta> _pending = new();

    public LiveDeltas(IGrainFactory grains) : base(Interval) => _grains = grains;

    /// <summary>Adds a cell's change to every jurisdiction above the cell.</summary>
    public void Add(string cellCode, LiveDelta delta)
    {
        lock (_gate)
            foreach (var code in JurisdictionCode.AncestorsOf(cellCode))
            {
                var key = (code, delta.PointsVisitedToday != 0 ? delta.Day : default);
                _pending[key] = _pending.TryGetValue(key, out var sum) ? Merge(sum, delta) : delta;
            }
    }

    /// <summary>Sends what is pending, one message per jurisdiction and day.</summary>
    public override void Flush()
    {
        Dictionary<(string Code, DateOnly Day), LiveDelta> batch;
        lock (_gate)
        {
            if (_pending.Count == 0) return;
            batch = _pending;
            _pending = new();
        }
        foreach (var ((code, _), delta) in batch)
            _ = _grains.GetGrain<IJurisdictionGrain>(code).Apply(delta);
    }

    /// <summary>The sum of two changes to one jurisdiction (and, for visits, one day).</summary>
    public static LiveDelta Merge(LiveDelta a, LiveDelta b)
    {
        var byStage = new Dictionary<TicketStage, int>(a.OpenByStage);
        foreach (var (stage, n) in b.OpenByStage) byStage[stage] = byStage.GetValueOrDefault(stage) + n;
        return new LiveDelta(byStage, a.Overdue + b.Overdue, a.PointsVisitedToday + b.PointsVisitedToday,
            a.PointsVisitedToday != 0 ? a.Day : b.Day, a.PointsDue + b.PointsDue);
    }
}
