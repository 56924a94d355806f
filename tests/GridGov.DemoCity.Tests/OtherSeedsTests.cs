using GridGov.DemoCity;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Union;

namespace GridGov.DemoCity.Tests;

/// <summary>The geometric invariants for other seeds, sizes and spacings than the default.</summary>
public class OtherSeedsTests
{
    [Theory]
    [InlineData(2, 300, 450.0)]
    [InlineData(3, 1000, 450.0)]
    [InlineData(4, 57, 300.0)]
    [InlineData(5, 120, 600.0)]
    public void Cells_tile_the_bounds_without_overlap_and_points_sit_inside(int seed, int cells, double spacing)
    {
        var plan = DemoCityGenerator.Generate(new DemoCityOptions { Seed = seed, Cells = cells, CellSpacingMeters = spacing, PointsPerCell = 6 });
        var polygons = plan.Cells.Select(c => PlanGeometry.ParseDegrees(c.Cell.PolygonGeoJson)).ToArray();
        Assert.All(polygons, p => Assert.True(p.IsValid && p.Shell.IsCCW));

        var tree = new STRtree<int>();
        for (var i = 0; i < polygons.Length; i++) tree.Insert(polygons[i].EnvelopeInternal, i);
        tree.Build();
        for (var i = 0; i < polygons.Length; i++)
            foreach (var j in tree.Query(polygons[i].EnvelopeInternal))
                if (j > i) Assert.False(polygons[i].Relate(polygons[j], "2********"), $"{plan.Cells[i].Code} overlaps {plan.Cells[j].Code}.");

        var meters = new PlanGeometry.Meters(plan);
        var union = CascadedPolygonUnion.Union(polygons.Select(meters.Of).Cast<Geometry>().ToArray());
        Assert.Equal(0, Assert.IsType<Polygon>(union).NumInteriorRings);
        Assert.InRange(union.Area / meters.Of(plan.Bounds).Area, 0.99, 1.01);

        for (var c = 0; c < plan.Cells.Length; c++)
        {
            foreach (var point in plan.Cells[c].Points)
            {
                var at = PlanGeometry.PointAt(point.Location);
                var only = Assert.Single(tree.Query(at.EnvelopeInternal), i => polygons[i].Covers(at));
                Assert.Equal(c, only);
                Assert.True(meters.Of(polygons[c]).ExteriorRing.Distance(new Point(meters.Of(point.Location))) >= 10);
            }
        }
    }
}
