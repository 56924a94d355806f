namespace GridGov.Grains.Tests;

/// <summary>定时, 定质 (distance) and 定量 through the grains, with the fake clock.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PatrolTests(ClusterFixture fixture)
{
    async Task<TestCity> CityWithRoute()
    {
        var city = await new TestCity(fixture.Grains).Setup();
        await city.AddCell(1, primary: 1, backup: 2);
        await city.SetRoute(1, 1, city.PointId(1, 1), city.PointId(1, 2));
        return city;
    }

    [Fact]
    public async Task Check_in_too_far_away_is_refused()
    {
        ClusterFixture.AdvanceToLocal(new TimeOnly(8, 30));
        var city = await CityWithRoute();
        var point = await city.Point(1, 1).Get();
        var far = point.Location with { Lat = point.Location.Lat + 0.001 }; // ≈ 110 m north

        var e = await Refuse.With("quality.check-in-distance", () => city.Point(1, 1).CheckIn(new CheckIn(city.Inspector(1), far)));
        Assert.Equal(Fix.Quality, e.Fix);
        Assert.Null((await city.Point(1, 1).Get()).LastCheckIn);
        Assert.Empty((await city.Cell(1).GetLiveState()).LastCheckInByPoint);
    }

    [Fact]
    public async Task Check_in_by_someone_not_assigned_is_refused()
    {
        ClusterFixture.AdvanceToLocal(new TimeOnly(8, 30));
        var city = await CityWithRoute();
        var point = await city.Point(1, 1).Get();
        await Refuse.With("person.not-assigned", () => city.Point(1, 1).CheckIn(new CheckIn(city.Inspector(5), point.Location)));
    }

    [Fact]
    public async Task Check_in_outside_its_window_is_kept_but_not_counted()
    {
        ClusterFixture.AdvanceToLocal(new TimeOnly(11, 0));
        var city = await CityWithRoute();
        await city.InspectorGrain(1).SetQuota(new Quota(2, 2, new()), city.Supervisor);
        var point = await city.Point(1, 1).Get();

        var outside = await city.Point(1, 1).CheckIn(new CheckIn(city.Inspector(1), point.Location));
        Assert.False(outside.Counted);
        Assert.Equal(NotCountedReason.OutsideWindow, outside.Reason);
        Assert.Equal(0, (await city.Cell(1).GetLiveState()).PointsVisitedToday);
        Assert.Equal(0, (await city.InspectorGrain(1).GetProgress())!.PointsVisited);

        ClusterFixture.AdvanceToLocal(new TimeOnly(14, 5));
        var inside = await city.Point(1, 1).CheckIn(new CheckIn(city.Inspector(1), point.Location));
        Assert.True(inside.Counted);
        Assert.EndsWith("@14:00", inside.WindowKey);
        Assert.Equal(1, (await city.Cell(1).GetLiveState()).PointsVisitedToday);
        var progress = await ClusterFixture.Eventually(() => city.InspectorGrain(1).GetProgress(), p => p!.PointsVisited == 1);
        Assert.Equal(1, progress!.PointsVisited);
        Assert.Equal(1, progress.VisitsPerType["market"]);
    }

    [Fact]
    public async Task A_closed_window_records_missed_points_and_raises_an_alert_by_itself()
    {
        ClusterFixture.AdvanceToLocal(new TimeOnly(7, 0));
        var city = await CityWithRoute();
        ClusterFixture.AdvanceToLocal(new TimeOnly(8, 30));
        var market = await city.Point(1, 1).Get();
        Assert.True((await city.Point(1, 1).CheckIn(new CheckIn(city.Inspector(1), market.Location))).Counted);

        // Nobody calls anything: the clock passes 10:00 and the cell's own alarm closes the window.
        ClusterFixture.AdvanceToLocal(new TimeOnly(10, 1));
        var missed = await ClusterFixture.Eventually(() => city.Cell(1).GetMissedPoints(), m => m.Length > 0);
        var m = Assert.Single(missed);
        Assert.Equal(city.PointId(1, 2), m.PointId);
        Assert.Equal(city.Inspector(1), m.InspectorId);
        Assert.EndsWith("@08:00", m.WindowKey);

        var district = fixture.Grains.GetGrain<IJurisdictionGrain>(city.City + "01");
        var alerts = await ClusterFixture.Eventually(() => district.GetAlerts(), a => a.Length > 0);
        var alert = Assert.Single(alerts, a => a.Kind == AlertKind.MissedPatrol);
        Assert.Contains(city.PointId(1, 2), alert.Message);

        var outcome = Assert.Single(await city.Cell(1).GetWindowOutcomes());
        Assert.Equal(1, outcome.Visited);
        // Waking again records nothing twice.
        await city.Cell(1).Wake();
        Assert.Single(await city.Cell(1).GetMissedPoints());
    }

    [Fact]
    public async Task Repeated_check_ins_are_kept_once_per_window_and_the_next_window_still_counts_its_own()
    {
        ClusterFixture.AdvanceToLocal(new TimeOnly(7, 0));
        var city = await CityWithRoute();   // I1: market and lane, 08:00–10:00 and 14:00–16:00
        var (market, lane) = (await city.Point(1, 1).Get(), await city.Point(1, 2).Get());

        ClusterFixture.AdvanceToLocal(new TimeOnly(8, 30));
        for (var i = 0; i < 5; i++)
            Assert.True((await city.Point(1, 1).CheckIn(new CheckIn(city.Inspector(1), market.Location))).Counted);
        Assert.True((await city.Point(1, 2).CheckIn(new CheckIn(city.Inspector(1), lane.Location))).Counted);
        ClusterFixture.AdvanceToLocal(new TimeOnly(14, 30));
        Assert.True((await city.Point(1, 1).CheckIn(new CheckIn(city.Inspector(1), market.Location))).Counted);

        ClusterFixture.AdvanceToLocal(new TimeOnly(16, 1));
        var outcomes = await ClusterFixture.Eventually(() => city.Cell(1).GetWindowOutcomes(), o => o.Length >= 2);
        Assert.Equal([(2, 0), (1, 1)], outcomes.OrderBy(o => o.Start).Select(o => (o.Visited, o.MissedPointIds.Length)));
        Assert.Equal(city.PointId(1, 2), Assert.Single(await city.Cell(1).GetMissedPoints()).PointId);
    }

    [Fact]
    public async Task A_window_closed_during_leave_is_charged_to_the_covering_backup()
    {
        ClusterFixture.AdvanceToLocal(new TimeOnly(12, 0));
        var city = await CityWithRoute();
        var now = ClusterFixture.Clock.GetUtcNow();
        await city.InspectorGrain(1).RequestLeave(new Leave(now, now.AddHours(6), "sick"));

        ClusterFixture.AdvanceToLocal(new TimeOnly(16, 1));
        var missed = await ClusterFixture.Eventually(() => city.Cell(1).GetMissedPoints(), m => m.Length == 2);
        Assert.All(missed, m => Assert.Equal(city.Inspector(2), m.InspectorId));
    }

    [Fact]
    public async Task The_day_end_records_a_quota_shortfall_by_itself()
    {
        ClusterFixture.AdvanceToLocal(new TimeOnly(9, 0));
        var city = await CityWithRoute();
        await city.InspectorGrain(1).SetQuota(new Quota(2, 2, new() { ["market"] = 2 }), city.Supervisor);
        var market = await city.Point(1, 1).Get();
        await city.Point(1, 1).CheckIn(new CheckIn(city.Inspector(1), market.Location));

        ClusterFixture.AdvanceToLocal(new TimeOnly(0, 1));
        var shortfalls = await ClusterFixture.Eventually(() => city.InspectorGrain(1).GetShortfalls(), s => s.Length > 0);
        var s = Assert.Single(shortfalls);
        Assert.Equal(2, s.WindowsShort);
        Assert.Equal(1, s.PointsShort);
        Assert.Equal(1, s.VisitsShortPerType["market"]);
    }
}
