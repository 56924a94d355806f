namespace GridGov.Grains.Tests;

/// <summary>定格, 定人, 定责 and 定线 through the grains.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GridAndPeopleTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Overlapping_cell_is_refused_and_changes_nothing()
    {
        var city = await new TestCity(fixture.Grains).Setup();
        await city.AddCell(1, primary: 1, points: false);

        var overlapping = TestCity.Square(TestCity.CellLon(1) + 0.005, TestCity.Lat);
        var e = await Refuse.With("cell.no-overlap", () =>
            city.Cell(2).Create(new CreateCell(city.CellCode(2), "Overlap", overlapping, city.Inspector(2)), city.Supervisor));
        Assert.Equal(ErrorCodes.RuleViolation, e.Code);
        Assert.Equal(Fix.Cell, e.Fix);

        Assert.Equal([city.CellCode(1)], await city.CityGrain.CellsIn(city.City));
        Assert.Empty((await city.InspectorGrain(2).Get()).PrimaryCells);
        await Assert.ThrowsAsync<GridGovException>(() => city.Cell(2).Get());

        // A neighbour sharing only an edge is fine.
        await city.AddCell(2, primary: 2, points: false);
        Assert.Equal(2, (await city.CityGrain.CellsIn(city.City)).Length);
    }

    [Fact]
    public async Task Bad_cell_code_and_boundary_are_refused()
    {
        var city = await new TestCity(fixture.Grains).Setup();
        var badCode = city.Community + "12";
        await Refuse.With("cell.code-format", () => fixture.Grains.GetGrain<ICellGrain>(badCode)
            .Create(new CreateCell(badCode, "x", TestCity.Square(114.5, 38), city.Inspector(1)), city.Supervisor));
        await Refuse.With("geojson.parse", () => city.Cell(1).Create(new CreateCell(city.CellCode(1), "x", "{not json", city.Inspector(1)), city.Supervisor));
        const string bowTie = """{"type":"Polygon","coordinates":[[[114.5,38],[114.51,38.01],[114.51,38],[114.5,38.01],[114.5,38]]]}""";
        await Refuse.With("cell.polygon-invalid", () => city.Cell(1).Create(new CreateCell(city.CellCode(1), "x", bowTie, city.Inspector(1)), city.Supervisor));
    }

    [Fact]
    public async Task Point_outside_every_cell_is_refused_and_inside_lands_in_its_cell()
    {
        var city = await new TestCity(fixture.Grains).Setup();
        await city.AddCell(1, primary: 1, points: false);

        var outside = new GeoPoint(TestCity.Lat + 0.5, 114.0);
        await Refuse.With("cell.point-outside", () => city.Point(1, 9).Create(new CreatePoint(city.PointId(1, 9), "Far", "market", outside, city.U2), city.Supervisor));
        Assert.Empty((await city.Cell(1).Get()).PointIds);

        var p = await city.Point(1, 1).Create(new CreatePoint(city.PointId(1, 1), "Market", "market", TestCity.Inside(1), city.U2), city.Supervisor);
        Assert.Equal(city.CellCode(1), p.CellCode);
        Assert.Equal([city.PointId(1, 1)], (await city.Cell(1).Get()).PointIds);
    }

    [Fact]
    public async Task Second_primary_is_refused_and_replacement_keeps_history()
    {
        var city = await new TestCity(fixture.Grains).Setup();
        await city.AddCell(1, primary: 1, points: false);

        // Someone trying to add a primary without replacing the current one is refused.
        await Refuse.With("person.one-primary", () => city.Cell(1).AssignPrimary(city.Inspector(2), replaces: "", city.Supervisor));
        Assert.Equal(city.Inspector(1), (await city.Cell(1).Get()).PrimaryInspectorId);

        ClusterFixture.Clock.Advance(TimeSpan.FromMinutes(5));
        var info = await city.Cell(1).AssignPrimary(city.Inspector(2), replaces: city.Inspector(1), city.Supervisor);
        Assert.Equal(city.Inspector(2), info.PrimaryInspectorId);
        var history = await city.Cell(1).GetAssignmentHistory();
        var primaries = history.Where(a => a.Kind == AssignmentKind.Primary).ToArray();
        Assert.Equal(2, primaries.Length);
        Assert.NotNull(primaries[0].To);
        Assert.Null(primaries[1].To);
        Assert.Equal(primaries[0].To, primaries[1].From);
        Assert.Empty((await city.InspectorGrain(1).Get()).PrimaryCells);
        Assert.Equal([city.CellCode(1)], (await city.InspectorGrain(2).Get()).PrimaryCells);
    }

    [Fact]
    public async Task Inspector_over_the_cell_limit_is_refused()
    {
        var city = await new TestCity(fixture.Grains).Setup(maxPrimary: 2);
        await city.AddCell(1, primary: 1, points: false);
        await city.AddCell(2, primary: 1, points: false);

        var e = await Refuse.With("person.primary-cell-limit", () => city.AddCell(3, primary: 1, points: false));
        Assert.Equal(Fix.Person, e.Fix);
        Assert.Equal(2, (await city.InspectorGrain(1).Get()).PrimaryCells.Length);
        Assert.Equal(2, (await city.CityGrain.CellsIn(city.City)).Length);
        await Refuse.With("person.backup-is-primary", () => city.Cell(1).AddBackup(city.Inspector(1), city.Supervisor));
    }

    [Fact]
    public async Task An_inspector_serves_only_cells_of_their_own_jurisdiction()
    {
        var city = await new TestCity(fixture.Grains).Setup();
        await city.AddCell(1, primary: 1, points: false);
        var elsewhere = fixture.Grains.GetGrain<IInspectorGrain>(city.Inspector(9));
        await elsewhere.Register(new RegisterInspector("From another street", city.City + "01002"));

        await Refuse.With("person.outside-jurisdiction", () => city.Cell(1).AddBackup(city.Inspector(9), city.Supervisor));
        await Refuse.With("person.outside-jurisdiction", () => city.Cell(1).AssignPrimary(city.Inspector(9), city.Inspector(1), city.Supervisor));
        // Nor can someone holding a cell be moved to a jurisdiction that does not contain it.
        await Refuse.With("person.outside-jurisdiction", () => city.InspectorGrain(1).Register(new RegisterInspector("Moved", city.City + "01002")));
        Assert.Equal(city.Community, (await city.InspectorGrain(1).Get()).Jurisdiction);
    }

    [Fact]
    public async Task Leave_is_covered_by_a_backup_or_refused()
    {
        var city = await new TestCity(fixture.Grains).Setup();
        await city.AddCell(1, primary: 1, backup: 2, points: false);
        await city.AddCell(2, primary: 3, points: false);
        var from = ClusterFixture.Clock.GetUtcNow().AddDays(1);
        var leave = new Leave(from, from.AddDays(2), "annual leave");

        var grant = await city.InspectorGrain(1).RequestLeave(leave);
        Assert.Equal(city.Inspector(2), grant.CoverByCell[city.CellCode(1)]);
        Assert.Equal(city.Inspector(2), await city.Cell(1).OnDutyAt(from.AddHours(1)));
        Assert.Equal(city.Inspector(1), await city.Cell(1).OnDutyAt(from.AddHours(-1)));
        // The backup promised cover, so cannot take leave then.
        await Refuse.With("person.covering-during-leave", () => city.InspectorGrain(2).RequestLeave(leave));
        await Refuse.With("person.backup-covering", () => city.Cell(1).RemoveBackup(city.Inspector(2), city.Supervisor));

        // Cell 2 has no backup: a leave would leave it uncovered.
        await Refuse.With("person.leave-uncovered", () => city.InspectorGrain(3).RequestLeave(leave));
        Assert.Empty((await city.InspectorGrain(3).Get()).Leaves);
    }

    [Fact]
    public async Task Category_without_unit_is_refused()
    {
        var city = await new TestCity(fixture.Grains).Setup();
        await city.AddCell(1, primary: 1);

        var e = await Refuse.With("duty.category-without-unit", () => city.Cell(1).SetDutyList([new DutyEntry("C1", "")], city.Supervisor));
        Assert.Equal(Fix.Duty, e.Fix);
        await Refuse.With("duty.unknown-unit", () => city.Cell(1).SetDutyList([new DutyEntry("C1", "U9-none")], city.Supervisor));
        Assert.Equal(2, (await city.Cell(1).Get()).DutyList.Length);

        // C3 is in the catalog but on no duty list and no checklist: a ticket of it cannot be routed.
        await Refuse.With("duty.category-without-unit", () => city.Report(city.Issue(1, "C3"), city.InspectorActor(1)));
        Assert.Equal(0, (await city.Cell(1).Get()).OpenTickets);

        // The point's own unit (包保单位) takes categories on its type's checklist.
        Assert.Equal(city.U2, await city.Cell(1).ResolveUnit("C2", city.PointId(1, 1)));
        Assert.Equal(city.U1, await city.Cell(1).ResolveUnit("C1", null));
    }

    [Fact]
    public async Task Route_missing_a_required_point_is_refused_and_a_proposal_covers_them()
    {
        var city = await new TestCity(fixture.Grains).Setup();
        await city.AddCell(1, primary: 1);
        await city.Point(1, 3).Create(new CreatePoint(city.PointId(1, 3), "Market 2", "market", TestCity.Inside(1, 0.1, 0.9), city.U2), city.Supervisor);

        var e = await Refuse.With("route.missing-required-point", () => city.SetRoute(1, 1, city.PointId(1, 1)));
        Assert.Contains(city.PointId(1, 3), e.Message);
        Assert.Empty(await city.Cell(1).GetRoutes());

        var proposal = await city.Cell(1).ProposeRoute(city.Inspector(1));
        Assert.Equal(new[] { city.PointId(1, 1), city.PointId(1, 3) }.Order(), proposal.Order());
        var route = await city.SetRoute(1, 1, proposal);
        Assert.Equal(proposal, route.PointIds);
        await Refuse.With("person.not-assigned", () => city.SetRoute(1, 5, proposal));
    }

    [Fact]
    public async Task Retirement_waits_for_open_tickets_points_and_people()
    {
        var city = await new TestCity(fixture.Grains).Setup();
        await city.AddCell(1, primary: 1, backup: 2);
        var ticket = await city.Report(city.Issue(1), city.InspectorActor(1));

        await Refuse.With("cell.retire-open-tickets", () => city.Cell(1).Retire(city.Supervisor, "merged"));
        await fixture.Grains.GetGrain<ITicketGrain>(ticket.Id).Reject(city.Supervisor, "not a problem");
        await Refuse.With("cell.retire-points", () => city.Cell(1).Retire(city.Supervisor, "merged"));
        await city.Point(1, 1).Remove(city.Supervisor);
        await city.Point(1, 2).Remove(city.Supervisor);
        await Refuse.With("cell.retire-people", () => city.Cell(1).Retire(city.Supervisor, "merged"));
        await city.Cell(1).RemoveBackup(city.Inspector(2), city.Supervisor);

        var retired = await city.Cell(1).Retire(city.Supervisor, "merged");
        Assert.Equal(CellStatus.Retired, retired.Status);
        Assert.Empty(await city.CityGrain.CellsIn(city.City));
        Assert.Empty((await city.InspectorGrain(1).Get()).PrimaryCells);
    }
}

