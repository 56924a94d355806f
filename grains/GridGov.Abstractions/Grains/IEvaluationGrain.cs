namespace GridGov.Grains;

/// <summary>
/// 定考核: the facts recorded for one subject in one period (key: "kind/subject/period", e.g. "Inspector/I001/2026-11").
/// Scores are computed from these facts only; nobody can set one.
/// </summary>
public interface IEvaluationGrain : IGrainWithStringKey
{
    /// <summary>Records facts; a fact id seen before is ignored. The jurisdiction places the subject in rankings.</summary>
    Task Record([Immutable] Fact[] facts, string jurisdiction);
    Task<Fact[]> GetFacts();
    /// <summary>The score with the current weights, or with a given weight version.</summary>
    Task<ScoreCard> GetScore(int? weightVersion = null);
}

/// <summary>Rankings of one kind of subject within a jurisdiction and period (key: "kind/jurisdiction/period").</summary>
public interface IRankingGrain : IGrainWithStringKey
{
    Task Enlist(string subjectId);
    Task<Ranking> Get();
}

/// <summary>Live state and alerts of a jurisdiction (key: its code).</summary>
public interface IJurisdictionGrain : IGrainWithStringKey
{
    [OneWay] Task Apply(LiveDelta delta);
    Task Raise(Alert alert);
    Task<JurisdictionState> GetState();
    Task<Alert[]> GetAlerts();
}

public static class EvaluationKeys
{
    public static string Subject(SubjectKind kind, string id, string period) => $"{kind}/{id}/{period}";
    public static string Ranking(SubjectKind kind, string jurisdiction, string period) => $"{kind}/{jurisdiction}/{period}";

    /// <summary>Scores run by calendar month in the city's time zone: "2026-11".</summary>
    public static string PeriodOf(DateTimeOffset localTime) => PeriodOf(DateOnly.FromDateTime(localTime.DateTime));

    public static string PeriodOf(DateOnly localDate) => $"{localDate.Year:D4}-{localDate.Month:D2}";

    public static (SubjectKind Kind, string Id, string Period) Parse(string key)
    {
        var parts = key.Split('/');
        if (parts.Length != 3 || !Enum.TryParse<SubjectKind>(parts[0], out var kind))
            throw GridGovException.Invalid("evaluation.key", $"'{key}' is not kind/subject/period.");
        return (kind, parts[1], parts[2]);
    }
}
