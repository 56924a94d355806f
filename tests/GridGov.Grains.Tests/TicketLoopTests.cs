namespace GridGov.Grains.Tests;

/// <summary>The closed loop end to end on the test cluster, and 定质 on tickets.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TicketLoopTests(ClusterFixture fixture)
{
    ITicketGrain Ticket(string id) => fixture.Grains.GetGrain<ITicketGrain>(id);

    async Task<(TestCity City, TicketInfo Ticket)> Dispatched()
    {
        var city = await new TestCity(fixture.Grains).Setup();
        await city.AddCell(1, primary: 1, backup: 2);
        var t = await city.Report(city.Issue(1), city.InspectorActor(1));
        await Ticket(t.Id).Accept(city.Supervisor);
        return (city, await Ticket(t.Id).Dispatch(city.Supervisor));
    }

    [Fact]
    public async Task The_whole_loop_with_return_and_rework_ends_closed_with_every_transition_kept()
    {
        var city = await new TestCity(fixture.Grains).Setup();
        await city.AddCell(1, primary: 1, backup: 2);
        var reported = await city.Report(city.Issue(1), city.InspectorActor(1));
        Assert.Equal(TicketStage.Reported, reported.Stage);
        Assert.Equal(city.U1, reported.UnitId);
        var id = reported.Id;

        await Ticket(id).Accept(city.Supervisor, "valid");
        await Ticket(id).Dispatch(city.Supervisor);
        // U1 says it is not theirs; the supervisor re-dispatches to U2.
        await Refuse.With("duty.other-unit", () => Ticket(id).Return(city.Handler(city.U2), "not ours"));
        await Ticket(id).Return(city.Handler(city.U1), "this is a market matter");
        var redispatched = await Ticket(id).Dispatch(city.Supervisor, city.U2);
        Assert.Equal(city.U2, redispatched.UnitId);
        Assert.Contains(id, (await fixture.Grains.GetGrain<IResponsibleUnitGrain>(city.U2).GetQueue()).Keys);
        Assert.DoesNotContain(id, (await fixture.Grains.GetGrain<IResponsibleUnitGrain>(city.U1).GetQueue()).Keys);

        await Ticket(id).Handle(city.Handler(city.U2), ["photo://fixed-1.jpg"]);
        var failed = await Ticket(id).Verify(city.InspectorActor(1), passed: false, [], "still there");
        Assert.Equal(TicketStage.Dispatched, failed.Stage);
        Assert.Equal(1, failed.ReworkCount);
        await Ticket(id).Handle(city.Handler(city.U2), ["photo://fixed-2.jpg"]);
        await Ticket(id).Verify(city.InspectorActor(2), passed: true, ["photo://check.jpg"]);
        var closed = await Ticket(id).Close(city.Supervisor, "done");

        Assert.Equal(TicketStage.Closed, closed.Stage);
        Assert.Equal(
            [TicketAction.Report, TicketAction.Accept, TicketAction.Dispatch, TicketAction.Return, TicketAction.Dispatch,
             TicketAction.Handle, TicketAction.VerifyFail, TicketAction.Handle, TicketAction.VerifyPass, TicketAction.Close],
            closed.History.Select(h => h.Action));
        Assert.Equal(Enumerable.Range(1, 10), closed.History.Select(h => h.Seq));
        Assert.All(closed.History.Skip(1), h => Assert.NotNull(h.From));
        Assert.Equal("this is a market matter", closed.History[3].Reason);
        Assert.Equal(0, (await city.Cell(1).Get()).OpenTickets);
        Assert.Empty(await fixture.Grains.GetGrain<IResponsibleUnitGrain>(city.U2).GetQueue());

        // The journal has every transition, in order, and the facts the unit's score counts.
        var journal = fixture.SiloService<GridGov.Grains.Infrastructure.IEventJournal>();
        var lines = await journal.Read(id);
        Assert.Equal(closed.History.Select(h => h.Action.ToString()), lines.Select(l => l.Action));
        var unitKey = EvaluationKeys.Subject(SubjectKind.Unit, city.U2, EvaluationKeys.PeriodOf(ClusterFixture.LocalNow));
        Assert.Equal(3, (await journal.Read(unitKey)).Count); // two handlings and the closure

        // Rework is counted against the unit: one handling of two failed.
        var unitScore = await fixture.Grains.GetGrain<IEvaluationGrain>(EvaluationKeys.Subject(SubjectKind.Unit, city.U2, EvaluationKeys.PeriodOf(ClusterFixture.LocalNow))).GetScore();
        var firstTimeFix = Assert.Single(unitScore.Components, c => c.Metric == Metric.FirstTimeFix);
        Assert.Equal(0.5, firstTimeFix.Ratio);
        Assert.Equal(2, firstTimeFix.FactIds.Length);
    }

    [Fact]
    public async Task Illegal_transitions_are_refused_by_name_and_change_nothing()
    {
        var city = await new TestCity(fixture.Grains).Setup();
        await city.AddCell(1, primary: 1);
        var t = await city.Report(city.Issue(1), city.InspectorActor(1));

        var e = await Refuse.With("ticket.handle", () => Ticket(t.Id).Handle(city.Handler(city.U1), ["photo://x"]));
        Assert.Equal(Fix.TicketLoop, e.Fix);
        await Refuse.With("ticket.accept.role", () => Ticket(t.Id).Accept(city.InspectorActor(1)));
        await Refuse.With("ticket.reject.reason", () => Ticket(t.Id).Reject(city.Supervisor, " "));
        var after = await Ticket(t.Id).Get();
        Assert.Equal(TicketStage.Reported, after.Stage);
        Assert.Single(after.History);
    }

    [Fact]
    public async Task Report_and_rectification_need_evidence()
    {
        var (city, t) = await Dispatched();
        await Refuse.With("quality.report-evidence", () => city.Report(city.Issue(1) with { Evidence = [] }, city.InspectorActor(1)));
        await Refuse.With("quality.rectification-evidence", () => Ticket(t.Id).Handle(city.Handler(city.U1), []));
        Assert.Equal(TicketStage.Dispatched, (await Ticket(t.Id).Get()).Stage);
    }

    [Fact]
    public async Task Verification_by_the_handler_is_refused()
    {
        var (city, t) = await Dispatched();
        var handler = city.Handler(city.U1);
        await Ticket(t.Id).Handle(handler, ["photo://fixed.jpg"]);

        var e = await Refuse.With("quality.verifier-is-handler", () => Ticket(t.Id).Verify(handler, true, []));
        Assert.Equal(Fix.Quality, e.Fix);
        // Even when the handler's id also holds an inspector account.
        await Refuse.With("quality.verifier-is-handler", () => Ticket(t.Id).Verify(new Actor(handler.Id, Role.Inspector, city.Community), true, []));
        // An inspector from another cell may not verify either.
        await Refuse.With("person.not-assigned", () => Ticket(t.Id).Verify(city.InspectorActor(5), true, []));
        Assert.Equal(TicketStage.Handled, (await Ticket(t.Id).Get()).Stage);
    }

    [Fact]
    public async Task A_failed_verification_counts_rework_and_goes_back_to_the_unit()
    {
        var (city, t) = await Dispatched();
        await Ticket(t.Id).Handle(city.Handler(city.U1), ["photo://fixed.jpg"]);
        await Refuse.With("ticket.verify.reason", () => Ticket(t.Id).Verify(city.InspectorActor(1), false, [], null));

        var back = await Ticket(t.Id).Verify(city.InspectorActor(1), false, ["photo://still-dirty.jpg"], "rubbish still there");
        Assert.Equal(TicketStage.Dispatched, back.Stage);
        Assert.Equal(1, back.ReworkCount);
        Assert.Equal(TicketAction.VerifyFail, back.History[^1].Action);
        Assert.Contains(t.Id, (await fixture.Grains.GetGrain<IResponsibleUnitGrain>(city.U1).GetQueue()).Keys);
    }

    [Fact]
    public async Task An_overdue_stage_escalates_by_itself()
    {
        var (city, t) = await Dispatched();
        Assert.NotNull(t.StageDeadline);

        // Nobody calls: the handling deadline (2 h for urgent C1) passes.
        ClusterFixture.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        var escalated = await ClusterFixture.Eventually(() => Ticket(t.Id).Get(), x => x.EscalationLevel > 0);
        Assert.Equal(1, escalated.EscalationLevel);
        Assert.Equal([TicketStage.Dispatched], escalated.OverdueStages);
        var line = escalated.History[^1];
        Assert.Equal((TicketAction.Escalate, Role.System), (line.Action, line.ActorRole));
        Assert.Equal(TicketStage.Dispatched, line.To);

        var district = fixture.Grains.GetGrain<IJurisdictionGrain>(city.City + "01");
        var alerts = await ClusterFixture.Eventually(() => district.GetAlerts(), a => a.Any(x => x.Kind == AlertKind.TicketOverdue));
        Assert.Contains(alerts, a => a.Kind == AlertKind.TicketOverdue && a.Subject == t.Id);
        var live = await ClusterFixture.Eventually(() => city.Cell(1).GetLiveState(), s => s.Overdue == 1);
        Assert.Equal(1, live.Overdue);

        // Handled late and closed: the closure is counted as not on time.
        await Ticket(t.Id).Handle(city.Handler(city.U1), ["photo://fixed.jpg"]);
        await Ticket(t.Id).Verify(city.InspectorActor(1), true, []);
        var closed = await Ticket(t.Id).Close(city.Supervisor);
        Assert.Equal(1, closed.EscalationLevel);
        var score = await fixture.Grains.GetGrain<IEvaluationGrain>(EvaluationKeys.Subject(SubjectKind.Unit, city.U1, EvaluationKeys.PeriodOf(ClusterFixture.LocalNow))).GetScore();
        Assert.Equal(0, score.Components.Single(c => c.Metric == Metric.OnTimeClosure).Ratio);
    }
}
