using System.Globalization;
using System.Text.Json;
using GridGov.Api.Tests.Transport;

namespace GridGov.Api.Tests.Api;

/// <summary>
/// A whole working day over real HTTP and a real WebSocket: a supervisor sets up a cell, an inspector patrols it
/// (a check-in and a missed point), reports an issue, a handler fixes it, the inspector verifies, and a
/// platform's subscription sees every event in order while the live state follows.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class EndToEndTests(ApiFixture api)
{
    [Fact]
    public async Task Supervisor_inspector_handler_and_platform_work_one_day_through_the_API()
    {
        var plan = api.Plan;
        var district = plan.Jurisdictions.First(j => j.Level == JurisdictionLevel.District).Code;
        var community = plan.Jurisdictions.First(j => j.Level == JurisdictionLevel.Community && j.Code.StartsWith(district, StringComparison.Ordinal)).Code;
        var street = JurisdictionCode.ParentOf(community)!;
        var cellCode = community + "0901";
        var (lat, lon) = (plan.Bounds.MaxLat + 0.05, plan.Bounds.MinLon + 0.01);
        var category = plan.Categories[0].Code;
        var unit = plan.Units[0].Id;
        var mustPatrol = plan.PointTypes.First(t => t.MustPatrol).Code;

        var supervisor = new Actor("sup-e2e", Role.Supervisor, district);
        var inspector = new Actor("e2e-I1", Role.Inspector, street);
        var handler = new Actor("e2e-handler", Role.Handler, unit);
        var platform = new Actor("p-12345", Role.Platform, "1301");

        // The supervisor sets up a cell: people, duty list, points, a proposed route with a morning window.
        foreach (var id in new[] { "e2e-I1", "e2e-I2" })
            (await api.Send(supervisor, "mutation($id:String!,$j:String!){ registerInspector(id:$id, name:\"E2E\", jurisdiction:$j){ id } }", new { id, j = street })).Field("registerInspector");
        var polygon = string.Create(CultureInfo.InvariantCulture,
            $$"""{"type":"Polygon","coordinates":[[[{{lon}},{{lat}}],[{{lon + 0.004}},{{lat}}],[{{lon + 0.004}},{{lat + 0.004}}],[{{lon}},{{lat + 0.004}}],[{{lon}},{{lat}}]]]}""");
        var cell = (await api.Send(supervisor, "mutation($c:String!,$p:String!){ createCell(code:$c, name:\"E2E cell\", polygon:$p, primaryInspectorId:\"e2e-I1\"){ code status areaSquareMeters } }",
            new { c = cellCode, p = polygon })).Field("createCell");
        Assert.Equal("ACTIVE", cell["status"]!.GetValue<string>());
        (await api.Send(supervisor, "mutation($c:String!,$e:[DutyEntryInput!]!){ setDutyList(cellCode:$c, entries:$e){ code } }",
            new { c = cellCode, e = new[] { new { category, unitId = unit } } })).Field("setDutyList");
        (await api.Send(supervisor, "mutation($c:String!){ addBackup(cellCode:$c, inspectorId:\"e2e-I2\"){ backupInspectorIds } }", new { c = cellCode })).Field("addBackup");
        var points = new[] { (Id: cellCode + "-001", Lat: lat + 0.001, Lon: lon + 0.001), (Id: cellCode + "-002", Lat: lat + 0.003, Lon: lon + 0.003) };
        foreach (var p in points)
            (await api.Send(supervisor, "mutation($id:String!,$t:String!,$loc:GeoPointInput!,$u:String!){ createPoint(id:$id, name:\"Point\", typeCode:$t, location:$loc, unitId:$u){ cellCode } }",
                new { id = p.Id, t = mustPatrol, loc = new { lat = p.Lat, lon = p.Lon }, u = unit })).Field("createPoint");
        var proposal = (await api.Send(supervisor, "query($c:String!){ proposeRoute(cellCode:$c, inspectorId:\"e2e-I1\") }", new { c = cellCode })).Field("proposeRoute")
            .AsArray().Select(n => n!.GetValue<string>()).ToArray();
        Assert.Equal(points.Select(p => p.Id).Order(), proposal.Order());
        var allDays = new[] { "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY" };
        (await api.Send(supervisor, "mutation($c:String!,$p:[String!]!,$w:[PatrolWindowInput!]!){ setRoute(cellCode:$c, inspectorId:\"e2e-I1\", pointIds:$p, windows:$w){ pointIds } }",
            new { c = cellCode, p = proposal, w = new[] { new { days = allDays, start = "08:00", end = "10:00" } } })).Field("setRoute");

        // A platform subscribes to the cell's events over graphql-transport-ws.
        var wsUri = new UriBuilder(api.BaseAddress) { Scheme = "ws", Path = "/graphql" }.Uri;
        await using var ws = await WsTestClient.ConnectAndInitAsync(wsUri, new { Authorization = "Bearer " + api.Token(platform) });
        await ws.SubscribeAsync("events", "subscription($j:String!){ gridEvents(jurisdiction:$j){ kind action stage subject actorId detail } }", new { j = cellCode });
        await Task.Delay(300); // let the stream subscription settle before events flow

        // The inspector patrols: one point inside the window; the other is missed when the window closes by itself.
        api.AdvanceToLocal(new TimeOnly(8, 30));
        var checkIn = (await api.Send(inspector, "mutation($p:String!,$pos:GeoPointInput!){ checkIn(pointId:$p, position:$pos){ counted windowKey distanceMeters } }",
            new { p = points[0].Id, pos = new { lat = points[0].Lat + 0.0001, lon = points[0].Lon } })).Field("checkIn");
        Assert.True(checkIn["counted"]!.GetValue<bool>());
        (await api.Send(inspector, "mutation($p:String!,$pos:GeoPointInput!){ checkIn(pointId:$p, position:$pos){ counted } }",
            new { p = points[1].Id, pos = new { lat = points[1].Lat + 0.01, lon = points[1].Lon } })).Refused("RULE_VIOLATION", "quality.check-in-distance");
        api.AdvanceToLocal(new TimeOnly(10, 1));
        var missed = await Citizens.CitizenWorld.Eventually(async () => (await api.Send(supervisor, "query($c:String!){ cell(code:$c){ missedPoints { pointId inspectorId } } }", new { c = cellCode }))
            .Field("cell")["missedPoints"]!.AsArray(), m => m.Count > 0);
        Assert.Equal(points[1].Id, Assert.Single(missed)!["pointId"]!.GetValue<string>());

        // The inspector reports a problem; it goes round the loop.
        var ticket = (await api.Send(inspector, "mutation($cat:String!,$loc:GeoPointInput!){ reportIssue(category:$cat, severity:URGENT, source:INSPECTOR, location:$loc, description:\"Overflowing bins\", evidence:[\"photo://bins.jpg\"]){ id stage unitId } }",
            new { cat = category, loc = new { lat = lat + 0.002, lon = lon + 0.002 } })).Field("reportIssue");
        var ticketId = ticket["id"]!.GetValue<string>();
        Assert.Equal(unit, ticket["unitId"]!.GetValue<string>());
        (await api.Send(supervisor, "mutation($id:String!){ acceptTicket(id:$id){ stage } }", new { id = ticketId })).Field("acceptTicket");
        (await api.Send(supervisor, "mutation($id:String!){ dispatchTicket(id:$id){ stage } }", new { id = ticketId })).Field("dispatchTicket");
        (await api.Send(handler, "mutation($id:String!){ handleTicket(id:$id, evidence:[\"photo://clean.jpg\"]){ stage } }", new { id = ticketId })).Field("handleTicket");
        (await api.Send(handler, "mutation($id:String!){ verifyTicket(id:$id, passed:true){ stage } }", new { id = ticketId }))
            .Refused("RULE_VIOLATION", "quality.verifier-is-handler");
        (await api.Send(inspector, "mutation($id:String!){ verifyTicket(id:$id, passed:true, evidence:[\"photo://checked.jpg\"]){ stage } }", new { id = ticketId })).Field("verifyTicket");
        var closed = (await api.Send(supervisor, "mutation($id:String!){ closeTicket(id:$id, note:\"done\"){ stage history { action actorId from to } } }", new { id = ticketId })).Field("closeTicket");
        Assert.Equal("CLOSED", closed["stage"]!.GetValue<string>());
        Assert.Equal(["REPORT", "ACCEPT", "DISPATCH", "HANDLE", "VERIFY_PASS", "CLOSE"], closed["history"]!.AsArray().Select(h => h!["action"]!.GetValue<string>()));

        // The audit journal has the same transitions, read without the ticket grain.
        var journal = (await api.Send(platform, "query($id:String!){ ticketJournal(id:$id){ action stage actorId } }", new { id = ticketId })).Field("ticketJournal").AsArray();
        Assert.Equal(["Report", "Accept", "Dispatch", "Handle", "VerifyPass", "Close"], journal.Select(l => l!["action"]!.GetValue<string>()));

        // The platform saw it all, in order.
        var expected = new[] { ("CHECK_IN", "counted"), ("WINDOW_CLOSED", "missed"), ("TICKET", "Report"), ("TICKET", "Accept"), ("TICKET", "Dispatch"), ("TICKET", "Handle"), ("TICKET", "VerifyPass"), ("TICKET", "Close") };
        var seen = new List<(string, string)>();
        while (seen.Count < expected.Length)
        {
            var message = await ws.ReceiveAsync(TimeSpan.FromSeconds(10));
            Assert.Equal("next", message.GetProperty("type").GetString());
            var e = message.GetProperty("payload").GetProperty("data").GetProperty("gridEvents");
            seen.Add((e.GetProperty("kind").GetString()!, e.GetProperty("action").GetString()!));
        }
        Assert.Equal(expected, seen);

        // The live state reflects the day.
        var live = (await api.Send(platform, "query($c:String!){ cellLive(code:$c){ onDutyInspectorId pointsDue pointsVisitedToday coverageToday overdue openByStage { stage count } lastCheckIns { pointId } } }",
            new { c = cellCode })).Field("cellLive");
        Assert.Equal("e2e-I1", live["onDutyInspectorId"]!.GetValue<string>());
        Assert.Equal((2, 1, 0.5), (live["pointsDue"]!.GetValue<int>(), live["pointsVisitedToday"]!.GetValue<int>(), live["coverageToday"]!.GetValue<double>()));
        Assert.Empty(live["openByStage"]!.AsArray());
        Assert.Equal(points[0].Id, Assert.Single(live["lastCheckIns"]!.AsArray())!["pointId"]!.GetValue<string>());
        var alerts = (await api.Send(platform, "query($j:String!){ alerts(jurisdiction:$j){ kind cellCode } }", new { j = district })).Field("alerts").AsArray();
        Assert.Contains(alerts, a => a!["cellCode"]!.GetValue<string>() == cellCode && a["kind"]!.GetValue<string>() == "MISSED_PATROL");
        var list = (await api.Send(platform, "query($j:String!){ tickets(filter:{jurisdiction:$j, stages:[CLOSED]}){ totalCount edges { node { id stage } } } }", new { j = cellCode })).Field("tickets");
        Assert.Equal(ticketId, Assert.Single(list["edges"]!.AsArray())!["node"]!["id"]!.GetValue<string>());
    }
}
