namespace GridGov.Fixes;

/// <summary>
/// 定考核 (fixed evaluation): scores computed only from recorded facts with a versioned weight set; cards below the
/// thresholds; every component names the facts behind it.
/// </summary>
public static class EvaluationFix
{
    public static void ValidateWeights(Dictionary<Metric, double> weights, double yellowBelow, double redBelow)
    {
        if (weights.Count == 0 || weights.Values.Any(w => w < 0 || double.IsNaN(w)) || weights.Values.Sum() <= 0)
            throw GridGovException.Violation(Fix.Evaluation, "evaluation.weights", "Weights must be non-negative and not all zero.");
        if (redBelow > yellowBelow || redBelow < 0 || yellowBelow > 100)
            throw GridGovException.Violation(Fix.Evaluation, "evaluation.card-thresholds", "Card thresholds need 0 ≤ red ≤ yellow ≤ 100.");
    }

    /// <summary>Which facts feed a metric, and each fact's (numerator, denominator) contribution.</summary>
    static (double Num, double Den)? Contribution(Metric metric, Fact f) => (metric, f.Kind) switch
    {
        (Metric.PatrolCoverage, FactKind.WindowClosed) => (f.Value, f.Count),
        (Metric.OnTimePatrol, FactKind.WindowClosed) => (f.Value >= f.Count ? 1 : 0, 1),
        (Metric.QuotaCompletion, FactKind.QuotaDay) => (f.Value, 1),
        (Metric.IssuesFound, FactKind.InspectorFound) => (1, 1),
        (Metric.IssuesFound, FactKind.OthersFoundFirst) => (0, 1),
        (Metric.OnTimeClosure, FactKind.TicketClosed) => (f.Value, 1),
        (Metric.FirstTimeFix, FactKind.Handling) => (f.Value, 1),
        _ => null,
    };

    public static ScoreCard Score(SubjectKind kind, string subjectId, string period, IReadOnlyCollection<Fact> facts, WeightSet weights)
    {
        var components = new List<ScoreComponent>();
        double weighted = 0, weightSum = 0;
        foreach (var (metric, weight) in weights.Weights.OrderBy(kv => kv.Key))
        {
            double num = 0, den = 0;
            var ids = new List<string>();
            foreach (var f in facts)
            {
                if (Contribution(metric, f) is not { } c) continue;
                num += c.Num;
                den += c.Den;
                ids.Add(f.Id);
            }
            double? ratio = den > 0 ? Math.Clamp(num / den, 0, 1) : null;
            if (ratio is { } r && weight > 0)
            {
                weighted += weight * r;
                weightSum += weight;
            }
            components.Add(new ScoreComponent(metric, weight, ratio, num, den, ids.ToArray()));
        }
        // A subject with no facts for any weighted metric is unrated: score 0, no card.
        var rated = weightSum > 0;
        var score = rated ? Math.Round(100 * weighted / weightSum, 2) : 0;
        return new ScoreCard(kind, subjectId, period, score, weights.Version, rated ? CardFor(score, weights) : Card.None, components.ToArray(), facts.Count);
    }

    public static Card CardFor(double score, WeightSet weights) =>
        score < weights.RedBelow ? Card.Red : score < weights.YellowBelow ? Card.Yellow : Card.None;

    /// <summary>Ranks by score (ties by id); unrated subjects last.</summary>
    public static RankingEntry[] Rank(IEnumerable<ScoreCard> cards) =>
        cards.OrderByDescending(c => c.FactCount > 0 && c.Components.Any(x => x.Ratio is not null))
             .ThenByDescending(c => c.Score)
             .ThenBy(c => c.SubjectId, StringComparer.Ordinal)
             .Select((c, i) => new RankingEntry(i + 1, c.SubjectId, c.Score, c.Card))
             .ToArray();
}
