using GridGov.Grains.Infrastructure;
using System.Collections.Concurrent;
using Orleans.Streams;

namespace GridGov.Grains.Tests;

/// <summary>Event streams, the ticket index and live state.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LiveTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_districts_stream_carries_check_ins_and_ticket_transitions_in_order()
    {
        ClusterFixture.AdvanceToLocal(new TimeOnly(8, 10));
        var city = await new TestCity(fixture.Grains).Setup();
        await city.AddCell(1, primary: 1, backup: 2);
        await city.SetRoute(1, 1, city.PointId(1, 1), city.PointId(1, 2));

        var received = new ConcurrentQueue<GridEvent>();
        var stream = fixture.Cluster.Client.GetStreamProvider(GridStreams.Provider)
            .GetStream<GridEvent>(StreamId.Create(GridStreams.Namespace, city.City + "01"));
        var handle = await stream.SubscribeAsync((e, _) => { received.Enqueue(e); return Task.CompletedTask; });
        try
        {
            await city.Point(1, 1).CheckIn(new CheckIn(city.Inspector(1), (await city.Point(1, 1).Get()).Location));
            var t = await city.Report(city.Issue(1), city.InspectorActor(1));
            var ticket = fixture.Grains.GetGrain<ITicketGrain>(t.Id);
            await ticket.Accept(city.Supervisor);
            await ticket.Dispatch(city.Supervisor);
            await ticket.Handle(city.Handler(city.U1), ["photo://fixed.jpg"]);

            await ClusterFixture.Eventually(() => Task.FromResult(received.Count), n => n >= 5);
            var events = received.ToArray();
            Assert.Equal(GridEventKind.CheckIn, events[0].Kind);
            Assert.Equal("counted", events[0].Action);
            Assert.Equal(["Report", "Accept", "Dispatch", "Handle"], events.Where(e => e.Kind == GridEventKind.Ticket).Select(e => e.Action));
            Assert.Equal([TicketStage.Reported, TicketStage.Accepted, TicketStage.Dispatched, TicketStage.Handled],
                events.Where(e => e.Kind == GridEventKind.Ticket).Select(e => e.Stage!.Value));
        }
        finally
        {
            await handle.UnsubscribeAsync();
        }
    }

    [Fact]
    public async Task Ticket_search_filters_and_pages_without_gaps()
    {
        var city = await new TestCity(fixture.Grains).Setup();
        await city.AddCell(1, primary: 1);
        await city.AddCell(2, primary: 2);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(1));
            ids.Add((await city.Report(city.Issue(1 + i % 2), city.InspectorActor(1 + i % 2))).Id);
        }
        await fixture.Grains.GetGrain<ITicketGrain>(ids[0]).Accept(city.Supervisor);
        await fixture.Grains.GetGrain<ITicketGrain>(ids[1]).Reject(city.Supervisor, "duplicate call");

        var index = fixture.Grains.GetGrain<ITicketSearchGrain>(0);
        var mine = new TicketFilter(Jurisdiction: city.City);
        var all = await index.Query(mine, null, 10);
        Assert.Equal(ids.AsEnumerable().Reverse(), all.Items.Select(t => t.Id));

        var pages = new List<string>();
        string? after = null;
        for (var hasMore = true; hasMore;)
        {
            var page = await index.Query(mine, after, 2);
            pages.AddRange(page.Items.Select(t => t.Id));
            hasMore = page.HasMore;
            after = TicketCursor.Of(page.Items[^1]);
        }
        Assert.Equal(all.Items.Select(t => t.Id), pages);

        Assert.Equal([ids[0]], (await index.Query(mine with { Stages = [TicketStage.Accepted] }, null, 10)).Items.Select(t => t.Id));
        Assert.Equal(4, (await index.Query(mine with { Open = true }, null, 10)).Total);
        Assert.Equal(2, (await index.Query(new TicketFilter(Jurisdiction: city.CellCode(2)), null, 10)).Total);
        Assert.Equal(5, (await index.Query(mine with { UnitId = city.U1 }, null, 10)).Total);
        await Refuse.With("page.cursor", () => index.Query(mine, "nonsense", 2));
    }

    [Fact]
    public async Task Live_state_of_a_cell_and_its_jurisdictions_follows_patrols_and_tickets()
    {
        ClusterFixture.AdvanceToLocal(new TimeOnly(14, 10));
        var city = await new TestCity(fixture.Grains).Setup();
        await city.AddCell(1, primary: 1, backup: 2);
        await city.SetRoute(1, 1, city.PointId(1, 1), city.PointId(1, 2));
        await city.Point(1, 2).CheckIn(new CheckIn(city.Inspector(1), (await city.Point(1, 2).Get()).Location));
        var t = await city.Report(city.Issue(1), city.InspectorActor(1));
        await fixture.Grains.GetGrain<ITicketGrain>(t.Id).Accept(city.Supervisor);

        var cell = await city.Cell(1).GetLiveState();
        Assert.Equal(city.Inspector(1), cell.OnDutyInspectorId);
        Assert.Equal([city.PointId(1, 2)], cell.LastCheckInByPoint.Keys);
        Assert.Equal((1, 1), (cell.PointsDue, cell.PointsVisitedToday));
        Assert.Equal(1, cell.OpenByStage[TicketStage.Accepted]);

        var street = fixture.Grains.GetGrain<IJurisdictionGrain>(city.City + "01001");
        var state = await ClusterFixture.Eventually(() => street.GetState(),
            s => s.PointsVisitedToday == 1 && s.PointsDue == 1 && s.OpenByStage.GetValueOrDefault(TicketStage.Accepted) == 1);
        Assert.Equal((1, 1), (state.PointsVisitedToday, state.PointsDue));
        Assert.Equal(1, state.OpenByStage[TicketStage.Accepted]);
        Assert.False(state.OpenByStage.ContainsKey(TicketStage.Reported));
    }
}

/// <summary>Live changes summed per jurisdiction before they are sent.</summary>
public sealed class LiveDeltasTests
{
    [Fact]
    public void Changes_add_up_stage_by_stage_and_visits_keep_their_day()
    {
        var day = new DateOnly(2026, 11, 23);
        var a = new LiveDelta(new() { [TicketStage.Reported] = 1 }, 0, 1, day);
        var b = new LiveDelta(new() { [TicketStage.Reported] = -1, [TicketStage.Accepted] = 1 }, 1, 0, default, PointsDue: 2);
        var sum = LiveDeltas.Merge(a, b);
        Assert.Equal(new Dictionary<TicketStage, int> { [TicketStage.Reported] = 0, [TicketStage.Accepted] = 1 }, sum.OpenByStage);
        Assert.Equal((1, 1, day, 2), (sum.Overdue, sum.PointsVisitedToday, sum.Day, sum.PointsDue));
        Assert.Equal(day, LiveDeltas.Merge(b, a).Day);
    }
}
