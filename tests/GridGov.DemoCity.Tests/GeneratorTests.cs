using System.Text.Json;
using System.Text.RegularExpressions;
using GridGov.DemoCity;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Union;

namespace GridGov.DemoCity.Tests;

public class GeneratorTests
{
    static DemoCityPlan Plan => Plans.Default;

    [Fact]
    public void Same_seed_gives_the_same_plan_and_another_seed_another()
    {
        var a = JsonSerializer.Serialize(DemoCityGenerator.Generate(DemoCityOptions.Default));
        var b = JsonSerializer.Serialize(DemoCityGenerator.Generate(new DemoCityOptions()));
        var c = JsonSerializer.Serialize(DemoCityGenerator.Generate(new DemoCityOptions { Seed = 7 }));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(a, JsonSerializer.Serialize(Plan));
    }

    [Fact]
    public void Same_options_at_another_size_give_the_same_plan()
    {
        var options = new DemoCityOptions { Cells = 537, PointsPerCell = 7, Units = 40, Seed = 99 };
        Assert.Equal(
            JsonSerializer.Serialize(DemoCityGenerator.Generate(options)),
            JsonSerializer.Serialize(DemoCityGenerator.Generate(options with { })));
    }

    [Fact]
    public void Default_city_has_the_seed_documents_scale()
    {
        Assert.Equal("1301", Plan.CityCode);
        Assert.Equal(new CitySettings("示范市 Demo City", "Asia/Shanghai", 50, 3), Plan.Settings);
        Assert.Equal(120, Plan.Cells.Length);
        Assert.Equal(1200, Plan.CountPoints());
        Assert.Equal(39, Plan.PointTypes.Length);
        Assert.Equal(39, Plan.PointTypes.Select(t => t.Code).Distinct().Count());
        Assert.Equal(39, Plan.EnumeratePoints().Select(p => p.TypeCode).Distinct().Count());
        Assert.InRange(Plan.PointTypes.Count(t => t.MustPatrol), 30, 34);
        Assert.Equal(118, Plan.Units.Length);
        Assert.Equal(60, Plan.Inspectors.Length);
        Assert.InRange(Plan.Categories.Length, 18, 24);

        var levels = Plan.Jurisdictions.GroupBy(n => n.Level).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(1, levels[JurisdictionLevel.City]);
        Assert.Equal(4, levels[JurisdictionLevel.District]);
        Assert.Equal(12, levels[JurisdictionLevel.Street]);
        Assert.Equal(24, levels[JurisdictionLevel.Community]);
        Assert.All(Plan.Cells.GroupBy(c => c.Code[..12]), g => Assert.Equal(5, g.Count()));
    }

    [Fact]
    public void Every_code_is_well_formed_unique_and_its_ancestors_are_defined_first()
    {
        var seen = new Dictionary<string, int>();
        for (var i = 0; i < Plan.Jurisdictions.Length; i++)
        {
            var node = Plan.Jurisdictions[i];
            Assert.Equal(node.Level, JurisdictionCode.LevelOf(node.Code));
            Assert.StartsWith("1301", node.Code);
            Assert.False(string.IsNullOrWhiteSpace(node.Name));
            foreach (var ancestor in JurisdictionCode.AncestorsOf(node.Code))
                Assert.True(seen.ContainsKey(ancestor), $"{node.Code}: ancestor {ancestor} is not defined before it.");
            Assert.True(seen.TryAdd(node.Code, i), $"{node.Code} is defined twice.");
        }
        Assert.DoesNotContain(Plan.Jurisdictions, n => n.Level == JurisdictionLevel.Cell);

        Assert.Equal(Plan.Cells.Length, Plan.Cells.Select(c => c.Code).Distinct().Count());
        foreach (var cell in Plan.Cells)
        {
            Assert.Equal(JurisdictionLevel.Cell, JurisdictionCode.LevelOf(cell.Code));
            Assert.All(JurisdictionCode.AncestorsOf(cell.Code), a => Assert.True(seen.ContainsKey(a), $"{cell.Code}: {a} undefined."));
            Assert.NotEqual("0000", cell.Code[12..]);
            Assert.False(string.IsNullOrWhiteSpace(cell.Cell.Name));
        }

        var pointIds = Plan.EnumeratePoints().Select(p => p.Id).ToArray();
        Assert.Equal(pointIds.Length, pointIds.Distinct().Count());
        foreach (var cell in Plan.Cells)
            Assert.All(cell.Points, p => Assert.Matches("^" + cell.Code + @"-\d{3}$", p.Id));
        Assert.All(Plan.EnumeratePoints(), p => Assert.False(string.IsNullOrWhiteSpace(p.Name)));

        Assert.All(Plan.Units, u => Assert.Matches(@"^U\d{3}$", u.Id));
        Assert.Equal(Plan.Units.Length, Plan.Units.Select(u => u.Id).Distinct().Count());
        Assert.All(Plan.Units, u =>
        {
            Assert.Contains(JurisdictionCode.LevelOf(u.Jurisdiction), new JurisdictionLevel?[] { JurisdictionLevel.District, JurisdictionLevel.Street });
            Assert.True(seen.ContainsKey(u.Jurisdiction));
        });

        Assert.All(Plan.Inspectors, i => Assert.Matches(@"^I\d{4}$", i.Id));
        Assert.Equal(Plan.Inspectors.Length, Plan.Inspectors.Select(i => i.Id).Distinct().Count());
        Assert.All(Plan.Inspectors, i =>
        {
            Assert.True(seen.ContainsKey(i.Registration.Jurisdiction));
            Assert.False(string.IsNullOrWhiteSpace(i.Registration.Name));
        });

        Assert.Equal(Plan.Categories.Length, Plan.Categories.Select(c => c.Code).Distinct().Count());
    }

