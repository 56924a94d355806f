namespace GridGov.Grains.Tests;

/// <summary>The cell's whole check-in (ICellGrain.CheckIn): point here, assignment before distance, distance, window.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CellCheckInTests(ClusterFixture fixture)
{
    async Task<TestCity> CityWithRoute()
    {
        var city = await new TestCity(fixture.Grains).Setup();
        await city.AddCell(1, primary: 1, backup: 2);
        await city.AddCell(2, primary: 3);
        await city.SetRoute(1, 1, city.PointId(1, 1), city.PointId(1, 2));
        return city;
    }

    [Fact]
    public async Task A_far_away_inspector_who_is_not_assigned_gets_the_assignment_refusal_not_the_distance_one()
    {
        ClusterFixture.AdvanceToLocal(new TimeOnly(8, 30));
        var city = await CityWithRoute();
        var point = await city.Point(1, 1).Get();
        var far = point.Location with { Lat = point.Location.Lat + 0.01 }; // ≈ 1.1 km north

        var e = await Refuse.With("person.not-assigned", () => city.Cell(1).CheckIn(city.PointId(1, 1), new CheckIn(city.Inspector(3), far)));
        Assert.Equal(ErrorCodes.Forbidden, e.Code);
        Assert.Equal(Fix.Person, e.Fix);
        await Refuse.With("person.not-assigned", () => city.Point(1, 1).CheckIn(new CheckIn(city.Inspector(3), far)));
        // The assigned inspector at the same place is refused for distance.
        await Refuse.With("quality.check-in-distance", () => city.Cell(1).CheckIn(city.PointId(1, 1), new CheckIn(city.Inspector(1), far)));
        Assert.Null(await city.Cell(1).GetLastCheckIn(city.PointId(1, 1)));
        Assert.Empty((await city.Cell(1).GetLiveState()).LastCheckInByPoint);
    }

    [Fact]
    public async Task A_point_the_cell_does_not_hold_is_not_found_there()
    {
        ClusterFixture.AdvanceToLocal(new TimeOnly(8, 30));
        var city = await CityWithRoute();
        var elsewhere = await city.Point(2, 1).Get(); // a real point, in cell 2

        var e = await Refuse.With("exists", () => city.Cell(1).CheckIn(city.PointId(2, 1), new CheckIn(city.Inspector(1), elsewhere.Location)));
        Assert.Equal(ErrorCodes.NotFound, e.Code);
        Assert.Contains(city.CellCode(1), e.Message);
        var unknown = await Refuse.With("exists", () => city.Cell(1).CheckIn(city.PointId(1, 99), new CheckIn(city.Inspector(1), elsewhere.Location)));
        Assert.Equal(ErrorCodes.NotFound, unknown.Code);
        // Not found comes before the assignment check: a stale route to the wrong cell never reads as FORBIDDEN.
        var wrongCell = await Refuse.With("exists", () => city.Cell(1).CheckIn(city.PointId(2, 1), new CheckIn(city.Inspector(3), elsewhere.Location)));
        Assert.Equal(ErrorCodes.NotFound, wrongCell.Code);
        Assert.Empty((await city.Cell(1).GetLiveState()).LastCheckInByPoint);
        Assert.Empty((await city.Cell(2).GetLiveState()).LastCheckInByPoint);
    }

    [Fact]
    public async Task The_cell_counts_a_check_in_in_a_window_with_its_distance()
    {
        ClusterFixture.AdvanceToLocal(new TimeOnly(8, 30));
        var city = await CityWithRoute();
        var point = await city.Point(1, 1).Get();
        var near = point.Location with { Lat = point.Location.Lat + 0.0002 }; // ≈ 22 m north

        var record = await city.Cell(1).CheckIn(city.PointId(1, 1), new CheckIn(city.Inspector(2), near));
        Assert.True(record.Counted);
        Assert.Equal(city.CellCode(1), record.CellCode);
        Assert.EndsWith("@08:00", record.WindowKey);
        Assert.InRange(record.DistanceMeters, 15, 30);
        Assert.Equal(1, (await city.Cell(1).GetLiveState()).PointsVisitedToday);
        Assert.Equal(record.At, (await city.Point(1, 1).Get()).LastCheckIn!.At);
    }

    [Fact]
    public async Task A_removed_point_keeps_its_own_refusal_and_its_cell_no_longer_knows_it()
    {
        ClusterFixture.AdvanceToLocal(new TimeOnly(8, 30));
        var city = await new TestCity(fixture.Grains).Setup();
        await city.AddCell(1, primary: 1);
        var lane = await city.Point(1, 2).Get();
        await city.Point(1, 2).Remove(city.Supervisor);

        var e = await Refuse.With("point.removed", () => city.Point(1, 2).CheckIn(new CheckIn(city.Inspector(1), lane.Location)));
        Assert.Equal(ErrorCodes.RuleViolation, e.Code);
        var cell = await Refuse.With("exists", () => city.Cell(1).CheckIn(city.PointId(1, 2), new CheckIn(city.Inspector(1), lane.Location)));
        Assert.Equal(ErrorCodes.NotFound, cell.Code);
    }
}
