namespace GridGov.Grains.Inspectors;

[GenerateSerializer]
public sealed class InspectorState
{
    [Id(0)] public string? Name { get; set; }
    [Id(1)] public string Jurisdiction { get; set; } = "";
    [Id(2)] public List<string> PrimaryCells { get; set; } = new();
    [Id(3)] public List<string> BackupCells { get; set; } = new();
    [Id(4)] public List<Leave> Leaves { get; set; } = new();
    [Id(5)] public List<CoverDuty> Covers { get; set; } = new();
    [Id(6)] public Quota? Quota { get; set; }
    /// <summary>定量 progress of the current local day.</summary>
    [Id(7)] public DateOnly Day { get; set; }
    [Id(8)] public int WindowsCompleted { get; set; }
    [Id(9)] public HashSet<string> PointsVisited { get; set; } = new();
    [Id(10)] public Dictionary<string, int> VisitsPerType { get; set; } = new();
    [Id(11)] public HashSet<string> CompletedWindowIds { get; set; } = new();
    [Id(12)] public List<QuotaShortfall> Shortfalls { get; set; } = new();
}

/// <summary>An inspector: primary and backup cells (定人), leave and cover, and daily quotas (定量).</summary>
public sealed class InspectorGrain(
    [PersistentState("inspector", GridGovStorage.Name)] IPersistentState<InspectorState> state,
    AlarmClock alarms,
    IGrainFactory grains,
    InspectorVisits batched) : Grain, IInspectorGrain, IRemindable
{
    InspectorState S => state.State;
    string? _id;
    string Id => _id ??= this.GetPrimaryKeyString();
    DateTimeOffset Now => alarms.Now;
    Alarm? _alarm;
    TimeZoneInfo? _zone;
    Alarm Alarm => _alarm ??= new Alarm(this, alarms);
    DebouncedSave? _save;
    DebouncedSave Save => _save ??= new DebouncedSave(this, () => state.WriteStateAsync(), DebouncedSave.DefaultDelay);

    public override async Task OnActivateAsync(CancellationToken ct)
    {
        if (S.Quota is not null) await ArmDayEnd();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken ct) => Save.Flush();

    void EnsureRegistered()
    {
        if (S.Name is null) throw GridGovException.NotFound("Inspector", Id);
    }

    async Task<TimeZoneInfo> Zone() =>
        _zone ??= await grains.CityZone(JurisdictionCode.CityOf(S.Jurisdiction));

    InspectorInfo Info() => new(Id, S.Name!, S.Jurisdiction, S.PrimaryCells.ToArray(), S.BackupCells.ToArray(), S.Leaves.ToArray(), S.Covers.ToArray(), S.Quota);

    public async Task<InspectorInfo> Register(RegisterInspector command)
    {
        if (string.IsNullOrWhiteSpace(command.Name) || JurisdictionCode.LevelOf(command.Jurisdiction) is null)
            throw GridGovException.Invalid("inspector.fields", "An inspector needs a name and a jurisdiction code.");
        foreach (var cell in S.PrimaryCells.Concat(S.BackupCells)) PersonFix.EnsureWithinJurisdiction(Id, command.Jurisdiction, cell);
        S.Name = command.Name;
        S.Jurisdiction = command.Jurisdiction;
        await Save.Now();
        return Info();
    }

    public Task<InspectorInfo> Get()
    {
        EnsureRegistered();
        return Task.FromResult(Info());
    }

    public async Task ClaimPrimary(string cellCode, int maxCells)
    {
        EnsureRegistered();
        PersonFix.EnsureWithinJurisdiction(Id, S.Jurisdiction, cellCode);
        PersonFix.EnsureUnderPrimaryLimit(Id, S.PrimaryCells, cellCode, maxCells);
        if (S.PrimaryCells.Contains(cellCode)) return;
        S.PrimaryCells.Add(cellCode);
        await Save.Now();
    }

    public async Task ReleasePrimary(string cellCode)
    {
        if (S.PrimaryCells.Remove(cellCode)) await Save.Now();
    }

    public async Task ClaimBackup(string cellCode)
    {
        EnsureRegistered();
        PersonFix.EnsureWithinJurisdiction(Id, S.Jurisdiction, cellCode);
        if (S.BackupCells.Contains(cellCode)) return;
        S.BackupCells.Add(cellCode);
        await Save.Now();
    }

    public async Task ReleaseBackup(string cellCode)
    {
        if (S.BackupCells.Remove(cellCode)) await Save.Now();
    }

    public async Task CommitCover(CoverDuty duty)
    {
        EnsureRegistered();
        PersonFix.EnsureAvailableForCover(Id, S.Leaves, duty.From, duty.To);
        S.Covers.Add(duty);
        await Save.Now();
    }

    public async Task ReleaseCover(CoverDuty duty)
    {
        if (S.Covers.RemoveAll(c => c.CellCode == duty.CellCode && c.From == duty.From) > 0) await Save.Now();
    }

    /// <summary>Grants a leave only when every primary cell has a backup to cover it; otherwise nothing changes.</summary>
    public async Task<LeaveGrant> RequestLeave(Leave leave)
    {
        EnsureRegistered();
        PersonFix.ValidateLeave(leave);
        PersonFix.EnsureNotCovering(Id, S.Covers, leave);
        var covers = new Dictionary<string, string>();
        try
        {
            foreach (var cell in S.PrimaryCells)
                covers[cell] = await grains.GetGrain<ICellGrain>(cell).ArrangeCover(Id, leave.From, leave.To);
        }
        catch
        {
            foreach (var cell in covers.Keys) await grains.GetGrain<ICellGrain>(cell).CancelCover(Id, leave.From, leave.To);
            throw;
        }
        S.Leaves.Add(leave);
        await Save.Now();
        return new LeaveGrant(leave, covers);
    }

    // ---- 定量 ----

    public async Task<InspectorInfo> SetQuota(Quota quota, Actor by)
    {
        EnsureRegistered();
        Access.EnsureSupervisorOf(by, S.Jurisdiction);
        QuantityFix.ValidateQuota(quota);
        S.Quota = quota;
        await RollDay();
        await Save.Now();
        await ArmDayEnd();
        return Info();
    }

    /// <summary>Moves progress to today, recording the shortfall of the day that ended.</summary>
    async Task RollDay()
    {
        var zone = await Zone();
        var today = TimeFix.LocalDate(Now, zone);
        if (S.Day == today) return;
        // Visits still waiting in this silo's batcher (up to an interval old) count for their day before it closes.
        var waiting = batched.Take(Id);
        Count(waiting, zone);
        if (S.Day != default && S.Quota is not null && Progress() is { } progress)
        {
            var shortfall = QuantityFix.Shortfall(progress);
            if (shortfall is not null) S.Shortfalls.Add(shortfall);
            var dayEnd = TimeFix.LocalToUtc(S.Day.AddDays(1), TimeOnly.MinValue, zone);
            var period = EvaluationKeys.PeriodOf(S.Day);
            await grains.RecordFacts(SubjectKind.Inspector, Id, S.Jurisdiction, period,
                new Fact($"quota:{Id}:{S.Day:yyyy-MM-dd}", FactKind.QuotaDay, dayEnd, Id, shortfall is null ? 1 : 0));
            if (shortfall is not null && S.PrimaryCells.FirstOrDefault() is { } cell)
                await grains.RaiseAlert(new Alert($"quota:{Id}:{S.Day:yyyy-MM-dd}", AlertKind.QuotaShortfall, dayEnd, cell, Id,
                    $"Inspector {Id} fell short of the quota on {S.Day:yyyy-MM-dd}: {shortfall.WindowsShort} window(s), {shortfall.PointsShort} point(s)."));
        }
        S.Day = today;
        S.WindowsCompleted = 0;
        S.PointsVisited.Clear();
        S.VisitsPerType.Clear();
        S.CompletedWindowIds.Clear();
        Count(waiting, zone);
    }

    QuotaProgress? Progress() => S.Quota is null ? null
        : new QuotaProgress(S.Day, S.Quota, S.WindowsCompleted, S.PointsVisited.Count, new Dictionary<string, int>(S.VisitsPerType));

    public async Task RecordVisits(InspectorVisit[] visits)
    {
        if (S.Name is null || visits.Length == 0) return;
        await RollDay();
        Count(visits, await Zone());
    }

    /// <summary>Counts the visits that fall on the current day.</summary>
    void Count(InspectorVisit[] visits, TimeZoneInfo zone)
    {
        var counted = false;
        foreach (var visit in visits)
        {
            if (TimeFix.LocalDate(visit.At, zone) != S.Day) continue;
            S.PointsVisited.Add(visit.PointId);
            S.VisitsPerType[visit.TypeCode] = S.VisitsPerType.GetValueOrDefault(visit.TypeCode) + 1;
            counted = true;
        }
        if (counted) Save.Request();   // visits: saved in batches (the check-ins themselves are saved by their cells)
    }

    public async Task RecordWindowCompleted(string windowId, DateTimeOffset at)
    {
        if (S.Name is null) return;
        await RollDay();
        if (TimeFix.LocalDate(at, await Zone()) != S.Day || !S.CompletedWindowIds.Add(windowId)) return;
        S.WindowsCompleted++;
        await Save.Now();
    }

    public async Task<QuotaProgress?> GetProgress()
    {
        EnsureRegistered();
        await RollDay();
        return Progress();
    }

    public Task<QuotaShortfall[]> GetShortfalls()
    {
        EnsureRegistered();
        return Task.FromResult(S.Shortfalls.ToArray());
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Wake();

    public async Task Wake()
    {
        if (S.Name is null || S.Quota is null) return;
        var day = S.Day;
        await RollDay();
        if (S.Day != day) await Save.Now();
        await ArmDayEnd();
    }

    async Task ArmDayEnd()
    {
        var zone = await Zone();
        var tomorrow = TimeFix.LocalDate(Now, zone).AddDays(1);
        await Alarm.Set(TimeFix.LocalToUtc(tomorrow, TimeOnly.MinValue, zone));
    }
}
