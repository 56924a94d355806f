namespace GridGov.Grains.Evaluation;

[GenerateSerializer]
public sealed class EvaluationState
{
    [Id(0)] public string? Jurisdiction { get; set; }
    [Id(1)] public Dictionary<string, Fact> Facts { get; set; } = new();
}

/// <summary>定考核: one subject's facts in one period; its score is computed from them with a versioned weight set.</summary>
public sealed class EvaluationGrain(
    [PersistentState("evaluation", GridGovStorage.Name)] IPersistentState<EvaluationState> state,
    IGrainFactory grains,
    IEventJournal journal) : Grain, IEvaluationGrain
{
    public async Task Record(Fact[] facts, string jurisdiction)
    {
        var (kind, _, period) = EvaluationKeys.Parse(this.GetPrimaryKeyString());
        var enlist = state.State.Jurisdiction is null;
        state.State.Jurisdiction ??= jurisdiction;
        var added = facts.Where(f => !state.State.Facts.ContainsKey(f.Id)).DistinctBy(f => f.Id).ToArray();
        if (added.Length == 0 && !enlist) return;
        // Journal first: a fact a score counts is always in the audit trail.
        await journal.Append(added.Select(f => JournalLines.Of(f, this.GetPrimaryKeyString())).ToArray());
        foreach (var f in added) state.State.Facts[f.Id] = f;
        await state.WriteStateAsync();
        if (enlist)
        {
            var subject = EvaluationKeys.Parse(this.GetPrimaryKeyString()).Id;
            foreach (var code in JurisdictionCode.AncestorsOf(jurisdiction).Append(jurisdiction))
                await grains.GetGrain<IRankingGrain>(EvaluationKeys.Ranking(kind, code, period)).Enlist(subject);
        }
    }

    public Task<Fact[]> GetFacts() => Task.FromResult(state.State.Facts.Values.OrderBy(f => f.At).ThenBy(f => f.Id, StringComparer.Ordinal).ToArray());

    public async Task<ScoreCard> GetScore(int? weightVersion = null)
    {
        var (kind, id, period) = EvaluationKeys.Parse(this.GetPrimaryKeyString());
        var city = state.State.Jurisdiction is { } j ? JurisdictionCode.CityOf(j) : null;
        var weights = city is null ? Grains.City.CatalogGrain.DefaultWeights : await grains.GetGrain<ICatalogGrain>(city).GetWeights(weightVersion);
        return EvaluationFix.Score(kind, id, period, state.State.Facts.Values, weights);
    }
}

[GenerateSerializer]
public sealed class RankingState
{
    [Id(0)] public HashSet<string> Subjects { get; set; } = new();
}

/// <summary>Rankings and cards of one kind of subject within a jurisdiction and period.</summary>
public sealed class RankingGrain([PersistentState("ranking", GridGovStorage.Name)] IPersistentState<RankingState> state, IGrainFactory grains) : Grain, IRankingGrain
{
    public async Task Enlist(string subjectId)
    {
        if (state.State.Subjects.Add(subjectId)) await state.WriteStateAsync();
    }

    public async Task<Ranking> Get()
    {
        var (kind, jurisdiction, period) = EvaluationKeys.Parse(this.GetPrimaryKeyString());
        var weights = await grains.GetGrain<ICatalogGrain>(JurisdictionCode.CityOf(jurisdiction)).GetWeights();
        var cards = await Task.WhenAll(state.State.Subjects.Select(s =>
            grains.GetGrain<IEvaluationGrain>(EvaluationKeys.Subject(kind, s, period)).GetScore(weights.Version)));
        return new Ranking(kind, jurisdiction, period, weights.Version, EvaluationFix.Rank(cards));
    }
}
