using System.Globalization;
using GridGov.Fixes;
using GridGov.Geo;
using GridGov.Tickets;

namespace GridGov.Rules.Tests;

public sealed class CellFixTests
{
    static string Square(double lon, double lat, double size = 0.01) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"type":"Polygon","coordinates":[[[{{lon}},{{lat}}],[{{lon + size}},{{lat}}],[{{lon + size}},{{lat + size}}],[{{lon}},{{lat + size}}],[{{lon}},{{lat}}]]]}""");

    [Fact]
    public void Registry_refuses_overlap_allows_shared_edges_and_locates_points()
    {
        var registry = new CellRegistry();
        registry.Add("A", GeoMath.ReadPolygon(Square(114.50, 38.0)));
        registry.Add("B", GeoMath.ReadPolygon(Square(114.51, 38.0)));
        var e = Assert.Throws<GridGovException>(() => registry.Add("C", GeoMath.ReadPolygon(Square(114.505, 38.0))));
        Assert.Equal("cell.no-overlap", e.Rule);
        Assert.Equal(2, registry.Count);

        Assert.Equal("A", registry.Locate(new GeoPoint(38.005, 114.505)));
        Assert.Equal("B", registry.Locate(new GeoPoint(38.005, 114.515)));
        Assert.Equal("cell.point-outside", Assert.Throws<GridGovException>(() => registry.Locate(new GeoPoint(39, 114.505))).Rule);
        Assert.Equal("cell.point-ambiguous", Assert.Throws<GridGovException>(() => registry.Locate(new GeoPoint(38.005, 114.51))).Rule);

        registry.Remove("A");
        registry.Add("C", GeoMath.ReadPolygon(Square(114.505, 38.0, 0.005)));
        Assert.Equal("C", registry.Locate(new GeoPoint(38.001, 114.506)));
    }

    [Fact]
    public void Area_of_a_square_hundredth_degree_is_about_a_square_kilometre()
    {
        var (_, area) = CellFix.ValidateBoundary(Square(114.5, 38.0));
        Assert.InRange(area, 0.95e6, 1.0e6); // 1113 m × 877 m at 38°N
    }

    [Theory]
    [InlineData("130102001002")]
    [InlineData("13010200100200A1")]
    [InlineData("1301020010020000")]
    public void Malformed_cell_codes_are_refused(string code) =>
        Assert.Equal("cell.code-format", Assert.Throws<GridGovException>(() => CellFix.ValidateCode(code)).Rule);

    [Fact]
    public void Codes_nest_by_prefix()
    {
        Assert.Equal(["1301", "130102", "130102001", "130102001002"], JurisdictionCode.AncestorsOf("1301020010020007"));
        Assert.True(JurisdictionCode.Contains("130102", "1301020010020007"));
        Assert.False(JurisdictionCode.Contains("130103", "1301020010020007"));
    }
}

public sealed class TimeFixTests
{
    static readonly TimeZoneInfo Shanghai = TimeFix.Zone("Asia/Shanghai");
    static readonly PatrolWindow Weekday = new([DayOfWeek.Monday, DayOfWeek.Tuesday], new TimeOnly(8, 0), new TimeOnly(10, 0));

    [Fact]
    public void Windows_are_in_city_local_time()
    {
        var mondayNineLocal = new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero); // 09:00 +08:00
        var open = TimeFix.OpenAt([Weekday], Shanghai, mondayNineLocal);
        Assert.NotNull(open);
        Assert.Equal("2026-11-23@08:00", open!.Key);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero), open.Start);
        Assert.Null(TimeFix.OpenAt([Weekday], Shanghai, mondayNineLocal.AddHours(1))); // 10:00 is the end, exclusive
        Assert.Null(TimeFix.OpenAt([Weekday], Shanghai, mondayNineLocal.AddDays(2))); // Wednesday
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero), TimeFix.NextEnd([Weekday], Shanghai, mondayNineLocal));
    }

    [Theory]
    [InlineData("Asia/Shanghai", "2026-11-20")]
    [InlineData("America/New_York", "2026-10-30")] // clocks go back on 1 November
    [InlineData("Europe/London", "2026-03-26")]    // clocks go forward on 29 March
    public void The_open_window_is_the_one_every_occurrence_around_the_instant_would_give(string zoneId, string from)
    {
        var zone = TimeFix.Zone(zoneId);
        PatrolWindow[] windows =
        [
            new([DayOfWeek.Monday, DayOfWeek.Wednesday, DayOfWeek.Sunday], new TimeOnly(0, 0), new TimeOnly(2, 30)),
            new([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Sunday], new TimeOnly(8, 0), new TimeOnly(10, 0)),
            new([DayOfWeek.Saturday, DayOfWeek.Sunday], new TimeOnly(22, 0), new TimeOnly(23, 59, 59)),
        ];
        var start = new DateTimeOffset(DateTime.Parse(from, CultureInfo.InvariantCulture), TimeSpan.Zero);
        var opened = 0;
        for (var at = start; at < start.AddDays(8); at = at.AddMinutes(7))
        {
            var expected = TimeFix.Instances(windows, zone, at, at).FirstOrDefault(i => i.Start <= at && at < i.End);
            var open = TimeFix.OpenAt(windows, zone, at);
            Assert.Equal(expected, open);
            if (open is not null) opened++;
        }
        Assert.True(opened > 100, $"only {opened} instants fell in a window");
    }

    [Fact]
    public void Missed_points_are_those_without_a_check_in_inside_the_window()
    {
        var w = TimeFix.Instance(new DateOnly(2026, 11, 23), Weekday, Shanghai);
        var times = new Dictionary<string, DateTimeOffset[]> { ["a"] = [w.Start.AddMinutes(5)], ["b"] = [w.End], ["c"] = [] };
        Assert.Equal(["b", "c"], TimeFix.Missed(["a", "b", "c"], w, p => times[p]));
    }

    [Fact]
    public void Bad_windows_are_refused()
    {
        Assert.Equal("time.window-order", Assert.Throws<GridGovException>(() => TimeFix.ValidateWindows([Weekday with { End = new TimeOnly(7, 0) }])).Rule);
        Assert.Equal("time.window-overlap", Assert.Throws<GridGovException>(() => TimeFix.ValidateWindows([Weekday, Weekday with { Start = new TimeOnly(9, 0), End = new TimeOnly(11, 0) }])).Rule);
        Assert.Equal("time.window-required", Assert.Throws<GridGovException>(() => TimeFix.ValidateWindows([])).Rule);
    }
}

public sealed class RouteFixTests
{
    static PointSummary P(string id, double lat, double lon, bool must = true) => new(id, id, "t", new GeoPoint(lat, lon), "U", must);

    [Fact]
    public void Proposal_visits_every_point_and_is_no_longer_than_the_given_order()
    {
        var rnd = new Random(7);
        var points = Enumerable.Range(0, 30).Select(i => P($"p{i:D2}", 38 + rnd.NextDouble() * 0.01, 114.5 + rnd.NextDouble() * 0.01)).ToList();
        var byId = points.ToDictionary(p => p.Id);
        var proposal = RouteFix.Propose(points);
        Assert.Equal(points.Select(p => p.Id).Order(), proposal.Order());
        var naive = points.Select(p => p.Id).ToArray();
        Assert.True(RouteFix.LengthMeters(proposal, byId) < 0.6 * RouteFix.LengthMeters(naive, byId));
    }

    [Fact]
    public void A_route_must_cover_every_required_point()
    {
        var points = new[] { P("a", 38, 114.5), P("b", 38.001, 114.5), P("c", 38.002, 114.5, must: false) }.ToDictionary(p => p.Id);
        var window = new PatrolWindow([DayOfWeek.Monday], new TimeOnly(8, 0), new TimeOnly(9, 0));
        var e = Assert.Throws<GridGovException>(() => RouteFix.Validate("X", new PatrolRoute("i", ["a", "c"], [window]), points));
        Assert.Equal(("route.missing-required-point", Fix.Route), (e.Rule, e.Fix));
        Assert.Equal("route.unknown-point", Assert.Throws<GridGovException>(() => RouteFix.Validate("X", new PatrolRoute("i", ["a", "b", "z"], [window]), points)).Rule);
        Assert.Equal("route.duplicate-point", Assert.Throws<GridGovException>(() => RouteFix.Validate("X", new PatrolRoute("i", ["a", "b", "a"], [window]), points)).Rule);
        RouteFix.Validate("X", new PatrolRoute("i", ["b", "a"], [window]), points);
    }
}

public sealed class QuantityQualityDutyTests
{
    [Fact]
    public void Shortfall_lists_what_was_missing_or_nothing_when_met()
    {
        var quota = new Quota(2, 10, new() { ["market"] = 2 });
        var s = QuantityFix.Shortfall(new QuotaProgress(new DateOnly(2026, 11, 23), quota, 1, 10, new() { ["market"] = 1 }));
        Assert.Equal((1, 0, 1), (s!.WindowsShort, s.PointsShort, s.VisitsShortPerType["market"]));
        Assert.Null(QuantityFix.Shortfall(new QuotaProgress(new DateOnly(2026, 11, 23), quota, 2, 12, new() { ["market"] = 3 })));
    }

    [Fact]
    public void Distance_evidence_and_deadlines()
    {
        QualityFix.EnsureWithinRadius("p", 49.9, 50);
        Assert.Equal("quality.check-in-distance", Assert.Throws<GridGovException>(() => QualityFix.EnsureWithinRadius("p", 50.1, 50)).Rule);
        Assert.Equal(50, GeoMath.DistanceMeters(new GeoPoint(38, 114.5), new GeoPoint(38 + 50 / 111_195.0, 114.5)), 0.5);
        Assert.Equal("quality.report-evidence", Assert.Throws<GridGovException>(() => QualityFix.EnsureReportEvidence(TicketSource.Citizen, [])).Rule);
        QualityFix.EnsureReportEvidence(TicketSource.Hotline, []);
        var deadlines = new StageDeadlines("C", Severity.Urgent, new() { [TicketStage.Accepted] = TimeSpan.FromMinutes(30) });
        var at = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(at.AddMinutes(30), QualityFix.Deadline(deadlines, TicketStage.Accepted, at));
        Assert.Null(QualityFix.Deadline(deadlines, TicketStage.Handled, at));
    }

    [Fact]
    public void Unit_resolution_prefers_the_points_checklist_then_the_duty_list()
    {
        var duty = new Dictionary<string, string> { ["C1"] = "U1" };
        var point = new PointSummary("p", "p", "market", new GeoPoint(38, 114), "UP", true);
        var type = new PointType("market", "market", true, ["C2"]);
        Assert.Equal("UP", DutyFix.ResolveUnit("X", "C2", duty, point, type));
        Assert.Equal("U1", DutyFix.ResolveUnit("X", "C1", duty, point, type));
        Assert.Equal("duty.category-without-unit", Assert.Throws<GridGovException>(() => DutyFix.ResolveUnit("X", "C3", duty, null, null)).Rule);
    }
}

public sealed class TicketLoopAndEvaluationTests
{
    static readonly Actor Sup = new("s", Role.Supervisor, "1301");

    [Theory]
    [InlineData(TicketStage.Reported, TicketAction.Accept, TicketStage.Accepted)]
    [InlineData(TicketStage.Accepted, TicketAction.Dispatch, TicketStage.Dispatched)]
    [InlineData(TicketStage.Returned, TicketAction.Dispatch, TicketStage.Dispatched)]
    [InlineData(TicketStage.Verified, TicketAction.Close, TicketStage.Closed)]
    public void Allowed_transitions(TicketStage from, TicketAction action, TicketStage to) =>
        Assert.Equal(to, TicketLoop.Next("t", from, action, Sup));

    [Fact]
    public void Refused_transitions_name_the_action()
    {
        Assert.Equal("ticket.close", Assert.Throws<GridGovException>(() => TicketLoop.Next("t", TicketStage.Handled, TicketAction.Close, Sup)).Rule);
        Assert.Equal("ticket.verify", Assert.Throws<GridGovException>(() => TicketLoop.Next("t", TicketStage.Dispatched, TicketAction.VerifyPass, new Actor("i", Role.Inspector, ""))).Rule);
        Assert.Equal("ticket.handle.role", Assert.Throws<GridGovException>(() => TicketLoop.Next("t", TicketStage.Dispatched, TicketAction.Handle, Sup)).Rule);
        Assert.Equal("ticket.escalate", Assert.Throws<GridGovException>(() => TicketLoop.Next("t", TicketStage.Closed, TicketAction.Escalate, Sup)).Rule);
        Assert.Equal(TicketStage.Dispatched, TicketLoop.Next("t", TicketStage.Handled, TicketAction.VerifyFail, new Actor("i", Role.Inspector, "")));
    }

    [Fact]
    public void Score_is_a_weighted_mean_of_ratios_with_a_trace()
    {
        var at = DateTimeOffset.UnixEpoch;
        Fact[] facts = [new("w1", FactKind.WindowClosed, at, "c", 4, 4), new("w2", FactKind.WindowClosed, at, "c", 0, 4), new("q1", FactKind.QuotaDay, at, "i", 1)];
        var weights = new WeightSet(3, new() { [Metric.PatrolCoverage] = 2, [Metric.QuotaCompletion] = 1, [Metric.OnTimeClosure] = 5 }, 80, 60, at, "s");
        var card = EvaluationFix.Score(SubjectKind.Inspector, "i", "2026-11", facts, weights);
        Assert.Equal(Math.Round(100 * (2 * 0.5 + 1 * 1.0) / 3, 2), card.Score);
        Assert.Equal(3, card.WeightVersion);
        Assert.Equal(Card.Yellow, card.Card);
        Assert.Null(card.Components.Single(c => c.Metric == Metric.OnTimeClosure).Ratio);
        Assert.Equal(["w1", "w2"], card.Components.Single(c => c.Metric == Metric.PatrolCoverage).FactIds);
        Assert.Equal("evaluation.card-thresholds", Assert.Throws<GridGovException>(() => EvaluationFix.ValidateWeights(new() { [Metric.PatrolCoverage] = 1 }, 50, 60)).Rule);
    }
}
