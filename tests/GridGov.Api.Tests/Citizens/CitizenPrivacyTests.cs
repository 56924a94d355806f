using System.Text.Json.Nodes;
using GridGov.Api.Tests.Api;
using GridGov.Api.Tests.Transport;
using static GridGov.Api.Tests.Citizens.CitizenWorld;

namespace GridGov.Api.Tests.Citizens;

/// <summary>
/// 随手拍 privacy through the API, field by field and role by role: a citizen's id, name and contact reach supervisors
/// over the ticket (and the citizen their own id); everyone else who may read the ticket sees "citizen" and no profile,
/// the public view carries no names at all, and events and the journal never carry a citizen's id.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CitizenPrivacyTests(ApiFixture api)
{
    const string TicketQuery = "query($id:String!){ ticket(id:$id){ id source reporterId reporter { id name phone email } history { actorId actorRole action } attachments { reporterId reporterRole distanceMeters description evidence } } }";
    const string PublicQuery = "query($id:String!){ publicTicket(id:$id){ id category description address source stage isOpen reportEvidence duplicateReports history { action from to } result { summary evidence } } }";

    [Fact]
    public async Task Who_sees_the_citizen_reporter_field_by_field()
    {
        var w = CitizenWorld.Of(api);
        var category = await w.NewCategory();
        var cell = await w.NewCell(category);
        var reporter = await w.NewCitizen("cz-priv-a", "Li Lei", "+86 138 0013 8001", "lilei@example.cn");
        var second = await w.NewCitizen("cz-priv-b", "Han Meimei", "+86 138 0013 8002");

        // A platform watches the cell's events; the report and its transitions must not carry the citizen's id.
        var wsUri = new UriBuilder(api.BaseAddress) { Scheme = "ws", Path = "/graphql" }.Uri;
        await using var ws = await WsTestClient.ConnectAndInitAsync(wsUri, new { Authorization = "Bearer " + api.Token(w.Platform) });
        await ws.SubscribeAsync("events", "subscription($j:String!){ gridEvents(jurisdiction:$j, kinds:[TICKET]){ action subject actorId detail } }", new { j = cell.Code });
        await Task.Delay(300);

        // The citizen files a report; a second citizen's report of the same problem 12 m away joins it.
        var receipt = await w.Submitted(reporter, category, cell.Center, "Pothole at the school gate", "No. 5 School Road");
        Assert.False(receipt["duplicate"]!.GetValue<bool>());
        var id = S(receipt["ticketId"]);
        Assert.Equal(id, S(receipt["ticket"]!["id"]));
        Assert.Equal("CITIZEN", S(receipt["ticket"]!["source"]));
        var joined = await w.Submitted(second, category, North(cell.Center, 12), "Same pothole");
        Assert.True(joined["duplicate"]!.GetValue<bool>());
        Assert.Equal(id, S(joined["ticketId"]));
        Assert.InRange(joined["distanceMeters"]!.GetValue<double>(), 10, 14);

        // Supervisors see it waiting in their queue of citizen reports; nobody else has the queue.
        var queue = (await api.Send(w.Supervisor, "query($j:String!){ citizenReportQueue(jurisdiction:$j, first:10){ totalCount edges { cursor node { id source stage } } } }", new { j = cell.Code }))
            .Field("citizenReportQueue");
        var node = Assert.Single(queue["edges"]!.AsArray())!["node"]!;
        Assert.Equal((id, "CITIZEN", "REPORTED"), (S(node["id"]), S(node["source"]), S(node["stage"])));
        foreach (var other in new[] { w.OtherDistrictSupervisor, w.Platform, cell.Inspector(w), reporter })
            (await api.Send(other, "query($j:String!){ citizenReportQueue(jurisdiction:$j){ totalCount } }", new { j = cell.Code })).Refused("FORBIDDEN");

        // The supervisor accepts and dispatches it (the mutation's ticket shows the supervisor everything), so the unit's handler may read it.
        var accepted = (await api.Send(w.Supervisor, "mutation($id:String!){ acceptTicket(id:$id){ reporterId reporter { name } history { actorId } } }", new { id })).Field("acceptTicket");
        Assert.Equal(("cz-priv-a", "Li Lei", "cz-priv-a"), (S(accepted["reporterId"]), S(accepted["reporter"]!["name"]), S(accepted["history"]![0]!["actorId"])));
        (await api.Send(w.Supervisor, "mutation($id:String!){ dispatchTicket(id:$id){ stage } }", new { id })).Field("dispatchTicket");

        // Supervisors over the cell: everything.
        foreach (var supervisor in new[] { w.Supervisor, w.CitySupervisor })
        {
            var t = (await api.Send(supervisor, TicketQuery, new { id })).Field("ticket");
            Assert.Equal("cz-priv-a", S(t["reporterId"]));
            Assert.Equal(("cz-priv-a", "Li Lei", "+86 138 0013 8001", "lilei@example.cn"),
                (S(t["reporter"]!["id"]), S(t["reporter"]!["name"]), S(t["reporter"]!["phone"]), S(t["reporter"]!["email"])));
            Assert.Equal("cz-priv-a", S(t["history"]![0]!["actorId"]));
            var attachment = Assert.Single(t["attachments"]!.AsArray())!;
            Assert.Equal(("cz-priv-b", "CITIZEN", "Same pothole"), (S(attachment["reporterId"]), S(attachment["reporterRole"]), S(attachment["description"])));
        }

        // A supervisor of another district and a citizen who did not report it: refused, no data.
        foreach (var refused in new[] { w.OtherDistrictSupervisor, second })
        {
            var r = (await api.Send(refused, TicketQuery, new { id })).Refused("FORBIDDEN");
            Assert.True(r.Data?["ticket"] is null);
        }

        // Inspector of the cell, handler of the unit, platform of the city: the ticket, with every citizen masked.
        foreach (var masked in new[] { cell.Inspector(w), w.Handler, w.Platform })
        {
            var response = await api.Send(masked, TicketQuery, new { id });
            var t = response.Field("ticket");
            Assert.Equal("citizen", S(t["reporterId"]));
            Assert.Null(t["reporter"]);
            Assert.Equal("citizen", S(t["history"]![0]!["actorId"]));
            Assert.Equal("CITIZEN", S(t["history"]![0]!["actorRole"]));
            Assert.Equal(["citizen", "cz-sup-district", "cz-sup-district"], t["history"]!.AsArray().Select(h => S(h!["actorId"])));
            Assert.Equal("citizen", S(Assert.Single(t["attachments"]!.AsArray())!["reporterId"]));
            AssertNoCitizen(response);
        }

        // The reporting citizen: their own id, the other citizen masked, no profile through the ticket.
        {
            var response = await api.Send(reporter, TicketQuery, new { id });
            var t = response.Field("ticket");
            Assert.Equal("cz-priv-a", S(t["reporterId"]));
            Assert.Null(t["reporter"]);
            Assert.Equal("cz-priv-a", S(t["history"]![0]!["actorId"]));
            Assert.Equal("citizen", S(Assert.Single(t["attachments"]!.AsArray())!["reporterId"]));
            Assert.DoesNotContain("cz-priv-b", response.Body.ToJsonString());
            Assert.DoesNotContain("Li Lei", response.Body.ToJsonString());
        }

        // The public view: for any signed-in caller, citizens and other districts included; never a name.
        foreach (var anyone in new[] { w.Supervisor, w.OtherDistrictSupervisor, cell.Inspector(w), w.Handler, w.Platform, reporter, second, Citizen("cz-priv-stranger") })
        {
            var response = await api.Send(anyone, PublicQuery, new { id });
            var p = response.Field("publicTicket");
            Assert.Equal((id, "DISPATCHED", true, 1, "No. 5 School Road"), (S(p["id"]), S(p["stage"]), p["isOpen"]!.GetValue<bool>(), p["duplicateReports"]!.GetValue<int>(), S(p["address"])));
            Assert.Equal(["REPORT", "ACCEPT", "DISPATCH"], p["history"]!.AsArray().Select(h => S(h!["action"])));
            AssertNoCitizen(response);
            Assert.DoesNotContain("cz-sup-district", response.Body.ToJsonString());
        }
        (await api.Send(null, PublicQuery, new { id })).Refused("UNAUTHENTICATED");
        (await api.Send(reporter, PublicQuery, new { id = "no-such-ticket" })).Refused("NOT_FOUND");

        // Lists and the batch loader behind them, the handler's queue, and a mutation's returned ticket: masked as well.
        var listed = await api.Send(w.Platform, "query($j:String!){ tickets(filter:{jurisdiction:$j, source:CITIZEN}){ edges { node { id source ticket { reporterId history { actorId } attachments { reporterId } } } } } }", new { j = cell.Code });
        var linked = Assert.Single(listed.Field("tickets")["edges"]!.AsArray())!["node"]!["ticket"]!;
        Assert.Equal("citizen", S(linked["reporterId"]));
        AssertNoCitizen(listed);
        var supervisorList = await api.Send(w.Supervisor, "query($j:String!){ tickets(filter:{jurisdiction:$j}){ edges { node { ticket { reporterId reporter { phone } } } } } }", new { j = cell.Code });
        Assert.Equal("+86 138 0013 8001", S(Assert.Single(supervisorList.Field("tickets")["edges"]!.AsArray())!["node"]!["ticket"]!["reporter"]!["phone"]));
        var queueOfUnit = await api.Send(w.Handler, "{ unitTickets { id reporterId reporter { name } history { actorId } attachments { reporterId } } }");
        Assert.Contains(queueOfUnit.Field("unitTickets").AsArray(), t => S(t!["id"]) == id && S(t["reporterId"]) == "citizen");
        AssertNoCitizen(queueOfUnit);
        var handled = await api.Send(w.Handler, "mutation($id:String!){ handleTicket(id:$id, evidence:[\"photo://fixed.jpg\"]){ stage reporterId reporter { name } history { actorId } attachments { reporterId } } }", new { id });
        Assert.Equal(("HANDLED", "citizen"), (S(handled.Field("handleTicket")["stage"]), S(handled.Field("handleTicket")["reporterId"])));
        AssertNoCitizen(handled);

        // The citizen's own receipts show the public view, with the result's evidence once handled.
        var mine = (await api.Send(reporter, "{ myReports(first:5){ ticketId duplicate ticket { stage result { summary evidence } } } }")).Field("myReports").AsArray();
        var own = Assert.Single(mine)!;
        Assert.Equal((id, false, "HANDLED"), (S(own["ticketId"]), own["duplicate"]!.GetValue<bool>(), S(own["ticket"]!["stage"])));
        Assert.Equal(["photo://fixed.jpg"], own["ticket"]!["result"]!["evidence"]!.AsArray().Select(S));

        // The journal and the live events say "citizen" for citizen actions.
        var journal = await api.Send(w.Platform, "query($id:String!){ ticketJournal(id:$id){ action actorId detail } }", new { id });
        Assert.Equal("citizen", S(journal.Field("ticketJournal").AsArray().First(l => S(l!["action"]) == "Report")!["actorId"]));
        AssertNoCitizen(journal);
        var events = new List<JsonNode>();
        while (events.Count < 4)
        {
            var message = await ws.ReceiveAsync(TimeSpan.FromSeconds(10));
            Assert.Equal("next", message.GetProperty("type").GetString());
            events.Add(JsonNode.Parse(message.GetProperty("payload").GetProperty("data").GetProperty("gridEvents").GetRawText())!);
        }
        Assert.Equal(["Report", "Accept", "Dispatch", "Handle"], events.Select(e => S(e["action"])));
        Assert.Equal("citizen", S(events[0]["actorId"]));
        Assert.DoesNotContain(events, e => e.ToJsonString().Contains("cz-priv", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Citizen_profiles_are_for_supervisors_of_their_city_and_the_citizen()
    {
        var w = CitizenWorld.Of(api);
        var citizen = await w.NewCitizen("cz-prof-a", "Wang Fang", "13800138003", "wf@example.cn");
        const string query = "query($id:String!){ citizen(id:$id){ id city name phone email blocked } }";

        var mine = (await api.Send(citizen, "{ myCitizenProfile { id name phone email blocked } }")).Field("myCitizenProfile");
        Assert.Equal(("cz-prof-a", "13800138003"), (S(mine["id"]), S(mine["phone"])));
        Assert.Null((await api.Send(Citizen("cz-prof-never"), "{ myCitizenProfile { id } }")).Field("myCitizenProfile"));

        foreach (var supervisor in new[] { w.Supervisor, w.OtherDistrictSupervisor, w.CitySupervisor })
            Assert.Equal("Wang Fang", S((await api.Send(supervisor, query, new { id = "cz-prof-a" })).Field("citizen")["name"]));
        (await api.Send(new Actor("cz-sup-elsewhere", Role.Supervisor, "1302"), query, new { id = "cz-prof-a" })).Refused("FORBIDDEN");
        foreach (var refused in new[] { w.Platform, w.Handler, citizen, Citizen("cz-prof-b") })
            (await api.Send(refused, query, new { id = "cz-prof-a" })).Refused("FORBIDDEN");
        (await api.Send(w.Supervisor, query, new { id = "cz-prof-nobody" })).Refused("NOT_FOUND");
        (await api.Send(null, query, new { id = "cz-prof-a" })).Refused("UNAUTHENTICATED");

        // Registration is validated by the rules; other roles have no citizen account to register.
        (await api.Send(Citizen("cz-prof-bad"), "mutation{ registerCitizen(name:\"X\", phone:\"not a phone\"){ id } }")).Refused("VALIDATION", "citizen.phone");
        (await api.Send(w.Platform, "mutation{ registerCitizen(name:\"X\", phone:\"13800138000\"){ id } }")).Refused("FORBIDDEN");
        (await api.Send(Citizen("cz-prof-unregistered"), "mutation($loc:GeoPointInput!){ submitCitizenReport(category:\"X\", location:$loc, description:\"d\", evidence:[\"photo://x\"]){ receiptId } }",
            new { loc = new { lat = 0.0, lon = 0.0 } })).Refused("FORBIDDEN", "citizen.not-registered");

        // City settings show the citizen rate limits.
        var settings = (await api.Send(w.Supervisor, "query($c:String!){ city(code:$c){ citizenReportsPerHour citizenReportsPerDay } }", new { c = w.City })).Field("city");
        Assert.True(settings["citizenReportsPerHour"]!.GetValue<int>() > 0 && settings["citizenReportsPerDay"]!.GetValue<int>() > 0);
    }

    static void AssertNoCitizen(GraphQLResponse response)
    {
        var body = response.Body.ToJsonString();
        Assert.True(response.Ok, body);
        foreach (var secret in new[] { "cz-priv-a", "cz-priv-b", "Li Lei", "Han Meimei", "138 0013", "lilei@" })
            Assert.DoesNotContain(secret, body);
    }
}
