using GridGov.Geo;

namespace GridGov.Grains.Cells;

/// <summary>
/// A grid cell: holds its boundary, people, duty list, points, routes and patrol records; calls the rules of the
/// eight fixes; persists; wakes itself when a window closes.
/// </summary>
public sealed class CellGrain(
    [PersistentState("cell", GridGovStorage.Name)] IPersistentState<CellState> state,
    [PersistentState("cellpatrol", GridGovStorage.Name)] IPersistentState<CellPatrolState> patrol,
    AlarmClock alarms,
    IGrainFactory grains,
    IEventJournal journal,
    LiveDeltas live,
    InspectorVisits visits) : Grain, ICellGrain, IRemindable
{
    /// <summary>How far back patrol records are kept in the grain (the journal keeps everything).</summary>
    static readonly TimeSpan Retention = TimeSpan.FromDays(7);
    /// <summary>The longest stretch of missed windows closed after an outage.</summary>
    static readonly TimeSpan MaxCatchUp = TimeSpan.FromDays(14);

    CitySettings? _settings;
    TimeZoneInfo? _zone;
    Alarm? _alarm;
    string? _code;

    CellState S => state.State;
    CellPatrolState P => patrol.State;
    string Code => _code ??= this.GetPrimaryKeyString(); // decoded from the grain id on each call otherwise
    string CityCode => JurisdictionCode.CityOf(Code);
    DateTimeOffset Now => alarms.Now;
    Alarm Alarm => _alarm ??= new Alarm(this, alarms);
    ICityGrain City => grains.GetGrain<ICityGrain>(CityCode);
    ICatalogGrain Catalog => grains.GetGrain<ICatalogGrain>(CityCode);

    public override async Task OnActivateAsync(CancellationToken ct)
    {
        P.Upgrade(); // an old layout is written back in the new one with the next check-in
        if (S.Code is not null && S.Status == CellStatus.Active) await ArmAlarm();
    }

    // Read once per activation; ValueTask so the cached answer costs no allocation on every check-in.
    ValueTask<CitySettings> Settings() => _settings is { } settings ? new(settings) : new(LoadSettings());

    async Task<CitySettings> LoadSettings()
    {
        var settings = await City.GetSettings();
        _zone = TimeFix.Zone(settings.TimeZone);
        return _settings = settings;
    }

    async ValueTask<TimeZoneInfo> Zone()
    {
        if (_zone is null) await LoadSettings();
        return _zone!;
    }

    void EnsureExists()
    {
        if (S.Code is null) throw GridGovException.NotFound("Cell", Code);
    }

    void EnsureActive()
    {
        EnsureExists();
        CellFix.EnsureActive(Code, S.Status);
    }

    CellInfo Info() => new(Code, S.Name, S.Status, S.PolygonGeoJson, S.AreaSquareMeters, S.PrimaryId, S.Backups.ToArray(),
        S.Duty.Select(kv => new DutyEntry(kv.Key, kv.Value)).OrderBy(d => d.Category, StringComparer.Ordinal).ToArray(),
        S.Points.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray(), S.OpenTickets.Count);

    public Task<CellInfo> Get()
    {
        EnsureExists();
        return Task.FromResult(Info());
    }

    // ---- 定格 ----

    public async Task<CellInfo> Create(CreateCell command, Actor by)
    {
        Access.EnsureSupervisorOf(by, Code);
        if (S.Code is not null) throw GridGovException.Conflict("cell.exists", $"Cell {Code} already exists.");
        if (command.Code != Code) throw GridGovException.Invalid("cell.code-mismatch", $"Command for {command.Code} sent to cell {Code}.");
        CellFix.ValidateCode(Code);
        if (string.IsNullOrWhiteSpace(command.Name)) throw GridGovException.Invalid("cell.name", "A cell needs a name.");
        var (_, area) = CellFix.ValidateBoundary(command.PolygonGeoJson);
        PersonFix.EnsureInspectorId(command.PrimaryInspectorId);
        var settings = await Settings();

        await City.RegisterCell(Code, command.PolygonGeoJson);
        var primary = grains.GetGrain<IInspectorGrain>(command.PrimaryInspectorId);
        try
        {
            await primary.ClaimPrimary(Code, settings.MaxPrimaryCellsPerInspector);
        }
        catch
        {
            await City.UnregisterCell(Code);
            throw;
        }

        S.Code = Code;
        S.Name = command.Name;
        S.Status = CellStatus.Active;
        S.PolygonGeoJson = command.PolygonGeoJson;
        S.AreaSquareMeters = area;
        S.PrimaryId = command.PrimaryInspectorId;
        S.History.Add(new Assignment(S.PrimaryId, AssignmentKind.Primary, Now, null, by.Id));
        await state.WriteStateAsync();
        return Info();
    }

    public async Task<CellInfo> Update(string? name, string? polygonGeoJson, Actor by)
    {
        Access.EnsureSupervisorOf(by, Code);
        EnsureActive();
        if (name is not null && string.IsNullOrWhiteSpace(name)) throw GridGovException.Invalid("cell.name", "A cell needs a name.");
        double? area = null;
        if (polygonGeoJson is not null)
        {
            var (boundary, newArea) = CellFix.ValidateBoundary(polygonGeoJson);
            CellFix.EnsurePointsInside(Code, boundary, S.Points.Values);
            await City.RegisterCell(Code, polygonGeoJson);
            area = newArea;
        }
        if (name is not null) S.Name = name;
        if (polygonGeoJson is not null)
        {
            S.PolygonGeoJson = polygonGeoJson;
            S.AreaSquareMeters = area!.Value;
        }
        await state.WriteStateAsync();
        return Info();
    }

    public async Task<CellInfo> Retire(Actor by, string reason)
    {
        Access.EnsureSupervisorOf(by, Code);
        EnsureActive();
        CellFix.EnsureCanRetire(Code, S.OpenTickets.Count, S.Points.Count, S.Backups.Count);
        await City.UnregisterCell(Code);
        await grains.GetGrain<IInspectorGrain>(S.PrimaryId).ReleasePrimary(Code);
        EndAssignment(S.PrimaryId, AssignmentKind.Primary);
        S.Status = CellStatus.Retired;
        S.History.Add(new Assignment(S.PrimaryId, AssignmentKind.Primary, Now, Now, by.Id, $"retired: {reason}"));
        await state.WriteStateAsync();
        await Alarm.Set(null);
        return Info();
    }

    // ---- 定人 ----

    void EndAssignment(string inspectorId, AssignmentKind kind)
    {
        for (var i = 0; i < S.History.Count; i++)
        {
            var a = S.History[i];
            if (a.InspectorId == inspectorId && a.Kind == kind && a.To is null) S.History[i] = a with { To = Now };
        }
    }

    public async Task<CellInfo> AssignPrimary(string inspectorId, string replaces, Actor by)
    {
        Access.EnsureSupervisorOf(by, Code);
        EnsureActive();
        PersonFix.EnsureInspectorId(inspectorId);
        PersonFix.EnsureReplacesPrimary(Code, S.PrimaryId, replaces);
        if (inspectorId == S.PrimaryId) return Info();
        var settings = await Settings();
        var next = grains.GetGrain<IInspectorGrain>(inspectorId);
        await next.ClaimPrimary(Code, settings.MaxPrimaryCellsPerInspector);
        var previous = S.PrimaryId;
        await grains.GetGrain<IInspectorGrain>(previous).ReleasePrimary(Code);
        if (S.Backups.Remove(inspectorId))
        {
            await next.ReleaseBackup(Code);
            EndAssignment(inspectorId, AssignmentKind.Backup);
        }
        // Covers were arranged for the previous primary's leave; they end with that primary.
        foreach (var cover in S.History.Where(a => a.Kind == AssignmentKind.Cover && (a.To is null || a.To > Now)).ToList())
            await grains.GetGrain<IInspectorGrain>(cover.InspectorId).ReleaseCover(new CoverDuty(Code, previous, cover.From, cover.To ?? DateTimeOffset.MaxValue));
        for (var i = 0; i < S.History.Count; i++)
            if (S.History[i] is { Kind: AssignmentKind.Cover } c && (c.To is null || c.To > Now))
                S.History[i] = c with { To = c.From > Now ? c.From : Now };
        EndAssignment(previous, AssignmentKind.Primary);
        S.PrimaryId = inspectorId;
        S.History.Add(new Assignment(inspectorId, AssignmentKind.Primary, Now, null, by.Id));
        await state.WriteStateAsync();
        return Info();
    }

    public async Task<CellInfo> AddBackup(string inspectorId, Actor by)
    {
        Access.EnsureSupervisorOf(by, Code);
        EnsureActive();
        PersonFix.EnsureCanAddBackup(Code, S.PrimaryId, S.Backups, inspectorId);
        await grains.GetGrain<IInspectorGrain>(inspectorId).ClaimBackup(Code);
        S.Backups.Add(inspectorId);
        S.History.Add(new Assignment(inspectorId, AssignmentKind.Backup, Now, null, by.Id));
        await state.WriteStateAsync();
        return Info();
    }

    public async Task<CellInfo> RemoveBackup(string inspectorId, Actor by)
    {
        Access.EnsureSupervisorOf(by, Code);
        EnsureActive();
        PersonFix.EnsureCanRemoveBackup(Code, S.Backups, S.History, inspectorId, Now);
        await grains.GetGrain<IInspectorGrain>(inspectorId).ReleaseBackup(Code);
        S.Backups.Remove(inspectorId);
        S.Routes.Remove(inspectorId);
        EndAssignment(inspectorId, AssignmentKind.Backup);
        await state.WriteStateAsync();
        return Info();
    }

    public Task<Assignment[]> GetAssignmentHistory()
    {
        EnsureExists();
        return Task.FromResult(S.History.ToArray());
    }

    public async Task<string> ArrangeCover(string primaryId, DateTimeOffset from, DateTimeOffset to)
    {
        EnsureActive();
        if (primaryId != S.PrimaryId)
            throw GridGovException.Violation(Fix.Person, "person.not-primary", $"{primaryId} is not the primary of cell {Code}.");
        foreach (var backup in S.Backups)
        {
            try
            {
                await grains.GetGrain<IInspectorGrain>(backup).CommitCover(new CoverDuty(Code, primaryId, from, to));
            }
            catch (GridGovException)
            {
                continue;
            }
            S.History.Add(new Assignment(backup, AssignmentKind.Cover, from, to, "system", $"covers {primaryId}'s leave"));
            await state.WriteStateAsync();
            return backup;
        }
        throw PersonFix.Uncovered(Code, primaryId);
    }

    public async Task CancelCover(string primaryId, DateTimeOffset from, DateTimeOffset to)
    {
        var cover = S.History.FirstOrDefault(a => a.Kind == AssignmentKind.Cover && a.From == from && a.To == to);
        if (cover is null) return;
        S.History.Remove(cover);
        await grains.GetGrain<IInspectorGrain>(cover.InspectorId).ReleaseCover(new CoverDuty(Code, primaryId, from, to));
        await state.WriteStateAsync();
    }

    public Task<string> OnDutyAt(DateTimeOffset at)
    {
        EnsureActive();
        return Task.FromResult(PersonFix.OnDuty(S.PrimaryId, S.History, at));
    }

    public Task<bool> IsAssigned(string inspectorId) =>
        Task.FromResult(S.Code is not null && S.Status == CellStatus.Active && PersonFix.IsAssigned(inspectorId, S.PrimaryId, S.Backups));

    // ---- 定责 ----

    public async Task<CellInfo> SetDutyList(DutyEntry[] entries, Actor by)
    {
        Access.EnsureSupervisorOf(by, Code);
        EnsureActive();
        var categories = (await Catalog.GetCategories()).Select(c => c.Code).ToHashSet();
        var units = (await Catalog.GetUnits()).Select(u => u.Id).ToHashSet();
        DutyFix.ValidateDutyList(entries, categories.Contains, units.Contains);
        S.Duty = entries.ToDictionary(e => e.Category, e => e.UnitId);
        await state.WriteStateAsync();
        return Info();
    }

    public async Task<string> ResolveUnit(string category, string? pointId)
    {
        EnsureActive();
        if (!await Catalog.HasCategory(category))
            throw GridGovException.Violation(Fix.Duty, "duty.unknown-category", $"Category '{category}' is not in the city's catalog.");
        PointSummary? point = null;
        PointType? type = null;
        if (pointId is not null)
        {
            point = S.Points.GetValueOrDefault(pointId) ?? throw GridGovException.NotFound($"Point in cell {Code}", pointId);
            type = await Catalog.GetPointType(point.TypeCode);
        }
        return DutyFix.ResolveUnit(Code, category, S.Duty, point, type);
    }

    // ---- points ----

    public async Task AddPoint(PointSummary point)
    {
        EnsureActive();
        var wasDue = S.Points.GetValueOrDefault(point.Id)?.MustPatrol == true;
        S.Points[point.Id] = point;
        if (point.MustPatrol)
            foreach (var (inspector, route) in S.Routes.ToList())
                if (!route.PointIds.Contains(point.Id))
                    S.Routes[inspector] = route with { PointIds = [.. route.PointIds, point.Id] };
        await state.WriteStateAsync();
        if (wasDue != point.MustPatrol) live.Add(Code, new LiveDelta(new(), 0, 0, default, point.MustPatrol ? 1 : -1));
    }

    public async Task RemovePoint(string pointId)
    {
        EnsureExists();
        if (!S.Points.Remove(pointId, out var removed)) return;
        foreach (var (inspector, route) in S.Routes.ToList())
            S.Routes[inspector] = route with { PointIds = route.PointIds.Where(p => p != pointId).ToArray() };
        await state.WriteStateAsync();
        if (P.ForgetCounted(pointId)) await patrol.WriteStateAsync();
        if (removed.MustPatrol) live.Add(Code, new LiveDelta(new(), 0, 0, default, -1));
    }

    // ---- 定线 / 定时 ----

    public async Task<PatrolRoute> SetRoute(PatrolRoute route, Actor by)
    {
        Access.EnsureSupervisorOf(by, Code);
        EnsureActive();
        PersonFix.EnsureAssigned(Code, route.InspectorId, S.PrimaryId, S.Backups);
        RouteFix.Validate(Code, route, S.Points);
        await Zone();
        S.Routes[route.InspectorId] = route;
        if (!S.ClosedUntil.ContainsKey(route.InspectorId)) S.ClosedUntil[route.InspectorId] = Now;
        await state.WriteStateAsync();
        await ArmAlarm();
        return route;
    }

    public Task<string[]> ProposeRoute(string inspectorId)
    {
        EnsureActive();
        PersonFix.EnsureAssigned(Code, inspectorId, S.PrimaryId, S.Backups);
        return Task.FromResult(RouteFix.Propose(S.Points.Values.Where(p => p.MustPatrol).ToList()));
    }

    public Task<PatrolRoute[]> GetRoutes()
    {
        EnsureExists();
        return Task.FromResult(S.Routes.Values.ToArray());
    }

    public async Task<RouteProgress[]> GetProgress()
    {
        EnsureExists();
        var zone = await Zone();
        var now = Now;
        var today = TimeFix.LocalDate(now, zone);
        var result = new List<RouteProgress>();
        foreach (var route in S.Routes.Values)
            foreach (var w in TimeFix.Instances(route.Windows, zone, now, now).Where(i => TimeFix.LocalDate(i.Start, zone) == today))
            {
                var visited = route.PointIds.Where(p => P.Of(p).CountedTimes.Any(t => w.Start <= t && t < w.End)).ToArray();
                result.Add(new RouteProgress(route.InspectorId, w, route.PointIds, visited, w.End <= S.ClosedUntil.GetValueOrDefault(route.InspectorId)));
            }
        return result.ToArray();
    }

    /// <summary>The whole check-in: 定格 (point here), 定人 (assigned, before distance), 定质 (distance), then 定时 (window).</summary>
    public async Task<CheckInRecord> CheckIn(string pointId, CheckIn checkIn)
    {
        EnsureActive();
        var point = S.Points.GetValueOrDefault(pointId) ?? throw GridGovException.NotFound($"Point in cell {Code}", pointId);
        PersonFix.EnsureAssigned(Code, checkIn.InspectorId, S.PrimaryId, S.Backups);
        var distanceMeters = GeoMath.DistanceMeters(point.Location, checkIn.Position);
        QualityFix.EnsureWithinRadius(pointId, distanceMeters, (await Settings()).CheckInRadiusMeters);
        var zone = await Zone();
        var now = Now;

        // The first route's open window names the check-in; the latest start of all open ones bounds "new in this window".
        var onRoute = false;
        WindowInstance? window = null;
        var openedAt = DateTimeOffset.MinValue;
        foreach (var route in S.Routes.Values)
        {
            if (Array.IndexOf(route.PointIds, pointId) < 0) continue;
            onRoute = true;
            if (TimeFix.OpenAt(route.Windows, zone, now) is not { } open) continue;
            window ??= open;
            if (open.Start > openedAt) openedAt = open.Start;
        }
        var reason = window is not null ? NotCountedReason.None : onRoute ? NotCountedReason.OutsideWindow : NotCountedReason.NotOnRoute;
        var record = new CheckInRecord(pointId, Code, checkIn.InspectorId, now, checkIn.Position, distanceMeters, window is not null, reason, window?.Key);

        var day = TimeFix.LocalDate(now, zone);
        var firstVisitToday = P.Record(record, openedAt, day, now - Retention);
        await patrol.WriteStateAsync();

        if (record.Counted)
        {
            visits.Add(checkIn.InspectorId, new InspectorVisit(pointId, point.TypeCode, now));
            if (firstVisitToday) live.Add(Code, new LiveDelta(new(), 0, 1, day));
        }
        await this.Publish(journal, new GridEvent($"checkin:{pointId}:{now.UtcTicks}", GridEventKind.CheckIn, now, Code, checkIn.InspectorId, pointId,
            record.Counted ? "counted" : "not-counted", null, record.Counted ? $"window {record.WindowKey}" : record.Reason.ToString()));
        GridGovMetrics.CheckIn(record);
        return record;
    }

    public Task<CheckInRecord?> GetLastCheckIn(string pointId)
    {
        EnsureExists();
        return Task.FromResult(P.Of(pointId).Last);
    }

    public Task<MissedPoint[]> GetMissedPoints()
    {
        EnsureExists();
        return Task.FromResult(S.Missed.ToArray());
    }

    public Task<WindowOutcome[]> GetWindowOutcomes()
    {
        EnsureExists();
        return Task.FromResult(S.Outcomes.ToArray());
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Wake();

    /// <summary>Closes every window that has ended: records missed points, raises alerts, records facts.</summary>
    public async Task Wake()
    {
        if (S.Code is null || S.Status != CellStatus.Active) return;
        var zone = await Zone();
        var now = Now;
        var outcomes = new List<WindowOutcome>();
        var closedAny = false;
        foreach (var route in S.Routes.Values)
        {
            var after = S.ClosedUntil.GetValueOrDefault(route.InspectorId, now);
            if (after < now - MaxCatchUp) after = now - MaxCatchUp;
            var ended = TimeFix.EndedBetween(route.Windows, zone, after, now).ToList();
            if (ended.Count == 0) continue; // nothing closed for this route: no write
            closedAny = true;
            foreach (var window in ended)
            {
                var onDuty = PersonFix.OnDuty(S.PrimaryId, S.History, window.Start);
                var evaluated = route.InspectorId == onDuty || (route.InspectorId == S.PrimaryId && !S.Routes.ContainsKey(onDuty));
                if (!evaluated) continue;
                var missed = TimeFix.Missed(route.PointIds, window, p => P.Of(p).CountedTimes);
                var outcome = new WindowOutcome(Code, onDuty, window.Key, window.Start, window.End, route.PointIds.Length - missed.Length, missed);
                outcomes.Add(outcome);
                S.Outcomes.Add(outcome);
                S.Missed.AddRange(missed.Select(p => new MissedPoint(Code, p, onDuty, window.Key, window.Start, window.End)));
            }
            S.ClosedUntil[route.InspectorId] = now;
        }
        if (closedAny)
        {
            S.Outcomes.RemoveAll(o => o.End < now - Retention);
            S.Missed.RemoveAll(m => m.WindowEnd < now - Retention);
            await state.WriteStateAsync();
        }

        foreach (var o in outcomes) GridGovMetrics.WindowClosed(o);
        foreach (var o in outcomes) await Publish(o, zone);
        await ArmAlarm();
    }

    async Task Publish(WindowOutcome o, TimeZoneInfo zone)
    {
        var period = EvaluationKeys.PeriodOf(TimeFix.LocalDate(o.End, zone));
        var fact = new Fact($"window:{Code}:{o.InspectorId}:{o.WindowKey}", FactKind.WindowClosed, o.End, Code, o.Visited, o.Visited + o.MissedPointIds.Length);
        await this.Publish(journal, new GridEvent(fact.Id, GridEventKind.WindowClosed, o.End, Code, o.InspectorId, o.WindowKey,
            o.MissedPointIds.Length == 0 ? "completed" : "missed", null,
            o.MissedPointIds.Length == 0 ? $"{o.Visited} point(s) visited" : $"missed: {string.Join(", ", o.MissedPointIds)}"));
        await grains.RecordInspectorFacts(o.InspectorId, Code, period, fact);
        await grains.RecordCellFacts(Code, period, fact);
        if (o.MissedPointIds.Length == 0)
        {
            await grains.GetGrain<IInspectorGrain>(o.InspectorId).RecordWindowCompleted($"{Code}:{o.WindowKey}", o.End);
            return;
        }
        await grains.RaiseAlert(new Alert($"missed:{Code}:{o.InspectorId}:{o.WindowKey}", AlertKind.MissedPatrol, o.End, Code, o.InspectorId,
            $"Window {o.WindowKey} of cell {Code} closed with {o.MissedPointIds.Length} point(s) unvisited: {string.Join(", ", o.MissedPointIds)}."));
    }

    async Task ArmAlarm()
    {
        if (S.Routes.Count == 0) return;
        var zone = await Zone();
        var now = Now;
        var next = S.Routes.Values.Select(r => TimeFix.NextEnd(r.Windows, zone, S.ClosedUntil.GetValueOrDefault(r.InspectorId, now)))
            .Where(t => t is not null).Min();
        await Alarm.Set(next);
    }

    // ---- tickets ----

    public async Task<ReportReceipt> ReportTicket(ReportIssue report, Actor reporter, string receiptId, Category? category = null, DuplicateMatch? elsewhere = null)
    {
        EnsureActive();
        Access.EnsureSourceMatches(report.Source, reporter);
        if (string.IsNullOrWhiteSpace(report.Category) || string.IsNullOrWhiteSpace(report.Description))
            throw GridGovException.Invalid("ticket.report.fields", "A report needs a category and a description.");
        if (reporter.Role == Role.Inspector)
            PersonFix.EnsureAssigned(Code, reporter.Id, S.PrimaryId, S.Backups);
        QualityFix.EnsureReportEvidence(report.Source, report.Evidence);
        var unit = await ResolveUnit(report.Category, report.PointId);
        var now = Now;

        // The intake attaches the report to the duplicate: the ticket may be calling this cell right now.
        if (category is not null && Duplicates.Applies(report.Source) &&
            Duplicates.Nearer(FindDuplicateHere(category, report.Location), elsewhere) is { } match)
            return new ReportReceipt(receiptId, match.TicketId, true, reporter.Id, report.Source, now, report.Category) { DistanceMeters = match.DistanceMeters };

        var id = $"{Code}-{++S.TicketSeq:D5}";
        S.OpenTickets[id] = new OpenTicketMark(TicketStage.Reported, false, report.Category, report.Location, now);
        await state.WriteStateAsync();
        await grains.GetGrain<ITicketGrain>(id).Open(new OpenTicket(id, Code, unit, report, reporter));
        live.Add(Code, new LiveDelta(new() { [TicketStage.Reported] = 1 }, 0, 0, default));
        return new ReportReceipt(receiptId, id, false, reporter.Id, report.Source, now, report.Category);
    }

    public Task<DuplicateMatch?> FindDuplicate(Category category, GeoPoint at)
    {
        EnsureExists();
        return Task.FromResult(FindDuplicateHere(category, at));
    }

    DuplicateMatch? FindDuplicateHere(Category category, GeoPoint at) =>
        Duplicates.Find(S.OpenTickets.Select(t => new OpenReport(t.Key, t.Value.Category, t.Value.Location, t.Value.ReportedAt)), category, at, Now);

    public async Task TicketChanged(string ticketId, TicketStage stage, bool overdue)
    {
        EnsureExists();
        var before = S.OpenTickets.GetValueOrDefault(ticketId);
        var final = TicketLoop.IsFinal(stage);
        if (before is not null && before.Stage == stage && before.Overdue == overdue && !final) return;
        var byStage = new Dictionary<TicketStage, int>();
        var overdueDelta = 0;
        if (before is not null)
        {
            byStage[before.Stage] = -1;
            if (before.Overdue) overdueDelta--;
        }
        if (final)
        {
            if (before is null) return;
            S.OpenTickets.Remove(ticketId);
        }
        else
        {
            byStage[stage] = byStage.GetValueOrDefault(stage) + 1;
            if (overdue) overdueDelta++;
            S.OpenTickets[ticketId] = before is null ? new OpenTicketMark(stage, overdue) : before with { Stage = stage, Overdue = overdue };
        }
        await state.WriteStateAsync();
        live.Add(Code, new LiveDelta(byStage, overdueDelta, 0, default));
    }

    public async Task<CellLiveState> GetLiveState()
    {
        EnsureActive();
        var zone = await Zone();
        var now = Now;
        var visited = P.VisitedOn(TimeFix.LocalDate(now, zone));
        return new CellLiveState(Code, PersonFix.OnDuty(S.PrimaryId, S.History, now),
            P.Points.Where(kv => kv.Value.Last is not null).ToDictionary(kv => kv.Key, kv => kv.Value.Last!.At),
            S.Points.Values.Count(p => p.MustPatrol), visited,
            S.OpenTickets.Values.GroupBy(t => t.Stage).ToDictionary(g => g.Key, g => g.Count()),
            S.OpenTickets.Values.Count(t => t.Overdue));
    }
}
