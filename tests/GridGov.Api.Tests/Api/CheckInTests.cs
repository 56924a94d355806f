using System.Globalization;
using GridGov.Grains;

namespace GridGov.Api.Tests.Api;

/// <summary>
/// The checkIn mutation, which goes straight to the point's cell (remembered after the first call): counted,
/// refused for distance, FORBIDDEN for another cell's inspector (also when far away), refused for a removed point,
/// and right again after a point is removed and created in another cell (a stale remembered cell).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CheckInTests(ApiFixture api)
{
    const string Mutation = "mutation($p:String!,$pos:GeoPointInput!){ checkIn(pointId:$p, position:$pos){ pointId cellCode counted windowKey distanceMeters } }";
    static int _counter;

    sealed record Patch(string CellA, string CellB, string InspectorA, string InspectorB, string Street, GeoPoint CenterA, GeoPoint CenterB, Actor Supervisor);

    IGrainFactory G => api.Grains;

    /// <summary>Two fresh neighbouring cells north of the plan, each with its own primary; A has a morning route.</summary>
    async Task<Patch> TwoCells(params string[] pointsOfA)
    {
        var plan = api.Plan;
        var district = plan.Jurisdictions.Where(j => j.Level == JurisdictionLevel.District).Select(j => j.Code).ToArray()[^1];
        var community = plan.Jurisdictions.First(j => j.Level == JurisdictionLevel.Community && j.Code.StartsWith(district, StringComparison.Ordinal)).Code;
        var street = JurisdictionCode.ParentOf(community)!;
        var supervisor = new Actor("chk-sup", Role.Supervisor, plan.CityCode);
        var n = Interlocked.Increment(ref _counter);
        var (lat, lon) = (plan.Bounds.MaxLat + 0.6 + 0.01 * n, plan.Bounds.MinLon + 0.01);
        var codes = new[] { community + (800 + 2 * n).ToString("D4", CultureInfo.InvariantCulture), community + (801 + 2 * n).ToString("D4", CultureInfo.InvariantCulture) };
        var inspectors = new[] { $"CHK{n:D3}A", $"CHK{n:D3}B" };
        var centers = new GeoPoint[2];
        for (var k = 0; k < 2; k++)
        {
            var west = lon + 0.005 * k;
            await G.GetGrain<IInspectorGrain>(inspectors[k]).Register(new RegisterInspector($"Check-in inspector {inspectors[k]}", street));
            var polygon = string.Create(CultureInfo.InvariantCulture,
                $$"""{"type":"Polygon","coordinates":[[[{{west}},{{lat}}],[{{west + 0.004}},{{lat}}],[{{west + 0.004}},{{lat + 0.004}}],[{{west}},{{lat + 0.004}}],[{{west}},{{lat}}]]]}""");
            await G.GetGrain<ICellGrain>(codes[k]).Create(new CreateCell(codes[k], $"Check-in cell {codes[k]}", polygon, inspectors[k]), supervisor);
            centers[k] = new GeoPoint(lat + 0.002, west + 0.002);
        }
        var patch = new Patch(codes[0], codes[1], inspectors[0], inspectors[1], street, centers[0], centers[1], supervisor);
        for (var i = 0; i < pointsOfA.Length; i++) await NewPoint(patch, pointsOfA[i], Offset(centers[0], i));
        var days = Enum.GetValues<DayOfWeek>();
        await G.GetGrain<ICellGrain>(codes[0]).SetRoute(new PatrolRoute(inspectors[0], pointsOfA, [new PatrolWindow(days, new TimeOnly(8, 0), new TimeOnly(10, 0))]), supervisor);
        return patch;
    }

    static GeoPoint Offset(GeoPoint p, int i) => new(p.Lat + 0.0005 * i, p.Lon + 0.0005 * i);

    Task<PointInfo> NewPoint(Patch patch, string id, GeoPoint at) =>
        G.GetGrain<IInspectionPointGrain>(id).Create(new CreatePoint(id, $"Check-in point {id}", api.Plan.PointTypes.First(t => t.MustPatrol).Code, at, api.Plan.Units[0].Id), patch.Supervisor);

    Actor Inspector(Patch patch, string id) => new(id, Role.Inspector, patch.Street);

    Task<GraphQLResponse> CheckIn(Actor who, string pointId, GeoPoint at) =>
        api.Send(who, Mutation, new { p = pointId, pos = new { lat = at.Lat, lon = at.Lon } });

    static GeoPoint Far(GeoPoint p) => p with { Lat = p.Lat + 0.01 }; // ≈ 1.1 km north

    [Fact]
    public async Task A_check_in_is_counted_refused_for_distance_and_forbidden_to_another_cells_inspector()
    {
        var (p1, p2) = ($"CHKP{Interlocked.Increment(ref _counter)}-1", $"CHKP{_counter}-2");
        var patch = await TwoCells(p1, p2);
        var (a, b) = (Inspector(patch, patch.InspectorA), Inspector(patch, patch.InspectorB));
        var loc1 = Offset(patch.CenterA, 0);
        var loc2 = Offset(patch.CenterA, 1);
        api.AdvanceToLocal(new TimeOnly(8, 30));

        // Another cell's inspector before anything is remembered, then after.
        (await CheckIn(b, p1, loc1)).Refused("FORBIDDEN");
        var counted = (await CheckIn(a, p1, loc1 with { Lat = loc1.Lat + 0.0001 })).Field("checkIn");
        Assert.True(counted["counted"]!.GetValue<bool>());
        Assert.Equal(patch.CellA, counted["cellCode"]!.GetValue<string>());
        Assert.EndsWith("@08:00", counted["windowKey"]!.GetValue<string>());
        Assert.Equal(1, (await G.GetGrain<ICellGrain>(patch.CellA).GetLiveState()).PointsVisitedToday);

        (await CheckIn(a, p2, Far(loc2))).Refused("RULE_VIOLATION", "quality.check-in-distance");
        (await CheckIn(b, p1, loc1)).Refused("FORBIDDEN");
        // Far away and not assigned: the assignment is checked first.
        (await CheckIn(b, p2, Far(loc2))).Refused("FORBIDDEN");

        var last = await G.GetGrain<ICellGrain>(patch.CellA).GetLastCheckIn(p1);
        Assert.Equal(patch.InspectorA, last!.InspectorId);
        Assert.Null(await G.GetGrain<ICellGrain>(patch.CellA).GetLastCheckIn(p2));
        Assert.Equal(1, (await G.GetGrain<ICellGrain>(patch.CellA).GetLiveState()).PointsVisitedToday);
    }

    [Fact]
    public async Task A_removed_point_is_refused_as_removed_and_an_unknown_one_is_not_found()
    {
        var p1 = $"CHKP{Interlocked.Increment(ref _counter)}-1";
        var patch = await TwoCells(p1);
        var (a, b) = (Inspector(patch, patch.InspectorA), Inspector(patch, patch.InspectorB));
        var loc = Offset(patch.CenterA, 0);
        api.AdvanceToLocal(new TimeOnly(8, 30));
        (await CheckIn(a, p1, loc)).Field("checkIn"); // its cell is remembered now

        await G.GetGrain<IInspectionPointGrain>(p1).Remove(patch.Supervisor);
        (await CheckIn(a, p1, loc)).Refused("RULE_VIOLATION", "point.removed");
        (await CheckIn(b, p1, loc)).Refused("FORBIDDEN");
        (await CheckIn(a, p1 + "-nowhere", loc)).Refused("NOT_FOUND");
    }

    [Fact]
    public async Task A_point_removed_and_created_again_in_another_cell_is_checked_in_there()
    {
        var p1 = $"CHKP{Interlocked.Increment(ref _counter)}-1";
        var patch = await TwoCells(p1);
        var (a, b) = (Inspector(patch, patch.InspectorA), Inspector(patch, patch.InspectorB));
        api.AdvanceToLocal(new TimeOnly(8, 30));
        (await CheckIn(a, p1, Offset(patch.CenterA, 0))).Field("checkIn"); // remembered in cell A

        await G.GetGrain<IInspectionPointGrain>(p1).Remove(patch.Supervisor);
        Assert.Equal(patch.CellB, (await NewPoint(patch, p1, patch.CenterB)).CellCode);

        var moved = (await CheckIn(b, p1, patch.CenterB)).Field("checkIn");
        Assert.Equal(patch.CellB, moved["cellCode"]!.GetValue<string>());
        Assert.Equal(patch.InspectorB, (await G.GetGrain<ICellGrain>(patch.CellB).GetLastCheckIn(p1))!.InspectorId);
        (await CheckIn(a, p1, patch.CenterB)).Refused("FORBIDDEN");
    }
}
