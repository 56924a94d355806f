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

public static class JournalRecords
{
    public static JournalRecord Of(GridEvent e) =>
        new(e.Id, e.Kind.ToString(), e.At, e.CellCode, e.Subject, e.ActorId, e.Action, e.Stage?.ToString(), e.Detail);

    public static JournalRecord Of(Fact f, string evaluationKey) =>
        new($"fact:{evaluationKey}:{f.Id}", "Fact", f.At, f.Ref, evaluationKey, "system", f.Kind.ToString(), null, $"{f.Id} value={f.Value} count={f.Count}");
}
