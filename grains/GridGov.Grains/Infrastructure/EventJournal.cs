using System.Collections.Concurrent;

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

/// <summary>The embedded mode's journal: in process memory, gone with the process.</summary>
public sealed class InMemoryEventJournal : IEventJournal
{
    readonly ConcurrentDictionary<string, JournalRecord> _byId = new();
    readonly ConcurrentDictionary<string, ConcurrentQueue<JournalRecord>> _bySubject = new();

    public int Count => _byId.Count;

    public Task Append(IReadOnlyList<JournalRecord> records)
    {
        foreach (var r in records)
            if (_byId.TryAdd(r.Id, r)) _bySubject.GetOrAdd(r.Subject, _ => new()).Enqueue(r);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<JournalRecord>> Read(string subject) =>
        Task.FromResult<IReadOnlyList<JournalRecord>>(_bySubject.TryGetValue(subject, out var q) ? q.OrderBy(r => r.At).ToArray() : []);
}

public static class JournalRecords
{
    public static JournalRecord Of(GridEvent e) =>
        new(e.Id, e.Kind.ToString(), e.At, e.CellCode, e.Subject, e.ActorId, e.Action, e.Stage?.ToString(), e.Detail);

    public static JournalRecord Of(Fact f, string evaluationKey) =>
        new($"fact:{evaluationKey}:{f.Id}", "Fact", f.At, f.Ref, evaluationKey, "system", f.Kind.ToString(), null, $"{f.Id} value={f.Value} count={f.Count}");
}
