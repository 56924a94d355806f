using Microsoft.Extensions.Logging;


namespace GridGov.Grains.Tickets;

[GenerateSerializer]
public sealed class TicketState
{
    [Id(0)] public TicketInfo? Info { get; set; }
    [Id(1)] public StageDeadlines? Deadlines { get; set; }
    [Id(2)] public bool StageOverdue { get; set; }
    /// <summary>随手拍 outbox: points owed to the reporter, saved with the acceptance and cleared once the ledger has them.</summary>
    [Id(3)] public int RewardOwed { get; set; }
}

/// <summary>
/// A ticket going round the closed loop: checks each transition with <see cref="TicketLoop"/> and the quality
/// rules, appends it to the history, escalates an overdue stage by itself and records the facts scores use.
/// </summary>
public sealed class TicketGrain(
    [PersistentState("ticket", GridGovStorage.Name)] IPersistentState<TicketState> state,
    AlarmClock alarms,
    IGrainFactory grains,
    IEventJournal journal,
    ITicketSearch search,
    ILogger<TicketGrain> logger) : Grain, ITicketGrain, IRemindable
{
    Alarm? _alarm;
    TimeZoneInfo? _zone;

    string? _id;
    string Id => _id ??= this.GetPrimaryKeyString();
    DateTimeOffset Now => alarms.Now;
    Alarm Alarm => _alarm ??= new Alarm(this, alarms);
    TicketInfo T => state.State.Info ?? throw GridGovException.NotFound("Ticket", Id);
    string CityCode => JurisdictionCode.CityOf(T.CellCode);
    ICellGrain Cell => grains.GetGrain<ICellGrain>(T.CellCode);

    public override async Task OnActivateAsync(CancellationToken ct)
    {
        if (state.State.Info is { IsOpen: true } || state.State.RewardOwed > 0) await ArmAlarm();
    }

    async Task<string> PeriodOf(DateTimeOffset at)
    {
        _zone ??= await grains.CityZone(CityCode);
        return EvaluationKeys.PeriodOf(TimeFix.LocalDate(at, _zone));
    }

    public Task<TicketInfo> Get() => Task.FromResult(T);

    public async Task<TicketInfo> Open(OpenTicket command)
    {
        if (state.State.Info is not null) throw GridGovException.Conflict("ticket.exists", $"Ticket {Id} already exists.");
        var r = command.Report;
        var deadlines = await grains.GetGrain<ICatalogGrain>(JurisdictionCode.CityOf(command.CellCode)).GetDeadlines(r.Category, r.Severity);
        var now = Now;
        var report = new TicketTransition(1, now, command.Reporter.Id, command.Reporter.Role, TicketAction.Report, null, TicketStage.Reported, r.Description, r.Evidence);
        state.State.Deadlines = deadlines;
        state.State.Info = new TicketInfo(Id, command.CellCode, r.Category, r.Severity, r.Source, r.Description, r.Location, r.PointId,
            command.Reporter.Id, TicketStage.Reported, command.UnitId, now, QualityFix.Deadline(deadlines, TicketStage.Reported, now),
            0, 0, null, null, [], [report], [], r.Address);
        await state.WriteStateAsync();
        GridGovMetrics.TicketOpened(r);
        await Announce(report);
        return T;
    }

    /// <summary>Tells everyone who follows the ticket: its cell, its unit, the ticket search, the journal and its district's stream.</summary>
    async Task Announce(TicketTransition line)
    {
        var t = T;
        // Independent of each other: told together, not one after another.
        await Task.WhenAll(
            line.Action != TicketAction.Report ? Cell.TicketChanged(Id, t.Stage, state.State.StageOverdue) : Task.CompletedTask,
            grains.GetGrain<IResponsibleUnitGrain>(t.UnitId).Track(Id, t.Stage),
            search.Upsert(new TicketSummary(
                Id, t.CellCode, t.Category, t.Severity, t.Source, t.Stage, t.UnitId, t.History[0].At, line.At, t.StageDeadline,
                state.State.StageOverdue, t.ReworkCount, t.EscalationLevel)));
        await this.Publish(journal, new GridEvent($"ticket:{Id}:{line.Seq}", GridEventKind.Ticket, line.At, t.CellCode, TicketPrivacy.PublicActor(line.ActorId, line.ActorRole), Id,
            line.Action.ToString(), t.Stage, line.Reason ?? ""));
        await ArmAlarm();
    }

    /// <summary>Applies an allowed transition: new stage, its deadline, one history line; then tells cell and unit.</summary>
    async Task<TicketInfo> Move(TicketAction action, Actor by, string? reason, string[] evidence, Func<TicketInfo, TicketInfo>? change = null)
    {
        var t = T;
        var next = TicketLoop.Next(Id, t.Stage, action, by);
        var now = Now;
        var line = new TicketTransition(t.History.Length + 1, now, by.Id, by.Role, action, t.Stage, next, reason, evidence);
        var moved = next != t.Stage;
        t = t with
        {
            Stage = next,
            StageEnteredAt = moved ? now : t.StageEnteredAt,
            StageDeadline = moved ? QualityFix.Deadline(state.State.Deadlines, next, now) : t.StageDeadline,
            History = [.. t.History, line],
        };
        if (change is not null) t = change(t);
        state.State.Info = t;
        if (moved) state.State.StageOverdue = false;
        await state.WriteStateAsync();
        GridGovMetrics.TicketMoved(action, next);
        await Announce(line);
        return t;
    }

    public async Task<TicketInfo> Accept(Actor by, string? note = null)
    {
        TicketLoop.Next(Id, T.Stage, TicketAction.Accept, by);
        // A citizen's report accepted (立案) earns its reward: owed in the same write as the acceptance, paid once by reference.
        var reward = T.Source == TicketSource.Citizen
            ? (await grains.GetGrain<ICatalogGrain>(CityCode).GetCategory(T.Category))?.RewardPoints ?? 0
            : 0;
        state.State.RewardOwed = reward;
        TicketInfo t;
        try { t = await Move(TicketAction.Accept, by, note, []); }
        catch { state.State.RewardOwed = 0; throw; }
        try { await DeliverReward(); }
        catch (Exception e)
        {
            // The acceptance and the owed reward are saved; the alarm pays it later (the ledger dedupes by reference).
            logger.LogWarning(e, "Reward for ticket {Ticket} not paid yet; will retry", Id);
        }
        var period = await PeriodOf(t.History[0].At);
        if (t.Source == TicketSource.Inspector)
        {
            var fact = new Fact($"found:{Id}", FactKind.InspectorFound, Now, Id, 1);
            await grains.RecordInspectorFacts(t.ReporterId, t.CellCode, period, fact);
            await grains.RecordCellFacts(t.CellCode, period, fact);
        }
        else
        {
            // Someone else found it first: it counts against whoever was on duty in the cell then.
            var onDuty = await Cell.OnDutyAt(t.History[0].At);
            var fact = new Fact($"others:{Id}", FactKind.OthersFoundFirst, Now, Id, 0);
            await grains.RecordInspectorFacts(onDuty, t.CellCode, period, fact);
            await grains.RecordCellFacts(t.CellCode, period, fact);
        }
        return t;
    }

    public Task<TicketInfo> Reject(Actor by, string reason)
    {
        TicketLoop.EnsureReason(TicketAction.Reject, reason);
        return Move(TicketAction.Reject, by, reason, []);
    }

    public async Task<TicketInfo> MergeInto(string ticketId, Actor by)
    {
        if (ticketId == Id) throw GridGovException.Violation(Fix.TicketLoop, "ticket.merge", "A ticket cannot be merged into itself.");
        TicketLoop.Next(Id, T.Stage, TicketAction.Merge, by);
        var target = await grains.GetGrain<ITicketGrain>(ticketId).Get();
        if (!target.IsOpen)
            throw GridGovException.Violation(Fix.TicketLoop, "ticket.merge", $"Ticket {ticketId} is {target.Stage}; merge only into an open ticket.");
        return await Move(TicketAction.Merge, by, $"duplicate of {ticketId}", [], t => t with { DuplicateOf = ticketId });
    }

    public async Task<TicketInfo> Dispatch(Actor by, string? unitId = null, string? note = null)
    {
        TicketLoop.Next(Id, T.Stage, TicketAction.Dispatch, by);
        var unit = unitId ?? T.UnitId;
        if (unit != T.UnitId && !await grains.GetGrain<ICatalogGrain>(CityCode).HasUnit(unit))
            throw GridGovException.Violation(Fix.Duty, "duty.unknown-unit", $"Unit '{unit}' does not exist.");
        var previousUnit = T.UnitId;
        var t = await Move(TicketAction.Dispatch, by, note ?? $"to {unit}", [], x => x with { UnitId = unit });
        if (previousUnit != unit) await grains.GetGrain<IResponsibleUnitGrain>(previousUnit).Track(Id, TicketStage.Returned);
        return t;
    }

    void EnsureOwnUnit(Actor by)
    {
        if (by.Role == Role.Handler && by.Scope != T.UnitId)
            throw GridGovException.Forbidden(Fix.Duty, "duty.other-unit", $"Ticket {Id} is dispatched to {T.UnitId}, not to {by.Scope}.");
    }

    public Task<TicketInfo> Return(Actor by, string reason)
    {
        TicketLoop.Next(Id, T.Stage, TicketAction.Return, by);
        EnsureOwnUnit(by);
        TicketLoop.EnsureReason(TicketAction.Return, reason);
        return Move(TicketAction.Return, by, reason, []);
    }

    public Task<TicketInfo> Handle(Actor by, string[] evidence, string? note = null)
    {
        TicketLoop.Next(Id, T.Stage, TicketAction.Handle, by);
        EnsureOwnUnit(by);
        QualityFix.EnsureRectificationEvidence(evidence);
        return Move(TicketAction.Handle, by, note, evidence, t => t with { HandledBy = by.Id });
    }

    public async Task<TicketInfo> Verify(Actor by, bool passed, string[] evidence, string? note = null)
    {
        var action = passed ? TicketAction.VerifyPass : TicketAction.VerifyFail;
        QualityFix.EnsureVerifier(by, T.HandledBy);
        TicketLoop.Next(Id, T.Stage, action, by);
        if (!await Cell.IsAssigned(by.Id))
            throw GridGovException.Forbidden(Fix.Person, "person.not-assigned", $"Inspector {by.Id} is not assigned to cell {T.CellCode}.");
        if (!passed) TicketLoop.EnsureReason(action, note);
        var handlings = T.History.Count(h => h.Action == TicketAction.Handle);
        var t = await Move(action, by, note, evidence, x => passed ? x : x with { ReworkCount = x.ReworkCount + 1 });
        var fact = new Fact($"handling:{Id}:{handlings}", FactKind.Handling, Now, Id, passed ? 1 : 0);
        await grains.RecordUnitFacts(t.UnitId, t.CellCode, await PeriodOf(Now), fact);
        return t;
    }

    public async Task<TicketInfo> Close(Actor by, string? note = null)
    {
        var t = await Move(TicketAction.Close, by, note, []);
        var period = await PeriodOf(Now);
        var fact = new Fact($"closed:{Id}", FactKind.TicketClosed, Now, Id, t.OverdueStages.Length == 0 ? 1 : 0);
        await grains.RecordUnitFacts(t.UnitId, t.CellCode, period, fact);
        await grains.RecordCellFacts(t.CellCode, period, fact);
        return t;
    }

    public async Task<TicketInfo> Escalate(Actor by, string reason)
    {
        TicketLoop.EnsureReason(TicketAction.Escalate, reason);
        var t = await Move(TicketAction.Escalate, by, reason, [], x => x with { EscalationLevel = x.EscalationLevel + 1 });
        await grains.RaiseAlert(new Alert($"escalated:{Id}:{t.History.Length}", AlertKind.TicketOverdue, Now, t.CellCode, Id, $"Ticket {Id} escalated: {reason}"));
        return t;
    }

    public async Task<TicketInfo> Attach(ReportAttachment report)
    {
        var t = T;
        if (!t.IsOpen)
            throw GridGovException.Violation(Fix.TicketLoop, "ticket.attach", $"Ticket {Id} is {t.Stage}; reports attach only to open tickets.");
        if (t.Attachments.Any(a => a.ReceiptId == report.ReceiptId)) return t;
        state.State.Info = t with { Attachments = [.. t.Attachments, report] };
        await state.WriteStateAsync();
        return T;
    }

    /// <summary>Pays what is owed; the ledger ignores a reference it has seen, so a retry after a crash never pays twice.</summary>
    public async Task DeliverReward()
    {
        if (state.State.RewardOwed <= 0 || state.State.Info is not { } t) return;
        await grains.GetGrain<IRewardLedgerGrain>(t.ReporterId).Credit(Rewards.TicketReference(Id), state.State.RewardOwed, $"report {Id} ({t.Category}) accepted");
        state.State.RewardOwed = 0;
        await state.WriteStateAsync();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Wake();

    /// <summary>An overdue stage escalates to the supervisors by itself, once per stage entry.</summary>
    public async Task Wake()
    {
        await DeliverReward();
        if (state.State.Info is not { IsOpen: true } t || state.State.StageOverdue || t.StageDeadline is not { } deadline || Now < deadline)
        {
            await ArmAlarm();
            return;
        }
        var reason = $"{t.Stage} overdue: deadline {deadline:u} passed";
        state.State.StageOverdue = true;
        var line = new TicketTransition(t.History.Length + 1, Now, Actor.System.Id, Role.System, TicketAction.Escalate, t.Stage, t.Stage, reason, []);
        t = t with { EscalationLevel = t.EscalationLevel + 1, OverdueStages = [.. t.OverdueStages, t.Stage], History = [.. t.History, line] };
        state.State.Info = t;
        await state.WriteStateAsync();
        await Announce(line);
        GridGovMetrics.StageOverdue(t.Stage);
        await grains.RaiseAlert(new Alert($"overdue:{Id}:{line.Seq}", AlertKind.TicketOverdue, Now, t.CellCode, Id, $"Ticket {Id}: {reason}."));
        var fact = new Fact($"overdue:{Id}:{line.Seq}", FactKind.StageOverdue, Now, Id, 0);
        var period = await PeriodOf(Now);
        await grains.RecordUnitFacts(t.UnitId, t.CellCode, period, fact);
        await grains.RecordCellFacts(t.CellCode, period, fact);
    }

    Task ArmAlarm()
    {
        var t = state.State.Info;
        var due = t is { IsOpen: true } && !state.State.StageOverdue ? t.StageDeadline : null;
        if (state.State.RewardOwed > 0) due = Now + alarms.ReminderPeriod;   // still owed: try again one reminder period on
        return Alarm.Set(due);
    }
}

/// <summary>
/// Places a report in its cell (by its point when it names one, else by its position), checks the neighbouring
/// cells for a nearer open duplicate, attaches the report to a duplicate or opens a ticket, and keeps the receipt.
/// </summary>
[StatelessWorker]
public sealed class TicketIntakeGrain(IGrainFactory grains, AlarmClock alarms) : Grain, ITicketIntakeGrain
{
    public async Task<ReportReceipt> Report(ReportIssue report, Actor reporter)
    {
        var cityCode = this.GetPrimaryKeyString();
        var code = report.PointId is { } pointId
            ? await grains.GetGrain<IInspectionPointGrain>(pointId).GetCellCode()
            : await grains.GetGrain<ICityGrain>(cityCode).LocateCell(report.Location);
        var cell = grains.GetGrain<ICellGrain>(code);
        var receiptId = $"r{Guid.NewGuid():N}";
        Category? category = null;
        DuplicateMatch? elsewhere = null;
        if (Duplicates.Applies(report.Source) && !string.IsNullOrWhiteSpace(report.Category) &&
            (category = await grains.GetGrain<ICatalogGrain>(cityCode).GetCategory(report.Category)) is not null)
        {
            var neighbours = (await grains.GetGrain<ICityGrain>(cityCode).CellsNear(report.Location, category.DuplicateRadiusMeters)).Where(near => near != code);
            foreach (var match in await Task.WhenAll(neighbours.Select(near => grains.GetGrain<ICellGrain>(near).FindDuplicate(category, report.Location))))
                elsewhere = Duplicates.Nearer(elsewhere, match);
        }
        var receipt = await cell.ReportTicket(report, reporter, receiptId, category, elsewhere);
        if (receipt.Duplicate)
        {
            try
            {
                await grains.GetGrain<ITicketGrain>(receipt.TicketId).Attach(new ReportAttachment(receiptId, reporter.Id, reporter.Role, report.Source,
                    alarms.Now, report.Location, receipt.DistanceMeters, report.Description, report.Evidence));
            }
            catch (GridGovException e) when (e.Rule == "ticket.attach")
            {
                // The duplicate closed in the meantime: the report opens its own ticket.
                receipt = await cell.ReportTicket(report, reporter, receiptId);
            }
        }
        await grains.GetGrain<IReportReceiptGrain>(receiptId).Record(receipt);
        return receipt;
    }
}

[GenerateSerializer]
public sealed class ReceiptState
{
    [Id(0)] public ReportReceipt? Receipt { get; set; }
}

/// <summary>A report's receipt, written once; the Open311 token resolves through it.</summary>
public sealed class ReportReceiptGrain([PersistentState("receipt", GridGovStorage.Name)] IPersistentState<ReceiptState> state) : Grain, IReportReceiptGrain
{
    public async Task Record(ReportReceipt receipt)
    {
        if (state.State.Receipt is not null) return;
        state.State.Receipt = receipt;
        await state.WriteStateAsync();
    }

    public Task<ReportReceipt> Get() =>
        Task.FromResult(state.State.Receipt ?? throw GridGovException.NotFound("Report receipt", this.GetPrimaryKeyString()));
}

[GenerateSerializer]
public sealed class UnitQueueState
{
    [Id(0)] public Dictionary<string, TicketStage> Tickets { get; set; } = new();
}

/// <summary>A responsible unit's queue: tickets dispatched to it and awaiting its handling or their verification.</summary>
public sealed class ResponsibleUnitGrain([PersistentState("unit", GridGovStorage.Name)] IPersistentState<UnitQueueState> state) : Grain, IResponsibleUnitGrain
{
    public async Task Track(string ticketId, TicketStage stage)
    {
        var inQueue = stage is TicketStage.Dispatched or TicketStage.Handled;
        var changed = inQueue
            ? !state.State.Tickets.TryGetValue(ticketId, out var s) || s != stage
            : state.State.Tickets.ContainsKey(ticketId);
        if (!changed) return;
        if (inQueue) state.State.Tickets[ticketId] = stage;
        else state.State.Tickets.Remove(ticketId);
        await state.WriteStateAsync();
    }

    public Task<Dictionary<string, TicketStage>> GetQueue() => Task.FromResult(new Dictionary<string, TicketStage>(state.State.Tickets));
}
