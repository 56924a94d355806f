namespace GridGov;

/// <summary>What a score is about.</summary>
public enum SubjectKind { Inspector, Cell, Unit, District }

public enum FactKind
{
    /// <summary>A window closed: Value = points visited, Count = points due.</summary>
    WindowClosed,
    /// <summary>A day's quotas: Value 1 met, 0 short.</summary>
    QuotaDay,
    /// <summary>An inspector found a problem (ticket accepted).</summary>
    InspectorFound,
    /// <summary>A citizen or other source found a problem in the cell before the inspector did.</summary>
    OthersFoundFirst,
    /// <summary>A ticket closed: Value 1 on time, 0 with an overdue stage.</summary>
    TicketClosed,
    /// <summary>A handling: Value 1 passed verification, 0 failed (返工).</summary>
    Handling,
    /// <summary>A stage went overdue.</summary>
    StageOverdue,
}

/// <summary>
/// A recorded fact a score is computed from. Its id is deterministic, so recording it twice counts it once.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Fact(string Id, FactKind Kind, DateTimeOffset At, string Ref, double Value, double Count = 1);

/// <summary>One metric of a score with the facts behind it.</summary>
[GenerateSerializer, Immutable]
public sealed record ScoreComponent(Metric Metric, double Weight, double? Ratio, double Numerator, double Denominator, string[] FactIds);

public enum Card { None, Yellow, Red }

/// <summary>A score, the weight version that made it, and its trace to the facts.</summary>
[GenerateSerializer, Immutable]
public sealed record ScoreCard(SubjectKind Kind, string SubjectId, string Period, double Score, int WeightVersion, Card Card, ScoreComponent[] Components, int FactCount);

[GenerateSerializer, Immutable]
public sealed record RankingEntry(int Rank, string SubjectId, double Score, Card Card);

[GenerateSerializer, Immutable]
public sealed record Ranking(SubjectKind Kind, string Jurisdiction, string Period, int WeightVersion, RankingEntry[] Entries);
