namespace GridGov.Grains.Infrastructure;

/// <summary>The audit journal every grain appends to. A call returns once the lines are durable.</summary>
public interface IEventJournal
{
    Task Append(IReadOnlyList<JournalLine> records);

    /// <summary>The lines about a subject (a ticket id, a point, an evaluation key), oldest first.</summary>
    Task<IReadOnlyList<JournalLine>> Read(string subject);
}

public static class JournalLines
{
    public static JournalLine Of(GridEvent e) =>
        new(e.Id, e.Kind.ToString(), e.At, e.CellCode, e.Subject, e.ActorId, e.Action, e.Stage?.ToString(), e.Detail);

    public static JournalLine Of(Fact f, string evaluationKey) =>
        new($"fact:{evaluationKey}:{f.Id}", "Fact", f.At, f.Ref, evaluationKey, "system", f.Kind.ToString(), null, $"{f.Id} value={f.Value} count={f.Count}");
}
