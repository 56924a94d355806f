namespace GridGov.Grains.Live;

[GenerateSerializer]
public sealed class JurisdictionLiveState
{
    [Id(0)] public Dictionary<TicketStage, int> OpenByStage { get; set; } = new();
    [Id(1)] public int Overdue { get; set; }
    [Id(2)] public DateOnly Day { get; set; }
    [Id(3)] public int PointsVisitedToday { get; set; }
    [Id(4)] public List<Alert> Alerts { get; set; } = new();
    [Id(5)] public int PointsDue { get; set; }
}

/// <summary>
/// Live counters and alerts of a jurisdiction, kept up to date by the cells and tickets below it. A city's grain
/// hears about every check-in and ticket move below it, so counters are saved at most once per
/// <see cref="DebouncedSave.DefaultDelay"/> (and on deactivation); alerts are saved at once.
/// </summary>
public sealed class JurisdictionGrain([PersistentState("jurisdiction", GridGovStorage.Name)] IPersistentState<JurisdictionLiveState> state) : Grain, IJurisdictionGrain
{
    const int AlertsKept = 500;

    JurisdictionLiveState S => state.State;
    DebouncedSave? _save;
    DebouncedSave Save => _save ??= new DebouncedSave(this, () => state.WriteStateAsync(), DebouncedSave.DefaultDelay);

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken ct) => Save.Flush();

    public Task Apply(LiveDelta delta)
    {
        foreach (var (stage, n) in delta.OpenByStage) S.OpenByStage[stage] = Math.Max(0, S.OpenByStage.GetValueOrDefault(stage) + n);
        S.Overdue = Math.Max(0, S.Overdue + delta.Overdue);
        S.PointsDue = Math.Max(0, S.PointsDue + delta.PointsDue);
        if (delta.PointsVisitedToday != 0)
        {
            if (delta.Day > S.Day)
            {
                S.Day = delta.Day;
                S.PointsVisitedToday = 0;
            }
            if (delta.Day == S.Day) S.PointsVisitedToday += delta.PointsVisitedToday;
        }
        Save.Request();
        return Task.CompletedTask;
    }

    public async Task Raise(Alert alert)
    {
        if (S.Alerts.Any(a => a.Id == alert.Id)) return;
        S.Alerts.Add(alert);
        if (S.Alerts.Count > AlertsKept) S.Alerts.RemoveRange(0, S.Alerts.Count - AlertsKept);
        await Save.Now();
    }

    public Task<JurisdictionState> GetState() => Task.FromResult(new JurisdictionState(this.GetPrimaryKeyString(),
        S.OpenByStage.Where(kv => kv.Value > 0).ToDictionary(), S.Overdue, S.PointsVisitedToday, S.Day, S.Alerts.TakeLast(50).ToArray(), S.PointsDue));

    public Task<Alert[]> GetAlerts() => Task.FromResult(S.Alerts.ToArray());
}