    [Fact]
    public void Every_polygon_is_valid_closed_counter_clockwise_and_a_few_hundred_metres_across()
    {
        var meters = new PlanGeometry.Meters(Plan);
        var widths = new List<double>();
        foreach (var cell in Plan.Cells)
        {
            var ring = PlanGeometry.ReadRing(cell.Cell.PolygonGeoJson);
            var polygon = PlanGeometry.ParseDegrees(cell.Cell.PolygonGeoJson);
            Assert.True(polygon.IsValid, $"{cell.Code} is not valid.");
            Assert.Equal(0, polygon.NumInteriorRings);
            Assert.Equal(ring.Length, polygon.ExteriorRing.NumPoints);
            Assert.True(polygon.Shell.IsCCW, $"{cell.Code} is not counter-clockwise.");
            var area = meters.Of(polygon).Area;
            widths.Add(2 * Math.Sqrt(area / Math.PI));
        }
        widths.Sort();
        Assert.InRange(widths[widths.Count / 2], 300, 600);
        Assert.InRange(widths[0], 150, 700);
        Assert.InRange(widths[^1], 300, 900);
    }

    [Fact]
    public void Cells_do_not_overlap_and_tile_the_bounds()
    {
        var polygons = Plan.Cells.Select(c => PlanGeometry.ParseDegrees(c.Cell.PolygonGeoJson)).ToArray();
        var tree = new STRtree<int>();
        for (var i = 0; i < polygons.Length; i++) tree.Insert(polygons[i].EnvelopeInternal, i);
        tree.Build();

        var meters = new PlanGeometry.Meters(Plan);
        var neighbours = 0;
        for (var i = 0; i < polygons.Length; i++)
        {
            foreach (var j in tree.Query(polygons[i].EnvelopeInternal))
            {
                if (j <= i) continue;
                Assert.False(polygons[i].Relate(polygons[j], "2********"), $"{Plan.Cells[i].Code} overlaps {Plan.Cells[j].Code}.");
                var overlap = meters.Of(polygons[i]).Intersection(meters.Of(polygons[j])).Area;
                Assert.True(overlap < 0.01, $"{Plan.Cells[i].Code} and {Plan.Cells[j].Code} share {overlap} m².");
                if (polygons[i].Relate(polygons[j], "F***1****")) neighbours++;
            }
        }
        Assert.True(neighbours >= polygons.Length, "Cells should share edges with their neighbours.");

        var union = CascadedPolygonUnion.Union(polygons.Select(meters.Of).Cast<Geometry>().ToArray());
        var bounds = meters.Of(Plan.Bounds);
        var polygon = Assert.IsType<Polygon>(union);
        Assert.Equal(0, polygon.NumInteriorRings);
        Assert.InRange(union.Area / bounds.Area, 0.99, 1.01);
        Assert.True(bounds.Buffer(1).Covers(union));
    }

    [Fact]
    public void Communities_streets_and_districts_are_spatially_compact()
    {
        var polygons = Plan.Cells.ToDictionary(c => c.Code, c => (Geometry)PlanGeometry.ParseDegrees(c.Cell.PolygonGeoJson));
        foreach (var level in new[] { JurisdictionLevel.Community, JurisdictionLevel.Street, JurisdictionLevel.District })
        {
            foreach (var group in Plan.Cells.GroupBy(c => JurisdictionCode.AncestorAt(c.Code, level)))
            {
                var union = CascadedPolygonUnion.Union(group.Select(c => polygons[c.Code]).ToArray());
                Assert.True(union is Polygon, $"{level} {group.Key} is not one connected piece.");
            }
        }
    }

