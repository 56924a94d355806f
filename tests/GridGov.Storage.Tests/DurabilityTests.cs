using GridGov.Grains.Tests;
using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace GridGov.Storage.Tests;

/// <summary>
/// Durability in PostgreSQL mode: a city and part of a day written by one cluster are all there when a new cluster
/// starts on the same database after every silo stopped, and the stored reminders still wake grains by themselves.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DurabilityTests(PostgresFixture pg, ITestOutputHelper output)
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>Records compare arrays by reference, so state is compared as JSON.</summary>
    static string J(object? value) => JsonSerializer.Serialize(value, Json);

    sealed record Day(TestCity City, string T1, string T2, string T3, TicketInfo T3Reported, string Period);

    /// <summary>
    /// The city: cells 1 (primary I1, backup I2) and 2 (primary I3, backup I4), each with a market and a lane, duty
    /// lists, C1 deadlines from the catalog, C2 (street vending, unit U2) with a 2-second Reported deadline, a quota for I1, a morning and
    /// afternoon route in cell 1 and a short 10:00–10:06 route in cell 2.
    /// The day: 08:30 I1 checks in at the market; T1 reported, accepted, dispatched; T2 taken to Handled; 10:01 the
    /// morning window closes with the lane missed, T2's handled stage is overdue and escalates; at 10:05:57 cell 2's
    /// route is set and T3 reported. Cell 2's window end and T3's deadline are 2–3 s away on the domain clock, so
    /// their reminders are due 2–3 s after registration in real time and then tick every second.
    /// </summary>
    static async Task<Day> PlayDay(IGrainFactory grains, DurabilityClock clock, ITestOutputHelper output, Stopwatch total)
    {
        var city = await new TestCity(grains).Setup();
        await city.Catalog.SetDeadlines(new StageDeadlines("C2", Severity.Urgent, new()
        {
            [TicketStage.Reported] = TimeSpan.FromSeconds(2),
            [TicketStage.Accepted] = TimeSpan.FromMinutes(30),
        }));
        await city.AddCell(1, primary: 1, backup: 2);
        await city.AddCell(2, primary: 3, backup: 4);
        await city.SetRoute(1, 1, city.PointId(1, 1), city.PointId(1, 2));
        await city.InspectorGrain(1).SetQuota(new Quota(2, 4, new() { ["market"] = 2 }), city.Supervisor);

        output.WriteLine($"city built at {total.ElapsedMilliseconds} ms");
        clock.AdvanceToLocal(new TimeOnly(8, 30));
        var market = await city.Point(1, 1).Get();
        Assert.True((await city.Point(1, 1).CheckIn(new CheckIn(city.Inspector(1), market.Location))).Counted);

        var t1 = (await city.Report(city.Issue(1), city.InspectorActor(1))).Id;
        await grains.GetGrain<ITicketGrain>(t1).Accept(city.Supervisor, "valid");
        await grains.GetGrain<ITicketGrain>(t1).Dispatch(city.Supervisor);
        clock.AdvanceToLocal(new TimeOnly(8, 40));
        var t2 = (await city.Report(city.Issue(1) with { Description = "Bags by the market gate" }, city.InspectorActor(1))).Id;
        await grains.GetGrain<ITicketGrain>(t2).Accept(city.Supervisor);
        await grains.GetGrain<ITicketGrain>(t2).Dispatch(city.Supervisor);
        await grains.GetGrain<ITicketGrain>(t2).Handle(city.Handler(city.U1), ["photo://fixed.jpg"], "cleared");

        // Nobody calls: the morning window closes (lane missed) and T2's 1 h handled stage escalates.
        output.WriteLine($"morning played at {total.ElapsedMilliseconds} ms");
        clock.AdvanceToLocal(new TimeOnly(10, 1));
        var missed = await DurabilityCluster.Eventually(() => city.Cell(1).GetMissedPoints(), m => m.Length > 0);
        Assert.Equal(city.PointId(1, 2), Assert.Single(missed).PointId);
        var t2Info = await DurabilityCluster.Eventually(() => grains.GetGrain<ITicketGrain>(t2).Get(), t => t.EscalationLevel > 0);
        Assert.Equal([TicketStage.Handled], t2Info.OverdueStages);

        output.WriteLine($"window closed and T2 escalated at {total.ElapsedMilliseconds} ms");
        clock.AdvanceToLocal(new TimeOnly(10, 5, 57));
        await city.Cell(2).SetRoute(new PatrolRoute(city.Inspector(3), [city.PointId(2, 1), city.PointId(2, 2)],
            [new PatrolWindow(Enum.GetValues<DayOfWeek>(), new TimeOnly(10, 0), new TimeOnly(10, 6))]), city.Supervisor);
        var t3 = await city.Report(city.Issue(2, "C2"), city.InspectorActor(3));
        Assert.Equal(TicketStage.Reported, t3.Stage);
        Assert.Equal(clock.GetUtcNow().AddSeconds(2), t3.StageDeadline);
        return new Day(city, t1, t2, t3.Id, t3, EvaluationKeys.PeriodOf(clock.LocalNow));
    }

    /// <summary>
    /// Everything the grains answer about the city, as JSON per item. Cell 2 and ticket T3 are left out when
    /// <paramref name="withReminderSubjects"/> is false, so that reading the snapshot does not activate them.
    /// </summary>
    static async Task<SortedDictionary<string, string>> Snapshot(IGrainFactory grains, Day day, bool withReminderSubjects)
    {
        var c = day.City;
        var s = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["city"] = J(await c.CityGrain.GetSettings()),
            ["jurisdictions"] = J(await c.CityGrain.GetJurisdictions()),
            ["categories"] = J(await c.Catalog.GetCategories()),
            ["units"] = J(await c.Catalog.GetUnits()),
            ["pointTypes"] = J(await c.Catalog.GetPointTypes()),
            ["deadlines.C1"] = J(await c.Catalog.GetDeadlines("C1", Severity.Urgent)),
            ["deadlines.C2"] = J(await c.Catalog.GetDeadlines("C2", Severity.Urgent)),
        };
        foreach (var i in withReminderSubjects ? [1, 2] : new[] { 1 })
        {
            var cell = c.Cell(i);
            s[$"cell{i}.info"] = J(await cell.Get());
            s[$"cell{i}.assignments"] = J(await cell.GetAssignmentHistory());
            s[$"cell{i}.routes"] = J(await cell.GetRoutes());
            s[$"cell{i}.progress"] = J(await cell.GetProgress());
            s[$"cell{i}.missed"] = J(await cell.GetMissedPoints());
            s[$"cell{i}.outcomes"] = J(await cell.GetWindowOutcomes());
            s[$"cell{i}.live"] = J(await cell.GetLiveState());
        }
        foreach (var (cell, point) in new[] { (1, 1), (1, 2), (2, 1), (2, 2) })
            s[$"point{cell}-{point}"] = J(await c.Point(cell, point).Get());
        for (var i = 1; i <= 6; i++)
        {
            s[$"inspector{i}"] = J(await c.InspectorGrain(i).Get());
            s[$"inspector{i}.progress"] = J(await c.InspectorGrain(i).GetProgress());
            s[$"inspector{i}.shortfalls"] = J(await c.InspectorGrain(i).GetShortfalls());
        }
        foreach (var t in withReminderSubjects ? [day.T1, day.T2, day.T3] : new[] { day.T1, day.T2 })
            s[$"ticket:{t}"] = J(await grains.GetGrain<ITicketGrain>(t).Get());
        foreach (var unit in new[] { c.U1, c.U2 })
            s[$"unit:{unit}"] = J((await grains.GetGrain<IResponsibleUnitGrain>(unit).GetQueue()).OrderBy(kv => kv.Key));
        foreach (var j in new[] { c.City, c.City + "01", c.City + "01001", c.Community })
        {
            s[$"live:{j}"] = J(await grains.GetGrain<IJurisdictionGrain>(j).GetState());
            s[$"alerts:{j}"] = J(await grains.GetGrain<IJurisdictionGrain>(j).GetAlerts());
        }
        foreach (var key in new[]
        {
            EvaluationKeys.Subject(SubjectKind.Inspector, c.Inspector(1), day.Period),
            EvaluationKeys.Subject(SubjectKind.Cell, c.CellCode(1), day.Period),
            EvaluationKeys.Subject(SubjectKind.Unit, c.U1, day.Period),
            EvaluationKeys.Subject(SubjectKind.District, c.City + "01", day.Period),
        })
            s[$"facts:{key}"] = J(await grains.GetGrain<IEvaluationGrain>(key).GetFacts());
        return s;
    }

    /// <summary>Takes snapshots until two in a row agree (one-way live updates may still be in flight).</summary>
    static async Task<SortedDictionary<string, string>> SettledSnapshot(IGrainFactory grains, Day day, bool withReminderSubjects)
    {
        var last = await Snapshot(grains, day, withReminderSubjects);
        for (var i = 0; i < 50; i++)
        {
            await Task.Delay(100);
            var next = await Snapshot(grains, day, withReminderSubjects);
            if (next.SequenceEqual(last)) return next;
            last = next;
        }
        throw new TimeoutException("The city's state did not settle.");
    }

    static async Task<List<string>> JournalRows(string db) =>
        (await Db.Rows(db, "SELECT id, kind, at, cell_code, subject, actor_id, action, stage, detail FROM gridgov_journal ORDER BY seq"))
        .Select(J).ToList();

    static async Task<HashSet<(string Grain, string Name, long Period)>> ReminderRows(string db) =>
        (await Db.Rows(db, "SELECT GrainId, ReminderName, Period FROM OrleansRemindersTable WHERE ServiceId = @s", ("s", PostgresCluster.ServiceId)))
        .Select(r => ((string)r[0]!, (string)r[1]!, (long)r[2]!)).ToHashSet();

    [Fact]
    public async Task A_city_and_a_day_come_back_after_every_silo_stopped_and_its_reminders_still_fire()
    {
        var total = Stopwatch.StartNew();
        var db = await pg.CreateDatabaseAsync();
        var clockA = new DurabilityClock(DurabilityClock.Monday8);
        Day day;
        SortedDictionary<string, string> before;
        List<string> journalBefore;
        Dictionary<string, string> ticketJournalBefore = [];
        await using (var a = await DurabilityCluster.StartAsync(db, clockA))
        {
            output.WriteLine($"cluster A up at {total.ElapsedMilliseconds} ms");
            day = await PlayDay(a.Grains, clockA, output, total);
            before = await SettledSnapshot(a.Grains, day, withReminderSubjects: true);
            output.WriteLine($"cluster A played the day in {total.ElapsedMilliseconds} ms");
        }
        var stopped = total.ElapsedMilliseconds;
        await using var journal = new PostgresEventJournal(db);
        journalBefore = await JournalRows(db);
        foreach (var t in new[] { day.T1, day.T2, day.T3 })
            ticketJournalBefore[t] = J(await journal.Read(t));
        var remindersBefore = await ReminderRows(db);
        var c = day.City;

        // What the day wrote is in the journal, and each alarm left its reminder.
        Assert.Equal(["Report", "Accept", "Dispatch"], (await journal.Read(day.T1)).Select(l => l.Action));
        Assert.Equal(["Report", "Accept", "Dispatch", "Handle", "Escalate"], (await journal.Read(day.T2)).Select(l => l.Action));
        Assert.Equal(["Report"], (await journal.Read(day.T3)).Select(l => l.Action));
        var period = (long)DurabilityCluster.ReminderPeriod.TotalMilliseconds;
        foreach (var key in new[] { c.CellCode(1), c.CellCode(2), c.Inspector(1), day.T1, day.T3 })
            Assert.Single(remindersBefore, r => r.Grain.EndsWith("/" + key, StringComparison.Ordinal) && r.Name == "wake" && r.Period == period);
        Assert.DoesNotContain(remindersBefore, r => r.Grain.EndsWith("/" + day.T2, StringComparison.Ordinal)); // escalated: disarmed

        // Cluster B: new silos (new processes as far as Orleans is concerned) on the same database, and a new
        // domain clock that carries on from where A's stopped (A's old timers live on A's clock and never fire).
        var clockB = new DurabilityClock(clockA.GetUtcNow());
        await using var b = await DurabilityCluster.StartAsync(db, clockB);
        day = day with { City = day.City.On(b.Grains) };
        c = day.City;
        output.WriteLine($"cluster A stopped at {stopped} ms, cluster B up at {total.ElapsedMilliseconds} ms");

        // Reminders are still stored (grains that activate re-register theirs, which moves StartTime; names,
        // grains and periods stay).
        Assert.Equal(remindersBefore, await ReminderRows(db));

        // Every cell, assignment, route, check-in, point, inspector, quota and progress, ticket with its stage,
        // history and deadline, missed point, outcome, live counter, alert and evaluation fact is back exactly.
        var after = await SettledSnapshot(b.Grains, day, withReminderSubjects: false);
        foreach (var (key, value) in after)
            Assert.True(before[key] == value, $"{key} differs after the restart:\nbefore {before[key]}\nafter  {value}");
        Assert.Equal(before.Count - 8, after.Count); // all but cell 2's seven items and T3
        Assert.Equal(journalBefore, await JournalRows(db));
        foreach (var t in new[] { day.T1, day.T2 })
            Assert.Equal(ticketJournalBefore[t], J(await journal.Read(t)));

        // Reminders still fire. From here on nothing calls T3 or cell 2: the only thing that can activate them in
        // cluster B is their reminder "wake" (ticking every second). Activation re-arms the domain-clock alarm;
        // a tick after the deadline acts directly. Both are the reminder's doing. The test only moves the clock
        // past T3's deadline (10:05:59) and cell 2's window end (10:06), then watches the journal in the database.
        clockB.AdvanceToLocal(new TimeOnly(10, 7));
        var watch = Stopwatch.StartNew();
        var t3Lines = await DurabilityCluster.Eventually(() => journal.Read(day.T3), l => l.Any(x => x.Action == "Escalate"));
        var windowLines = await DurabilityCluster.Eventually(
            () => Db.Rows(db, "SELECT action, detail FROM gridgov_journal WHERE cell_code = @c AND kind = 'WindowClosed'", ("c", c.CellCode(2))),
            rows => rows.Count > 0);
        output.WriteLine($"after the clock moved, T3 escalated and cell 2's window closed within {watch.ElapsedMilliseconds} ms");
        Assert.Equal(["Report", "Escalate"], t3Lines.Select(l => l.Action));
        Assert.Equal(("system", "Reported"), (t3Lines[1].ActorId, t3Lines[1].Stage));
        var window = Assert.Single(windowLines);
        Assert.Equal("missed", window[0]);
        Assert.Contains(c.PointId(2, 1), (string)window[1]!);
        Assert.Contains(c.PointId(2, 2), (string)window[1]!);

        // Now read them through the grains: T3 is the ticket written before the restart plus one escalation.
        var t3 = await b.Grains.GetGrain<ITicketGrain>(day.T3).Get();
        Assert.Equal(J(day.T3Reported.History), J(t3.History[..1]));
        Assert.Equal((TicketStage.Reported, 1, day.T3Reported.StageDeadline), (t3.Stage, t3.EscalationLevel, t3.StageDeadline));
        Assert.Equal([TicketStage.Reported], t3.OverdueStages);
        Assert.Equal((TicketAction.Escalate, Role.System), (t3.History[1].Action, t3.History[1].ActorRole));
        var cell2 = c.Cell(2);
        foreach (var (key, value) in new[]
        {
            ("cell2.info", J(await cell2.Get())), ("cell2.assignments", J(await cell2.GetAssignmentHistory())), ("cell2.routes", J(await cell2.GetRoutes())),
        })
            Assert.True(before[key] == value, $"{key} differs after the restart");
        Assert.Equal([c.PointId(2, 1), c.PointId(2, 2)], (await cell2.GetMissedPoints()).Select(m => m.PointId).Order());
        var alerts = await DurabilityCluster.Eventually(() => b.Grains.GetGrain<IJurisdictionGrain>(c.City + "01").GetAlerts(),
            a => a.Any(x => x.Subject == day.T3) && a.Any(x => x.CellCode == c.CellCode(2) && x.Kind == AlertKind.MissedPatrol));
        Assert.Contains(alerts, x => x.Subject == day.T3 && x.Kind == AlertKind.TicketOverdue);
        output.WriteLine($"total {total.ElapsedMilliseconds} ms");
    }
}
