using GridGov.Grains.Infrastructure;

namespace GridGov.Grains.Tests;

/// <summary>随手拍 on the test cluster: duplicates, rewards paid exactly once, redemption, blocking and the rate limit.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CitizenTests(ClusterFixture fixture)
{
    static int _next;

    ITicketGrain Ticket(string id) => fixture.Grains.GetGrain<ITicketGrain>(id);
    IRewardLedgerGrain Ledger(string citizen) => fixture.Grains.GetGrain<IRewardLedgerGrain>(citizen);

    async Task<TestCity> City(int cells = 2)
    {
        var city = await new TestCity(fixture.Grains).Setup();
        await city.Catalog.DefineCategory(new Category("C1", "暴露垃圾 exposed rubbish", RewardPoints: 15));
        for (var i = 1; i <= cells; i++) await city.AddCell(i, primary: i);
        return city;
    }

    async Task<ICitizenGrain> Citizen(TestCity city)
    {
        var id = $"cit-{city.City}-{Interlocked.Increment(ref _next)}";
        var grain = fixture.Grains.GetGrain<ICitizenGrain>(id);
        await grain.Register(new RegisterCitizen($"Resident {id}", "13800000000", $"{id}@example.cn"), new Actor(id, Role.Citizen, city.City));
        return grain;
    }

    /// <summary>A position <paramref name="meters"/> north of the middle of cell 1 (or of <paramref name="from"/>).</summary>
    static GeoPoint North(double meters, GeoPoint? from = null)
    {
        var p = from ?? TestCity.Inside(1);
        return p with { Lat = p.Lat + meters / 111_195.0 };
    }

    static CitizenReport Report(GeoPoint at, string category = "C1") =>
        new(category, at, "Rubbish piled by the kerb", ["photo://citizen.jpg"], "1 Kerb Lane");

    [Fact]
    public async Task A_report_within_30_m_and_24_h_of_an_open_ticket_attaches_to_it_and_the_reporter_is_told_which()
    {
        var city = await City();
        var (first, second, third) = (await Citizen(city), await Citizen(city), await Citizen(city));
        var opened = await first.Submit(Report(North(0)));
        Assert.False(opened.Duplicate);
        var openTickets = (await city.Cell(1).Get()).OpenTickets;

        var dup = await second.Submit(Report(North(20)));
        Assert.True(dup.Duplicate);
        Assert.Equal(opened.TicketId, dup.TicketId);
        Assert.InRange(dup.DistanceMeters, 19.5, 20.5);
        Assert.Equal(openTickets, (await city.Cell(1).Get()).OpenTickets);
        var ticket = await Ticket(opened.TicketId).Get();
        var attached = Assert.Single(ticket.Attachments);
        Assert.Equal((dup.ReceiptId, second.GetPrimaryKeyString()), (attached.ReceiptId, attached.ReporterId));
        Assert.Equal(dup, await fixture.Grains.GetGrain<IReportReceiptGrain>(dup.ReceiptId).Get());
        Assert.Equal(dup, (await second.GetReports())[0]);

        // 40 m away, or another category: a new ticket.
        var far = await third.Submit(Report(North(40)));
        Assert.False(far.Duplicate);
        Assert.NotEqual(opened.TicketId, far.TicketId);
        Assert.False((await third.Submit(Report(North(5), "C2"))).Duplicate);
    }

    [Fact]
    public async Task After_24_h_or_once_the_ticket_is_closed_a_report_opens_a_new_ticket()
    {
        var city = await City();
        var (a, b) = (await Citizen(city), await Citizen(city));
        var at = North(0, TestCity.Inside(1, 0.2, 0.8));
        var first = await a.Submit(Report(at));
        ClusterFixture.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        var late = await b.Submit(Report(at));
        Assert.False(late.Duplicate);

        // The supervisor rejects the late one; a report at the same place now joins the first (still open, but > 24 h old: no).
        await Ticket(late.TicketId).Reject(city.Supervisor, "duplicate of an older report");
        var again = await b.Submit(Report(at));
        Assert.False(again.Duplicate);
        Assert.NotEqual(first.TicketId, again.TicketId);
        Assert.NotEqual(late.TicketId, again.TicketId);
    }

    [Fact]
    public async Task A_duplicate_across_a_cell_border_attaches_to_the_neighbour_cells_ticket()
    {
        var city = await City();
        var (a, b) = (await Citizen(city), await Citizen(city));
        // Cell 1's east edge is at lon 114.51; 0.0001° of longitude ≈ 8.8 m at 38° N.
        var west = new GeoPoint(TestCity.Lat + 0.005, 114.5099);
        var east = new GeoPoint(TestCity.Lat + 0.005, 114.5101);
        var first = await a.Submit(Report(west));
        Assert.StartsWith(city.CellCode(1), first.TicketId);
        var dup = await b.Submit(Report(east));
        Assert.True(dup.Duplicate);
        Assert.Equal(first.TicketId, dup.TicketId);
        Assert.Equal(0, (await city.Cell(2).Get()).OpenTickets);
    }

    [Fact]
    public async Task An_accepted_report_pays_its_reporter_once_however_often_and_concurrently_acceptance_is_tried()
    {
        var city = await City();
        var (reporter, duplicate) = (await Citizen(city), await Citizen(city));
        var receipt = await reporter.Submit(Report(North(0)));
        await duplicate.Submit(Report(North(10)));

        var attempts = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            try { await Ticket(receipt.TicketId).Accept(city.Supervisor); return true; }
            catch (GridGovException e) when (e.Rule == "ticket.accept") { return false; }
        })).ToArray();
        Assert.Equal(1, (await Task.WhenAll(attempts)).Count(ok => ok));
        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Ticket(receipt.TicketId).DeliverReward()));
        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Ledger(reporter.GetPrimaryKeyString()).Credit($"ticket:{receipt.TicketId}", 15, "retry")));

        var ledger = await Ledger(reporter.GetPrimaryKeyString()).Get();
        var entry = Assert.Single(ledger.Entries);
        Assert.Equal((15, 15, LedgerKind.Credit, $"ticket:{receipt.TicketId}"), (ledger.Balance, entry.Points, entry.Kind, entry.Reference));
        Assert.Empty((await Ledger(duplicate.GetPrimaryKeyString()).Get()).Entries);
        // The same reference asking for another amount is a conflict, not a second credit.
        await Refuse.With("reward.reference", () => Ledger(reporter.GetPrimaryKeyString()).Credit($"ticket:{receipt.TicketId}", 99, "forged"));
        Assert.Equal(15, (await Ledger(reporter.GetPrimaryKeyString()).Get()).Balance);
    }

    [Fact]
    public async Task Rejected_merged_and_non_citizen_reports_earn_nothing()
    {
        var city = await City();
        var (a, b) = (await Citizen(city), await Citizen(city));
        var rejected = await a.Submit(Report(TestCity.Inside(1, 0.1, 0.1)));
        await Ticket(rejected.TicketId).Reject(city.Supervisor, "not a real problem");
        var merged = await b.Submit(Report(TestCity.Inside(1, 0.9, 0.1)));
        var target = await b.Submit(Report(TestCity.Inside(1, 0.9, 0.3)));
        await Ticket(merged.TicketId).MergeInto(target.TicketId, city.Supervisor);
        Assert.Empty((await Ledger(a.GetPrimaryKeyString()).Get()).Entries);
        Assert.Empty((await Ledger(b.GetPrimaryKeyString()).Get()).Entries);

        var byInspector = await city.Report(city.Issue(2), city.InspectorActor(2));
        await Ticket(byInspector.Id).Accept(city.Supervisor);
        Assert.Empty((await Ledger(city.Inspector(2)).Get()).Entries);
    }

    [Fact]
    public async Task Redemption_never_overdraws_even_when_redemptions_race()
    {
        var city = await City();
        var citizen = (await Citizen(city)).GetPrimaryKeyString();
        await Ledger(citizen).Credit("grant:1", 100, "welcome");
        await Refuse.With("reward.overdraw", () => Ledger(citizen).Redeem("x", 101, "bus card"));
        Assert.Equal(100, (await Ledger(citizen).Get()).Balance);

        var races = Enumerable.Range(0, 12).Select(i => Task.Run(async () =>
        {
            try { await Ledger(citizen).Redeem($"race-{i}", 30, "park ticket"); return true; }
            catch (GridGovException e) when (e.Rule == "reward.overdraw") { return false; }
        })).ToArray();
        Assert.Equal(3, (await Task.WhenAll(races)).Count(ok => ok));
        var ledger = await Ledger(citizen).Get();
        Assert.Equal((10, 100, 90), (ledger.Balance, ledger.Earned, ledger.Redeemed));
        Assert.All(ledger.Entries, e => Assert.True(e.BalanceAfter >= 0));

        // A retried redemption is the same redemption.
        var first = await Ledger(citizen).Redeem("once", 10, "tea");
        Assert.Equal(first, await Ledger(citizen).Redeem("once", 10, "tea"));
        Assert.Equal(0, (await Ledger(citizen).Get()).Balance);
        await Refuse.With("reward.points", () => Ledger(citizen).Redeem("neg", -5, "refund"));
    }

    [Fact]
    public async Task A_blocked_citizen_is_refused_and_nothing_changes_until_unblocked()
    {
        var city = await City();
        var citizen = await Citizen(city);
        await Refuse.With("citizen.block.role", () => citizen.Block("spam", new Actor("p", Role.Platform, city.City)));
        await Refuse.With("citizen.block.jurisdiction", () => citizen.Block("spam", new Actor("s", Role.Supervisor, "9999")));
        await citizen.Block("repeated fake reports", city.Supervisor);

        var open = (await city.Cell(1).Get()).OpenTickets;
        var e = await Refuse.With("citizen.blocked", () => citizen.Submit(Report(North(0))));
        Assert.Equal(ErrorCodes.Forbidden, e.Code);
        Assert.Contains("repeated fake reports", e.Message);
        Assert.Equal(open, (await city.Cell(1).Get()).OpenTickets);
        Assert.Empty(await citizen.GetReports());

        await citizen.Unblock(city.Supervisor);
        Assert.False((await citizen.Submit(Report(North(0)))).Duplicate);
    }

    [Fact]
    public async Task The_rate_limit_refuses_the_report_over_the_limit_until_the_hour_has_passed()
    {
        var city = await City();
        await city.CityGrain.Configure((await city.CityGrain.GetSettings()) with { CitizenReportsPerHour = 2, CitizenReportsPerDay = 3 });
        var citizen = await Citizen(city);
        await citizen.Submit(Report(TestCity.Inside(1, 0.1, 0.5)));
        await citizen.Submit(Report(TestCity.Inside(1, 0.3, 0.5)));
        var e = await Refuse.With("citizen.rate-limit", () => citizen.Submit(Report(TestCity.Inside(1, 0.5, 0.5))));
        Assert.Contains("2 reports per hour", e.Message);
        Assert.Equal(2, (await citizen.GetReports()).Length);

        ClusterFixture.Clock.Advance(TimeSpan.FromHours(1));
        await citizen.Submit(Report(TestCity.Inside(1, 0.5, 0.5)));
        await Refuse.With("citizen.rate-limit", () => citizen.Submit(Report(TestCity.Inside(1, 0.7, 0.5))));
    }

    [Fact]
    public async Task Unregistered_citizens_cannot_report_and_events_never_carry_a_citizens_id()
    {
        var city = await City();
        await Refuse.With("citizen.not-registered", () => fixture.Grains.GetGrain<ICitizenGrain>($"ghost-{city.City}").Submit(Report(North(0))));
        var citizen = await Citizen(city);
        var receipt = await citizen.Submit(Report(North(0)));
        await Ticket(receipt.TicketId).Accept(city.Supervisor);

        var journal = fixture.SiloService<IEventJournal>();
        var lines = await journal.Read(receipt.TicketId);
        Assert.Equal(["Report", "Accept"], lines.Select(l => l.Action));
        Assert.Equal("citizen", lines[0].ActorId);
        Assert.DoesNotContain(lines, l => l.ActorId == citizen.GetPrimaryKeyString() || l.Detail.Contains(citizen.GetPrimaryKeyString()));
        Assert.Equal(citizen.GetPrimaryKeyString(), (await Ticket(receipt.TicketId).Get()).ReporterId);
    }
}