    [Fact]
    public void Every_point_lies_in_exactly_one_cell_at_least_10_m_from_its_boundary()
    {
        var polygons = Plan.Cells.Select(c => PlanGeometry.ParseDegrees(c.Cell.PolygonGeoJson)).ToArray();
        var tree = new STRtree<int>();
        for (var i = 0; i < polygons.Length; i++) tree.Insert(polygons[i].EnvelopeInternal, i);
        tree.Build();
        var meters = new PlanGeometry.Meters(Plan);
        var metric = polygons.Select(meters.Of).ToArray();

        foreach (var cell in Plan.Cells)
        {
            foreach (var point in cell.Points)
            {
                var at = PlanGeometry.PointAt(point.Location);
                var containing = tree.Query(at.EnvelopeInternal).Where(i => polygons[i].Covers(at)).ToArray();
                var only = Assert.Single(containing);
                Assert.Equal(cell.Code, Plan.Cells[only].Code);
                Assert.Equal(Math.Round(point.Location.Lat, 7), point.Location.Lat);
                Assert.Equal(Math.Round(point.Location.Lon, 7), point.Location.Lon);

                var distance = metric[only].ExteriorRing.Distance(new Point(meters.Of(point.Location)));
                Assert.True(distance >= 10, $"{point.Id} is {distance:F1} m from its cell's boundary.");
            }
        }
    }

    [Fact]
    public void Every_cell_has_one_primary_and_one_other_backup_from_its_street()
    {
        var inspectors = Plan.Inspectors.ToDictionary(i => i.Id);
        foreach (var cell in Plan.Cells)
        {
            var primary = inspectors[cell.PrimaryInspectorId];
            var backup = inspectors[Assert.Single(cell.BackupInspectorIds)];
            Assert.NotEqual(primary.Id, backup.Id);
            Assert.Equal(cell.Code[..9], primary.Registration.Jurisdiction);
            Assert.Equal(cell.Code[..9], backup.Registration.Jurisdiction);
            Assert.Contains(cell.Code, primary.PrimaryCells);
            Assert.Contains(cell.Code, backup.BackupCells);
        }

        var held = Plan.Cells.GroupBy(c => c.PrimaryInspectorId).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(held.Values, n => Assert.InRange(n, 1, Plan.Settings.MaxPrimaryCellsPerInspector));
        // With the defaults every inspector is primary for exactly two cells of one street.
        Assert.Equal(Plan.Inspectors.Length, held.Count);
        Assert.All(held.Values, n => Assert.Equal(2, n));
        Assert.All(Plan.Inspectors, i => Assert.Equal(Plan.Cells.Where(c => c.PrimaryInspectorId == i.Id).Select(c => c.Code), i.PrimaryCells));
    }

    [Fact]
    public void Duty_lists_route_every_category_to_an_existing_unit_and_checklists_name_existing_categories()
    {
        var categories = Plan.Categories.Select(c => c.Code).ToHashSet();
        var units = Plan.Units.ToDictionary(u => u.Id);
        foreach (var cell in Plan.Cells)
        {
            Assert.Equal(categories.Order(), cell.DutyList.Select(d => d.Category).Order());
            Assert.All(cell.DutyList, d =>
            {
                var unit = units[d.UnitId];
                Assert.True(JurisdictionCode.Contains(unit.Jurisdiction, cell.Code), $"{cell.Code}: {d.Category} goes to {unit.Name} outside the district.");
            });
            Assert.All(cell.Points, p => Assert.True(units.ContainsKey(p.UnitId)));
        }

        var types = Plan.PointTypes.ToDictionary(t => t.Code);
        Assert.All(Plan.PointTypes, t =>
        {
            Assert.NotEmpty(t.Checklist);
            Assert.All(t.Checklist, c => Assert.Contains(c, categories));
            Assert.InRange(t.MinVisitsPerDay, 1, 2);
        });
        Assert.All(Plan.EnumeratePoints(), p => Assert.True(types.ContainsKey(p.TypeCode)));
        Assert.All(Plan.Cells, c => Assert.Contains(c.Points, p => types[p.TypeCode].MustPatrol));

        // Units are spread: a district's cells use several of its units, not one catch-all.
        Assert.True(Plan.Cells[0].DutyList.Select(d => d.UnitId).Distinct().Count() >= 8);
        Assert.True(Plan.EnumeratePoints().Select(p => p.UnitId).Distinct().Count() >= 60);
    }

