using System.Diagnostics;
using GridGov.DemoCity;
using Xunit.Abstractions;

namespace GridGov.DemoCity.Tests;

public class LargeCityTests(ITestOutputHelper output)
{
    [Fact]
    public void Ten_thousand_cells_and_a_hundred_thousand_points_generate_with_the_same_invariants()
    {
        var options = DemoCityOptions.Benchmark(cells: 10_000, pointsPerCell: 10);
        var watch = Stopwatch.StartNew();
        var plan = DemoCityGenerator.Generate(options);
        var first = watch.Elapsed;
        watch.Restart();
        var again = DemoCityGenerator.Generate(options);
        var second = watch.Elapsed;
        var (d, s, m) = DemoCityGenerator.Shape(options.Cells);
        output.WriteLine($"10,000 cells / {plan.CountPoints():N0} points: first run {PlanGeometry.Format(first)}, second run {PlanGeometry.Format(second)}");
        output.WriteLine($"shape: {d} districts × {s} streets × {m} communities; {plan.Inspectors.Length} inspectors, {plan.Units.Length} units, {plan.Jurisdictions.Length} jurisdictions");

        Assert.Equal(10_000, plan.Cells.Length);
        Assert.Equal(100_000, plan.CountPoints());
        Assert.Equal(5_000, plan.Inspectors.Length);
        Assert.Equal(118, plan.Units.Length);
        Assert.Equal(39, plan.PointTypes.Length);
        Assert.Equal(plan.Cells[^1].Cell.PolygonGeoJson, again.Cells[^1].Cell.PolygonGeoJson);
        Assert.Equal(plan.Cells[^1].Points[^1], again.Cells[^1].Points[^1]);

        // Codes: well formed, unique, ancestors defined.
        var defined = plan.Jurisdictions.Select(n => n.Code).ToHashSet();
        Assert.Equal(plan.Jurisdictions.Length, defined.Count);
        Assert.All(plan.Jurisdictions, n => Assert.Equal(n.Level, JurisdictionCode.LevelOf(n.Code)));
        Assert.Equal(plan.Cells.Length, plan.Cells.Select(c => c.Code).Distinct().Count());
        foreach (var cell in plan.Cells)
        {
            Assert.Equal(JurisdictionLevel.Cell, JurisdictionCode.LevelOf(cell.Code));
            Assert.Contains(JurisdictionCode.ParentOf(cell.Code)!, defined);
        }
        Assert.Equal(100_000, plan.EnumeratePoints().Select(p => p.Id).Distinct().Count());
        Assert.Equal(plan.Inspectors.Length, plan.Inspectors.Select(i => i.Id).Distinct().Count());

        // People and duty.
        var categories = plan.Categories.Length;
        var units = plan.Units.Select(u => u.Id).ToHashSet();
        foreach (var cell in plan.Cells)
        {
            Assert.NotEqual(cell.PrimaryInspectorId, Assert.Single(cell.BackupInspectorIds));
            Assert.Equal(categories, cell.DutyList.Select(e => e.Category).Distinct().Count());
            Assert.All(cell.DutyList, e => Assert.Contains(e.UnitId, units));
        }
        Assert.All(plan.Cells.GroupBy(c => c.PrimaryInspectorId), g => Assert.InRange(g.Count(), 1, 3));

        // A sample of points: inside their own cell, at least 10 m from its boundary; and a sample of polygons valid.
        var meters = new PlanGeometry.Meters(plan);
        var rng = new Random(5);
        for (var k = 0; k < 2_000; k++)
        {
            var cell = plan.Cells[rng.Next(plan.Cells.Length)];
            var polygon = PlanGeometry.ParseDegrees(cell.Cell.PolygonGeoJson);
            var point = cell.Points[rng.Next(cell.Points.Length)];
            Assert.True(polygon.Contains(PlanGeometry.PointAt(point.Location)), $"{point.Id} is outside {cell.Code}.");
            var distance = meters.Of(polygon).ExteriorRing.Distance(new NetTopologySuite.Geometries.Point(meters.Of(point.Location)));
            Assert.True(distance >= 10, $"{point.Id} is {distance:F1} m from its boundary.");
            if (k % 10 == 0) Assert.True(polygon.IsValid && polygon.Shell.IsCCW, $"{cell.Code} is not a valid CCW polygon.");
        }
    }
}
