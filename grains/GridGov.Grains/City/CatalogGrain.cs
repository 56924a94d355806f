namespace GridGov.Grains.City;

[GenerateSerializer]
public sealed class CatalogState
{
    [Id(0)] public Dictionary<string, PointType> PointTypes { get; set; } = new();
    [Id(1)] public Dictionary<string, Category> Categories { get; set; } = new();
    [Id(2)] public Dictionary<string, ResponsibleUnit> Units { get; set; } = new();
    [Id(3)] public Dictionary<string, StageDeadlines> Deadlines { get; set; } = new();
    [Id(4)] public List<WeightSet> WeightSets { get; set; } = new();
}

/// <summary>A city's reference data: point types and checklists, categories, stage deadlines, units, weight sets.</summary>
public sealed class CatalogGrain(
    [PersistentState("catalog", GridGovStorage.Name)] IPersistentState<CatalogState> state,
    [FromKeyedServices(GridClock.Key)] TimeProvider clock) : Grain, ICatalogGrain
{
    /// <summary>Weights a city starts with until a supervisor sets its own (version 0).</summary>
    public static readonly WeightSet DefaultWeights = new(0,
        Enum.GetValues<Metric>().ToDictionary(m => m, _ => 1.0), 80, 60, DateTimeOffset.UnixEpoch, "system");

    CatalogState S => state.State;

    public async Task DefinePointType(PointType type)
    {
        if (string.IsNullOrWhiteSpace(type.Code) || string.IsNullOrWhiteSpace(type.Name))
            throw GridGovException.Invalid("point-type.fields", "A point type needs a code and a name.");
        var unknown = type.Checklist.FirstOrDefault(c => !S.Categories.ContainsKey(c));
        if (unknown is not null)
            throw GridGovException.Violation(Fix.Duty, "duty.unknown-category", $"Checklist of point type {type.Code} names unknown category '{unknown}'.");
        if (type.MinVisitsPerDay < 0)
            throw GridGovException.Violation(Fix.Quantity, "quantity.negative", "Visit frequency cannot be negative.");
        S.PointTypes[type.Code] = type;
        await state.WriteStateAsync();
    }

    public async Task DefineCategory(Category category)
    {
        if (string.IsNullOrWhiteSpace(category.Code) || string.IsNullOrWhiteSpace(category.Name))
            throw GridGovException.Invalid("category.fields", "A category needs a code and a name.");
        Duplicates.ValidatePolicy(category);
        S.Categories[category.Code] = category;
        await state.WriteStateAsync();
    }

    public async Task DefineUnit(ResponsibleUnit unit)
    {
        if (string.IsNullOrWhiteSpace(unit.Id) || string.IsNullOrWhiteSpace(unit.Name) || JurisdictionCode.LevelOf(unit.Jurisdiction) is null)
            throw GridGovException.Invalid("unit.fields", "A unit needs an id, a name and a jurisdiction code.");
        S.Units[unit.Id] = unit;
        await state.WriteStateAsync();
    }

    public async Task SetDeadlines(StageDeadlines deadlines)
    {
        if (!S.Categories.ContainsKey(deadlines.Category))
            throw GridGovException.Violation(Fix.Duty, "duty.unknown-category", $"Category '{deadlines.Category}' is not in the catalog.");
        QualityFix.ValidateDeadlines(deadlines);
        S.Deadlines[DeadlineKey(deadlines.Category, deadlines.Severity)] = deadlines;
        await state.WriteStateAsync();
    }

    static string DeadlineKey(string category, Severity severity) => $"{category}/{severity}";

    public Task<PointType> GetPointType(string code) =>
        Task.FromResult(S.PointTypes.GetValueOrDefault(code) ?? throw GridGovException.NotFound("Point type", code));

    public Task<PointType?> FindPointType(string code) => Task.FromResult(S.PointTypes.GetValueOrDefault(code));

    public Task<PointType[]> GetPointTypes() => Task.FromResult(S.PointTypes.Values.OrderBy(t => t.Code).ToArray());
    public Task<Category[]> GetCategories() => Task.FromResult(S.Categories.Values.OrderBy(c => c.Code).ToArray());
    public Task<ResponsibleUnit[]> GetUnits() => Task.FromResult(S.Units.Values.OrderBy(u => u.Id).ToArray());
    public Task<bool> HasUnit(string unitId) => Task.FromResult(S.Units.ContainsKey(unitId));
    public Task<bool> HasCategory(string code) => Task.FromResult(S.Categories.ContainsKey(code));

    public Task<Category?> GetCategory(string code) => Task.FromResult(S.Categories.GetValueOrDefault(code));

    public Task<StageDeadlines?> GetDeadlines(string category, Severity severity) =>
        Task.FromResult(S.Deadlines.GetValueOrDefault(DeadlineKey(category, severity)));

    public async Task<WeightSet> SetWeights(Dictionary<Metric, double> weights, double yellowBelow, double redBelow, Actor by)
    {
        if (by.Role != Role.Supervisor)
            throw GridGovException.Forbidden(Fix.Evaluation, "evaluation.weights-role", "Only a supervisor sets weights.");
        EvaluationFix.ValidateWeights(weights, yellowBelow, redBelow);
        var set = new WeightSet(S.WeightSets.Count + 1, new Dictionary<Metric, double>(weights), yellowBelow, redBelow, clock.GetUtcNow(), by.Id);
        S.WeightSets.Add(set);
        await state.WriteStateAsync();
        return set;
    }

    public Task<WeightSet> GetWeights(int? version = null)
    {
        if (version is null) return Task.FromResult(S.WeightSets.LastOrDefault() ?? DefaultWeights);
        if (version == 0) return Task.FromResult(DefaultWeights);
        return Task.FromResult(S.WeightSets.FirstOrDefault(w => w.Version == version)
            ?? throw GridGovException.NotFound("Weight set version", version.Value.ToString()));
    }
}