[Collection(ClusterCollection.Name)]
public sealed class CellEditTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_redrawn_boundary_must_keep_its_points_and_overlap_nothing()
    {
        var city = await new TestCity(fixture.Grains).Setup();
        await city.AddCell(1, primary: 1);
        await city.AddCell(2, primary: 2, points: false);
        var before = await city.Cell(1).Get();

        // Shrinking cell 1 to its lower-left quarter would leave the lane (at 0.7, 0.7) outside.
        await Refuse.With("cell.points-outside-boundary", () => city.Cell(1).Update(null, TestCity.Square(TestCity.CellLon(1), TestCity.Lat, 0.005), city.Supervisor));
        // Growing it into cell 2 overlaps.
        await Refuse.With("cell.no-overlap", () => city.Cell(1).Update(null, TestCity.Square(TestCity.CellLon(1), TestCity.Lat, 0.015), city.Supervisor));
        var unchanged = await city.Cell(1).Get();
        Assert.Equal((before.PolygonGeoJson, before.AreaSquareMeters, before.Name), (unchanged.PolygonGeoJson, unchanged.AreaSquareMeters, unchanged.Name));
        Assert.Equal(city.CellCode(1), await city.CityGrain.LocateCell(TestCity.Inside(1, 0.9, 0.9)));

        // Growing it northwards is fine, and the city locates by the new boundary.
        var taller = $$"""{"type":"Polygon","coordinates":[[[{{TestCity.CellLon(1)}},{{TestCity.Lat}}],[{{TestCity.CellLon(2)}},{{TestCity.Lat}}],[{{TestCity.CellLon(2)}},{{TestCity.Lat + 0.02}}],[{{TestCity.CellLon(1)}},{{TestCity.Lat + 0.02}}],[{{TestCity.CellLon(1)}},{{TestCity.Lat}}]]]}""";
        var after = await city.Cell(1).Update("Cell 1 (north)", taller, city.Supervisor);
        Assert.Equal("Cell 1 (north)", after.Name);
        Assert.True(after.AreaSquareMeters > 1.9 * before.AreaSquareMeters);
        Assert.Equal(city.CellCode(1), await city.CityGrain.LocateCell(new GeoPoint(TestCity.Lat + 0.015, TestCity.CellLon(1) + 0.005)));
    }

    [Fact]
    public async Task A_points_type_change_updates_what_its_cell_must_patrol()
    {
        var city = await new TestCity(fixture.Grains).Setup();
        await city.AddCell(1, primary: 1);
        await city.SetRoute(1, 1, city.PointId(1, 1));
        var lane = await city.Point(1, 2).Update(null, "market", null, city.Supervisor);
        Assert.Equal("market", lane.TypeCode);
        // The lane must now be patrolled, so every route of the cell includes it.
        Assert.Contains(city.PointId(1, 2), Assert.Single(await city.Cell(1).GetRoutes()).PointIds);
        Assert.Equal(2, (await city.Cell(1).GetLiveState()).PointsDue);
        await Refuse.With("duty.unknown-point-type", () => city.Point(1, 2).Update(null, "nope", null, city.Supervisor));
    }
}
