namespace GridGov.Grains.Infrastructure;

/// <summary>Where grains send what happened: evaluation facts and jurisdiction live state and alerts.</summary>
public static class Signals
{
    /// <summary>Records facts for a subject in the period the facts fall in.</summary>
    public static Task RecordFacts(this IGrainFactory grains, SubjectKind kind, string subjectId, string jurisdiction, string period, params Fact[] facts) =>
        facts.Length == 0
            ? Task.CompletedTask
            : grains.GetGrain<IEvaluationGrain>(EvaluationKeys.Subject(kind, subjectId, period)).Record(facts, jurisdiction);

    /// <summary>Records an inspector's facts from a cell (ranked in the cell's community and above).</summary>
    public static Task RecordInspectorFacts(this IGrainFactory grains, string inspectorId, string cellCode, string period, params Fact[] facts) =>
        grains.RecordFacts(SubjectKind.Inspector, inspectorId, JurisdictionCode.AncestorAt(cellCode, JurisdictionLevel.Community), period, facts);

    /// <summary>Records a unit's facts from a ticket of a cell (ranked in the cell's district and above).</summary>
    public static Task RecordUnitFacts(this IGrainFactory grains, string unitId, string cellCode, string period, params Fact[] facts) =>
        grains.RecordFacts(SubjectKind.Unit, unitId, JurisdictionCode.AncestorAt(cellCode, JurisdictionLevel.District), period, facts);

    /// <summary>A city's time zone, from its settings.</summary>
    public static async Task<TimeZoneInfo> CityZone(this IGrainFactory grains, string cityCode) =>
        TimeFix.Zone((await grains.GetGrain<ICityGrain>(cityCode).GetSettings()).TimeZone);

    /// <summary>Records cell facts for the cell and its district.</summary>
    public static Task RecordCellFacts(this IGrainFactory grains, string cellCode, string period, params Fact[] facts) =>
        Task.WhenAll(
            grains.RecordFacts(SubjectKind.Cell, cellCode, JurisdictionCode.AncestorAt(cellCode, JurisdictionLevel.Community), period, facts),
            grains.RecordFacts(SubjectKind.District, JurisdictionCode.AncestorAt(cellCode, JurisdictionLevel.District), JurisdictionCode.CityOf(cellCode), period, facts));

    /// <summary>Raises an alert with the supervisors of the cell's district and city.</summary>
    public static Task RaiseAlert(this IGrainFactory grains, Alert alert) =>
        Task.WhenAll(
            grains.GetGrain<IJurisdictionGrain>(JurisdictionCode.AncestorAt(alert.CellCode, JurisdictionLevel.District)).Raise(alert),
            grains.GetGrain<IJurisdictionGrain>(JurisdictionCode.CityOf(alert.CellCode)).Raise(alert));

    /// <summary>
    /// Writes an event to the audit journal, then leaves it with the silo's <see cref="EventOutbox"/>, which publishes
    /// it on the stream of the cell's district within an interval (no stream call in the caller's turn).
    /// </summary>
    public static async Task Publish(this Grain grain, IEventJournal journal, GridEvent e)
    {
        await journal.Append([JournalLines.Of(e)]);
        grain.GrainContext.ActivationServices.GetRequiredService<EventOutbox>().Add(e);
    }
}
