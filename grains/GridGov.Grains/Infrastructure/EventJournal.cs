namespace GridGov.Grains.Infrastructure;

/// <summary>
/// One line of the append-only audit journal: a domain event (check-in, closed window, ticket transition) or a
/// fact a score counts. Ids are deterministic, so writing a line twice keeps one.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record JournalRecord(string Id, string Kind, DateTimeOffset At, string CellCode, string Subject, string ActorId, string? Action, string? Stage, string Detail);

/// <summary>The audit journal every grain appends to. A call returns once the lines are durable.</summary>
public interface IEventJournal
{
    Task Append(IReadOnlyList<JournalRecord> records);

    /// <summary>The lines about a subject (a ticket id, a point, an evaluation key), oldest first.</summary>
    Task<IReadOnlyList<JournalRecord>> Read(string subject);
}

/// <summary>
/// The embedded mode's journal: in process memory, gone with the process, and bounded. It keeps the most recent
/// <see cref="Capacity"/> lines and forgets the oldest beyond that, so a demo that runs for days does not grow without
/// end (every check-in is a line; kept forever they were most of the heap, and every collection had to walk them).
/// Ids are deduplicated among the lines kept. PostgreSQL mode keeps every line.
/// </summary>
public sealed class InMemoryEventJournal(int capacity = InMemoryEventJournal.DefaultCapacity) : IEventJournal
{
    /// <summary>Lines kept by default: about 35 MB.</summary>
    public const int DefaultCapacity = 100_000;

    readonly Lock _lock = new();
    readonly Dictionary<string, JournalRecord> _byId = new(StringComparer.Ordinal);
    readonly Dictionary<string, Queue<JournalRecord>> _bySubject = new(StringComparer.Ordinal);
    readonly Queue<JournalRecord> _oldestFirst = new();

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The journal must keep at least one line.");

    /// <summary>Lines kept now.</summary>
    public int Count
    {
        get { lock (_lock) return _byId.Count; }
    }

    public Task Append(IReadOnlyList<JournalRecord> records)
    {
        lock (_lock)
        {
            foreach (var r in records)
            {
                if (!_byId.TryAdd(r.Id, r)) continue;
                if (!_bySubject.TryGetValue(r.Subject, out var lines)) _bySubject[r.Subject] = lines = new Queue<JournalRecord>(1);
                lines.Enqueue(r);
                _oldestFirst.Enqueue(r);
                if (_oldestFirst.Count > Capacity) Forget(_oldestFirst.Dequeue());
            }
        }
        return Task.CompletedTask;
    }

    // Lines are appended in order, so the globally oldest line is also the oldest of its subject.
    void Forget(JournalRecord oldest)
    {
        _byId.Remove(oldest.Id);
        var lines = _bySubject[oldest.Subject];
        lines.Dequeue();
        if (lines.Count == 0) _bySubject.Remove(oldest.Subject);
    }

    public Task<IReadOnlyList<JournalRecord>> Read(string subject)
    {
        JournalRecord[] lines;
        lock (_lock) lines = _bySubject.TryGetValue(subject, out var q) ? q.ToArray() : [];
        return Task.FromResult<IReadOnlyList<JournalRecord>>(lines.OrderBy(r => r.At).ToArray());
    }
}

public static class JournalRecords
{
    public static JournalRecord Of(GridEvent e) =>
        new(e.Id, e.Kind.ToString(), e.At, e.CellCode, e.Subject, e.ActorId, e.Action, e.Stage?.ToString(), e.Detail);

    public static JournalRecord Of(Fact f, string evaluationKey) =>
        new($"fact:{evaluationKey}:{f.Id}", "Fact", f.At, f.Ref, evaluationKey, "system", f.Kind.ToString(), null, $"{f.Id} value={f.Value} count={f.Count}");
}
