using GridGov.Api.Tests.Api;
using GridGov.Grains;
using static GridGov.Api.Tests.Citizens.CitizenWorld;

namespace GridGov.Api.Tests.Citizens;

/// <summary>
/// 随手拍 through the API: blocking, the per-citizen rate limit, duplicates joining an open ticket, and reward points —
/// each refusal typed, and nothing changed by a refused call.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CitizenReportTests(ApiFixture api)
{
    const string ReportIssueAsCitizen = "mutation($cat:String!,$loc:GeoPointInput!){ reportIssue(category:$cat, severity:NORMAL, source:CITIZEN, location:$loc, description:\"via reportIssue\", evidence:[\"photo://r.jpg\"]){ id source reporterId } }";

    async Task<int> ReportCount(Actor citizen) =>
        (await api.Send(citizen, "{ myReports(first:200){ receiptId } }")).Field("myReports").AsArray().Count;

    async Task<int> TicketsIn(CitizenWorld w, string cell) =>
        (await api.Send(w.Supervisor, "query($j:String!){ tickets(filter:{jurisdiction:$j}){ totalCount } }", new { j = cell })).Field("tickets")["totalCount"]!.GetValue<int>();

    [Fact]
    public async Task A_blocked_citizen_is_refused_and_nothing_changes_until_unblocked()
    {
        var w = CitizenWorld.Of(api);
        var category = await w.NewCategory();
        var cell = await w.NewCell(category);
        var citizen = await w.NewCitizen("cz-block-a", "Zhao Lei", "13800138010");
        await w.Submitted(citizen, category, cell.Center);
        await Eventually(() => TicketsIn(w, cell.Code), n => n == 1);
        const string block = "mutation($id:String!){ blockCitizen(citizenId:$id, reason:\"fake photos\"){ id blocked blockedReason blockedBy } }";

        // Only supervisors of the citizen's city block: not inspectors, handlers, platforms, citizens, or another city's supervisor.
        foreach (var refused in new[] { cell.Inspector(w), w.Handler, w.Platform, citizen, Citizen("cz-block-b"), new Actor("cz-sup-1302", Role.Supervisor, "1302") })
            (await api.Send(refused, block, new { id = "cz-block-a" })).Refused("FORBIDDEN");
        (await api.Send(null, block, new { id = "cz-block-a" })).Refused("UNAUTHENTICATED");
        (await api.Send(w.Supervisor, block, new { id = "cz-block-nobody" })).Refused("NOT_FOUND");
        (await api.Send(w.Supervisor, "mutation{ blockCitizen(citizenId:\"cz-block-a\", reason:\" \"){ id } }")).Refused("VALIDATION", "citizen.block.reason");
        Assert.False((await api.Grains.GetGrain<ICitizenGrain>("cz-block-a").Get()).Blocked);

        var blocked = (await api.Send(w.Supervisor, block, new { id = "cz-block-a" })).Field("blockCitizen");
        Assert.Equal((true, "fake photos", "cz-sup-district"), (blocked["blocked"]!.GetValue<bool>(), S(blocked["blockedReason"]), S(blocked["blockedBy"])));

        // Refused by both doors, with nothing kept: no receipt, no ticket, no duplicate attachment.
        var reports = await ReportCount(citizen);
        var elsewhere = North(cell.Center, 60);
        var refusal = (await w.Submit(citizen, category, elsewhere)).Refused("FORBIDDEN", "citizen.blocked");
        Assert.Contains("fake photos", refusal.Errors[0]!["message"]!.GetValue<string>());
        (await w.Submit(citizen, category, cell.Center)).Refused("FORBIDDEN", "citizen.blocked");
        (await api.Send(citizen, ReportIssueAsCitizen, new { cat = category, loc = new { lat = elsewhere.Lat, lon = elsewhere.Lon } })).Refused("FORBIDDEN", "citizen.blocked");
        await Task.Delay(200);
        Assert.Equal(reports, await ReportCount(citizen));
        Assert.Equal(1, await TicketsIn(w, cell.Code));
        var ticketId = S((await api.Send(citizen, "{ myReports(first:1){ ticketId } }")).Field("myReports")[0]!["ticketId"]);
        Assert.Empty((await api.Grains.GetGrain<ITicketGrain>(ticketId).Get()).Attachments);

        // Another district's supervisor of the same city may unblock; the citizen reports again.
        var unblocked = (await api.Send(w.OtherDistrictSupervisor, "mutation{ unblockCitizen(citizenId:\"cz-block-a\"){ blocked blockedReason } }")).Field("unblockCitizen");
        Assert.False(unblocked["blocked"]!.GetValue<bool>());
        Assert.Null(unblocked["blockedReason"]);
        var accepted = await w.Submitted(citizen, category, elsewhere);
        Assert.False(accepted["duplicate"]!.GetValue<bool>());
        Assert.Equal(reports + 1, await ReportCount(citizen));
    }

    [Fact]
    public async Task The_rate_limit_refuses_the_next_report_until_an_hour_has_passed()
    {
        var w = CitizenWorld.Of(api);
        var city = api.Grains.GetGrain<ICityGrain>(w.City);
        var original = await city.GetSettings();
        await city.Configure(original with { CitizenReportsPerHour = 2 });
        try
        {
            var category = await w.NewCategory();
            var cell = await w.NewCell(category);
            var citizen = await w.NewCitizen("cz-rate-a", "Sun Li", "13800138020");
            Assert.Equal(2, (await api.Send(citizen, "query($c:String!){ city(code:$c){ citizenReportsPerHour } }", new { c = w.City })).Field("city")["citizenReportsPerHour"]!.GetValue<int>());

            // Two reports, far enough apart not to be duplicates, are accepted.
            await w.Submitted(citizen, category, North(cell.Center, -80));
            await w.Submitted(citizen, category, North(cell.Center, 0));
            var reports = await ReportCount(citizen);

            // The third is refused, naming when the next one is allowed; the reportIssue door is held to the same limit.
            var refused = (await w.Submit(citizen, category, North(cell.Center, 80))).Refused("RULE_VIOLATION", "citizen.rate-limit");
            Assert.Contains("allowed from", refused.Errors[0]!["message"]!.GetValue<string>());
            var far = North(cell.Center, 80);
            (await api.Send(citizen, ReportIssueAsCitizen, new { cat = category, loc = new { lat = far.Lat, lon = far.Lon } })).Refused("RULE_VIOLATION", "citizen.rate-limit");
            Assert.Equal(reports, await ReportCount(citizen));

            // An hour later it is accepted (here through reportIssue, which returns the ticket, masked for nobody but the reporter).
            api.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
            var ticket = (await api.Send(citizen, ReportIssueAsCitizen, new { cat = category, loc = new { lat = far.Lat, lon = far.Lon } })).Field("reportIssue");
            Assert.Equal(("CITIZEN", "cz-rate-a"), (S(ticket["source"]), S(ticket["reporterId"])));
            Assert.Equal(reports + 1, await ReportCount(citizen));
        }
        finally
        {
            await city.Configure(original);
        }
    }

    [Fact]
    public async Task Reports_within_the_radius_and_window_join_the_open_ticket()
    {
        var w = CitizenWorld.Of(api);
        var category = await w.NewCategory(radius: 30, windowHours: 24);
        var cell = await w.NewCell(category);
        var first = await w.NewCitizen("cz-dup-a", "Zhou Jie", "13800138030");
        var second = await w.NewCitizen("cz-dup-b", "Wu Hao", "13800138031");
        var third = await w.NewCitizen("cz-dup-c", "Zheng Yu", "13800138032");

        var original = await w.Submitted(first, category, cell.Center);
        var id = S(original["ticketId"]);

        // Same category 25 m away: the same ticket, marked duplicate, with the distance.
        var near = await w.Submitted(second, category, North(cell.Center, 25));
        Assert.Equal((true, id), (near["duplicate"]!.GetValue<bool>(), S(near["ticketId"])));
        Assert.InRange(near["distanceMeters"]!.GetValue<double>(), 23, 27);
        Assert.Equal(1, near["ticket"]!["duplicateReports"]!.GetValue<int>());

        // 40 m away: a new ticket.
        var away = await w.Submitted(third, category, North(cell.Center, -40));
        Assert.False(away["duplicate"]!.GetValue<bool>());
        Assert.NotEqual(id, S(away["ticketId"]));

        // 25 hours later, at the very same spot: outside the window, a new ticket.
        api.Clock.Advance(TimeSpan.FromHours(25));
        var later = await w.Submitted(second, category, cell.Center);
        Assert.False(later["duplicate"]!.GetValue<bool>());
        Assert.NotEqual(id, S(later["ticketId"]));
        Assert.NotEqual(S(away["ticketId"]), S(later["ticketId"]));

        // The second citizen's receipts: newest first, the duplicate pointing at the first ticket.
        var receipts = (await api.Send(second, "{ myReports { ticketId duplicate } }")).Field("myReports").AsArray();
        Assert.Equal([(S(later["ticketId"]), false), (id, true)], receipts.Select(r => (S(r!["ticketId"]), r!["duplicate"]!.GetValue<bool>())));
    }

    [Fact]
    public async Task Accepted_reports_earn_the_category_points_once_and_redemptions_debit_once()
    {
        var w = CitizenWorld.Of(api);
        var category = await w.NewCategory(reward: 7);
        var cell = await w.NewCell(category);
        var citizen = await w.NewCitizen("cz-rew-a", "Qian Bo", "13800138040");
        var duplicate = await w.NewCitizen("cz-rew-b", "Feng Yi", "13800138041");
        var ticket = S((await w.Submitted(citizen, category, cell.Center))["ticketId"]);
        Assert.True((await w.Submitted(duplicate, category, North(cell.Center, 5)))["duplicate"]!.GetValue<bool>());
        Assert.Equal(0, (await w.Points(citizen))["balance"]!.GetValue<int>());

        // Accepted: the reporter earns the category's points, once.
        (await api.Send(w.Supervisor, "mutation($id:String!){ acceptTicket(id:$id){ stage } }", new { id = ticket })).Field("acceptTicket");
        var ledger = await Eventually(() => w.Points(citizen), l => l["balance"]!.GetValue<int>() > 0);
        Assert.Equal(("cz-rew-a", 7, 7, 0), (S(ledger["citizenId"]), ledger["balance"]!.GetValue<int>(), ledger["earned"]!.GetValue<int>(), ledger["redeemed"]!.GetValue<int>()));
        var credit = Assert.Single(ledger["entries"]!.AsArray())!;
        Assert.Equal(("CREDIT", 7, 7), (S(credit["kind"]), credit["points"]!.GetValue<int>(), credit["balanceAfter"]!.GetValue<int>()));
        Assert.Contains(ticket, S(credit["reference"]));
        (await api.Send(w.Supervisor, "mutation($id:String!){ acceptTicket(id:$id){ stage } }", new { id = ticket })).Refused("RULE_VIOLATION");
        await Task.Delay(200);
        Assert.Single((await w.Points(citizen))["entries"]!.AsArray());

        // The duplicate's reporter earns nothing; a rejected report earns nothing.
        Assert.Equal(0, (await w.Points(duplicate))["balance"]!.GetValue<int>());
        Assert.Empty((await w.Points(duplicate))["entries"]!.AsArray());
        var rejected = S((await w.Submitted(citizen, category, North(cell.Center, 80)))["ticketId"]);
        (await api.Send(w.Supervisor, "mutation($id:String!){ rejectTicket(id:$id, reason:\"not a problem\"){ stage } }", new { id = rejected })).Field("rejectTicket");
        await Task.Delay(200);
        Assert.Equal(7, (await w.Points(citizen))["balance"]!.GetValue<int>());
        Assert.Single((await w.Points(citizen))["entries"]!.AsArray());

        // Redeeming more than the balance is refused and changes nothing.
        const string redeem = "mutation($r:String!,$p:Int!){ redeemPoints(redemptionId:$r, points:$p, item:\"bus card\"){ seq kind points balanceAfter reference } }";
        (await api.Send(citizen, redeem, new { r = "cz-redeem-big", p = 8 })).Refused("RULE_VIOLATION", "reward.overdraw");
        Assert.Equal((7, 1), ((await w.Points(citizen))["balance"]!.GetValue<int>(), (await w.Points(citizen))["entries"]!.AsArray().Count));

        // A redemption retried with the same id returns the same entry and debits once.
        var debit = (await api.Send(citizen, redeem, new { r = "cz-redeem-1", p = 5 })).Field("redeemPoints");
        Assert.Equal(("DEBIT", 5, 2), (S(debit["kind"]), debit["points"]!.GetValue<int>(), debit["balanceAfter"]!.GetValue<int>()));
        var retry = (await api.Send(citizen, redeem, new { r = "cz-redeem-1", p = 5 })).Field("redeemPoints");
        Assert.Equal(debit.ToJsonString(), retry.ToJsonString());
        var after = await w.Points(citizen);
        Assert.Equal((2, 7, 5, 2), (after["balance"]!.GetValue<int>(), after["earned"]!.GetValue<int>(), after["redeemed"]!.GetValue<int>(), after["entries"]!.AsArray().Count));

        // Points are the citizen's own: other roles have no points to read or spend.
        (await api.Send(w.Supervisor, "{ myPoints { balance } }")).Refused("FORBIDDEN");
        (await api.Send(w.Platform, redeem, new { r = "cz-redeem-2", p = 1 })).Refused("FORBIDDEN");
    }
}
