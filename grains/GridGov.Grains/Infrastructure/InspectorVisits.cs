namespace GridGov.Grains.Infrastructure;

/// <summary>
/// Counted check-ins on their way to their inspectors' quotas. A cell would otherwise send its inspector one message
/// per check-in; this silo gathers the visits per inspector and sends each inspector one message per
/// <see cref="Interval"/> with all of them, in order, and sends what is pending when the silo stops. Like the one-way
/// message it replaces, a visit in flight is lost if the process dies; quota progress is a live figure, the journal
/// is the record.
/// </summary>
public sealed class InspectorVisits : SiloFlusher
{
    /// <summary>As <see cref="LiveDeltas.Interval"/>: progress on a supervisor's screen may lag a check-in by that much.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    readonly IGrainFactory _grains;
    readonly Lock _gate = new();
    Dictionary<string, List<InspectorVisit>> _pending = new(StringComparer.Ordinal);
    long _messages;

    public InspectorVisits(IGrainFactory grains) : base(Interval) => _grains = grains;

    /// <summary>Messages sent to inspectors so far (one per inspector per interval with visits).</summary>
    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>Adds a counted check-in for its inspector.</summary>
    public void Add(string inspectorId, InspectorVisit visit)
    {
        lock (_gate)
        {
            if (!_pending.TryGetValue(inspectorId, out var visits)) _pending[inspectorId] = visits = new List<InspectorVisit>();
            visits.Add(visit);
        }
    }

    /// <summary>
    /// Removes and returns what waits for one inspector: its grain, when it closes a day, counts them first (in one
    /// silo; visits gathered in another silo within the interval before midnight may still arrive after the close).
    /// </summary>
    public InspectorVisit[] Take(string inspectorId)
    {
        lock (_gate)
            return _pending.Remove(inspectorId, out var visits) ? visits.ToArray() : [];
    }

    /// <summary>Sends what is pending, one one-way message per inspector.</summary>
    public override void Flush()
    {
        Dictionary<string, List<InspectorVisit>> batch;
        lock (_gate)
        {
            if (_pending.Count == 0) return;
            batch = _pending;
            _pending = new(StringComparer.Ordinal);
        }
        foreach (var (inspectorId, visits) in batch)
        {
            _ = _grains.GetGrain<IInspectorGrain>(inspectorId).RecordVisits(visits.ToArray());
            Interlocked.Increment(ref _messages);
        }
    }
}
