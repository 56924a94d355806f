namespace GridGov.Grains.Tests;

/// <summary>定考核: scores from facts only, versioned weights, cards, rankings, traces.</summary>
[Collection(ClusterCollection.Name)]
public sealed class EvaluationTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_score_changes_with_its_weight_set_and_names_the_version()
    {
        ClusterFixture.AdvanceToLocal(new TimeOnly(7, 0));
        var city = await new TestCity(fixture.Grains).Setup();
        await city.AddCell(1, primary: 1);
        await city.SetRoute(1, 1, city.PointId(1, 1), city.PointId(1, 2));
        // Morning: both points visited. Afternoon: none. Coverage 2/4, on-time windows 1/2.
        ClusterFixture.AdvanceToLocal(new TimeOnly(8, 30));
        foreach (var p in new[] { 1, 2 })
            await city.Point(1, p).CheckIn(new CheckIn(city.Inspector(1), (await city.Point(1, p).Get()).Location));
        ClusterFixture.AdvanceToLocal(new TimeOnly(16, 1));
        await ClusterFixture.Eventually(() => city.Cell(1).GetWindowOutcomes(), o => o.Length == 2);

        var evaluation = fixture.Grains.GetGrain<IEvaluationGrain>(EvaluationKeys.Subject(SubjectKind.Inspector, city.Inspector(1), EvaluationKeys.PeriodOf(ClusterFixture.LocalNow)));
        var v1 = await city.Catalog.SetWeights(new() { [Metric.PatrolCoverage] = 1, [Metric.OnTimePatrol] = 0 }, 80, 60, city.Supervisor);
        var first = await ClusterFixture.Eventually(() => evaluation.GetScore(), s => s.FactCount == 2);
        Assert.Equal(v1.Version, first.WeightVersion);
        Assert.Equal(50, first.Score);
        Assert.Equal(Card.Red, first.Card);
        var coverage = first.Components.Single(c => c.Metric == Metric.PatrolCoverage);
        Assert.Equal((2.0, 4.0), (coverage.Numerator, coverage.Denominator));
        Assert.Equal(2, coverage.FactIds.Length);
        var facts = await evaluation.GetFacts();
        Assert.All(coverage.FactIds, id => Assert.Contains(facts, f => f.Id == id));

        var v2 = await city.Catalog.SetWeights(new() { [Metric.PatrolCoverage] = 1, [Metric.OnTimePatrol] = 3 }, 80, 60, city.Supervisor);
        var second = await evaluation.GetScore();
        Assert.Equal(v1.Version + 1, v2.Version);
        Assert.Equal(v2.Version, second.WeightVersion);
        Assert.Equal(50, second.Score); // both ratios are 0.5
        // The old version still gives the old score, and a different mix changes it.
        Assert.Equal(first.Score, (await evaluation.GetScore(v1.Version)).Score);
        await city.Catalog.SetWeights(new() { [Metric.PatrolCoverage] = 1, [Metric.QuotaCompletion] = 5 }, 40, 20, city.Supervisor);
        var third = await evaluation.GetScore();
        Assert.Equal(50, third.Score);
        Assert.Equal(Card.None, third.Card);
        Assert.NotEqual(first.Card, third.Card);

        await Refuse.With("evaluation.weights", () => city.Catalog.SetWeights(new() { [Metric.PatrolCoverage] = -1 }, 80, 60, city.Supervisor));
        await Refuse.With("evaluation.weights-role", () => city.Catalog.SetWeights(new() { [Metric.PatrolCoverage] = 1 }, 80, 60, city.InspectorActor(1)));
    }

    [Fact]
    public async Task Rankings_order_inspectors_by_score_and_recording_twice_counts_once()
    {
        var city = await new TestCity(fixture.Grains).Setup();
        var period = EvaluationKeys.PeriodOf(ClusterFixture.LocalNow);
        var at = ClusterFixture.Clock.GetUtcNow();
        var good = new Fact("window:a", FactKind.WindowClosed, at, "x", 10, 10);
        var poor = new Fact("window:b", FactKind.WindowClosed, at, "x", 3, 10);
        await fixture.Grains.RecordFactsFor(SubjectKind.Inspector, city.Inspector(1), city.Community, period, good);
        await fixture.Grains.RecordFactsFor(SubjectKind.Inspector, city.Inspector(2), city.Community, period, poor);
        await fixture.Grains.RecordFactsFor(SubjectKind.Inspector, city.Inspector(2), city.Community, period, poor);

        var ranking = await fixture.Grains.GetGrain<IRankingGrain>(EvaluationKeys.Ranking(SubjectKind.Inspector, city.City + "01", period)).Get();
        Assert.Equal([city.Inspector(1), city.Inspector(2)], ranking.Entries.Select(e => e.SubjectId));
        // Default weights: poor has coverage 0.3 and no on-time window, so (0.3 + 0) / 2.
        Assert.Equal([100.0, 15.0], ranking.Entries.Select(e => e.Score));
        Assert.Equal(Card.Red, ranking.Entries[1].Card);
    }
}

static class FactRecording
{
    public static Task RecordFactsFor(this IGrainFactory grains, SubjectKind kind, string id, string jurisdiction, string period, params Fact[] facts) =>
        grains.GetGrain<IEvaluationGrain>(EvaluationKeys.Subject(kind, id, period)).Record(facts, jurisdiction);
}