    [Fact]
    public void Deadlines_windows_quotas_and_weights_are_complete()
    {
        Assert.Equal(Plan.Categories.Length * 3, Plan.Deadlines.Length);
        var stages = new[] { TicketStage.Reported, TicketStage.Accepted, TicketStage.Dispatched, TicketStage.Returned, TicketStage.Handled, TicketStage.Verified };
        foreach (var category in Plan.Categories)
        {
            foreach (var severity in Enum.GetValues<Severity>())
            {
                var d = Assert.Single(Plan.Deadlines, x => x.Category == category.Code && x.Severity == severity);
                Assert.Equal(stages.Order(), d.Limits.Keys.Order());
                Assert.All(d.Limits.Values, v => Assert.True(v > TimeSpan.Zero));
            }
            var urgent = Plan.Deadlines.Single(x => x.Category == category.Code && x.Severity == Severity.Urgent).Limits;
            var normal = Plan.Deadlines.Single(x => x.Category == category.Code && x.Severity == Severity.Normal).Limits;
            Assert.Equal(TimeSpan.FromMinutes(30), urgent[TicketStage.Accepted]);
            Assert.Equal(TimeSpan.FromHours(2), urgent[TicketStage.Dispatched]);
            Assert.All(stages, s => Assert.True(normal[s] > urgent[s]));
        }

        Assert.All(Plan.Cells, c =>
        {
            Assert.Equal(2, c.Windows.Length);
            Assert.All(c.Windows, w => Assert.Equal(7, w.Days.Distinct().Count()));
            Assert.Equal((new TimeOnly(8, 0), new TimeOnly(10, 0)), (c.Windows[0].Start, c.Windows[0].End));
            Assert.Equal((new TimeOnly(14, 0), new TimeOnly(16, 0)), (c.Windows[1].Start, c.Windows[1].End));
        });

        var types = Plan.PointTypes.ToDictionary(t => t.Code);
        foreach (var inspector in Plan.Inspectors)
        {
            var mine = Plan.Cells.Where(c => c.PrimaryInspectorId == inspector.Id).ToArray();
            Assert.Equal(2 * mine.Length, inspector.Quota.WindowsPerDay);
            Assert.Equal(mine.Sum(c => c.Points.Count(p => types[p.TypeCode].MustPatrol)), inspector.Quota.PointsPerDay);
            Assert.All(inspector.Quota.VisitsPerType, kv => Assert.Equal(2, types[kv.Key].MinVisitsPerDay));
        }

        Assert.Equal(Enum.GetValues<Metric>().Order(), Plan.Weights.Weights.Keys.Order());
        Assert.Equal(1.0, Plan.Weights.Weights.Values.Sum(), 9);
        Assert.Equal(80, Plan.Weights.YellowBelow);
        Assert.Equal(60, Plan.Weights.RedBelow);
    }

    [Fact]
    public void Small_and_odd_sized_cities_keep_the_invariants()
    {
        foreach (var cells in new[] { 1, 2, 7, 33, 250 })
        {
            var plan = DemoCityGenerator.Generate(new DemoCityOptions { Cells = cells, PointsPerCell = 3, Units = 10 });
            Assert.Equal(cells, plan.Cells.Length);
            Assert.Equal(cells * 3, plan.CountPoints());
            Assert.Equal(10, plan.Units.Length);
            Assert.All(plan.Cells, c =>
            {
                Assert.True(PlanGeometry.ParseDegrees(c.Cell.PolygonGeoJson).IsValid);
                Assert.NotEqual(c.PrimaryInspectorId, Assert.Single(c.BackupInspectorIds));
                Assert.Equal(plan.Categories.Length, c.DutyList.Length);
            });
            Assert.All(plan.Cells.GroupBy(c => c.PrimaryInspectorId), g => Assert.InRange(g.Count(), 1, 3));
        }
    }

    [Fact]
    public void Too_few_inspectors_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DemoCityGenerator.Generate(new DemoCityOptions { Inspectors = 30 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => DemoCityGenerator.Generate(new DemoCityOptions { Cells = 0 }));
        var more = DemoCityGenerator.Generate(new DemoCityOptions { Inspectors = 100 });
        Assert.Equal(100, more.Inspectors.Length);
        Assert.All(more.Cells.GroupBy(c => c.PrimaryInspectorId), g => Assert.InRange(g.Count(), 1, 3));
    }

    [Fact]
    public void Shape_follows_the_documented_split()
    {
        Assert.Equal((4, 3, 2), DemoCityGenerator.Shape(120));
        var (d, s, m) = DemoCityGenerator.Shape(10_000);
        Assert.InRange(d, 8, 30);
        Assert.InRange(10_000.0 / (d * s * m), 5, 10);
        Assert.Matches(new Regex("^1301$"), DemoCityGenerator.CityCode);
    }
}
