using GridGov.DemoCity;

namespace GridGov.Grains.Tests;

/// <summary>The demo city loads through the grains and every cell comes out ready to patrol.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DemoCityLoadTests(ClusterFixture fixture)
{
    [Fact]
    public async Task The_demo_city_loads_and_each_cell_is_staffed_routed_and_patrollable()
    {
        var plan = DemoCityGenerator.Generate(DemoCityOptions.Default);
        var report = await DemoCityLoader.LoadAsync(fixture.Grains, plan);
        Assert.Equal((120, 1200, 39, 118, 60), (report.Cells, report.Points, report.PointTypes, report.Units, report.Inspectors));

        var city = fixture.Grains.GetGrain<ICityGrain>(plan.CityCode);
        Assert.Equal(120, (await city.CellsIn(plan.CityCode)).Length);
        foreach (var demo in plan.Cells)
        {
            var cell = fixture.Grains.GetGrain<ICellGrain>(demo.Code);
            var info = await cell.Get();
            Assert.Equal(demo.PrimaryInspectorId, info.PrimaryInspectorId);
            Assert.Equal(demo.Points.Length, info.PointIds.Length);
            var route = Assert.Single(await cell.GetRoutes());
            var mustPatrol = plan.PointTypes.Where(t => t.MustPatrol).Select(t => t.Code).ToHashSet();
            Assert.Equal(demo.Points.Where(p => mustPatrol.Contains(p.TypeCode)).Select(p => p.Id).Order(), route.PointIds.Order());
        }

        // Every point is found in its own cell by position alone.
        foreach (var p in plan.Cells.Take(10).SelectMany(c => c.Points.Select(p => (c.Code, p))))
            Assert.Equal(p.Code, await city.LocateCell(p.p.Location));

        // A primary can patrol: inside a window, at the point, the check-in counts.
        ClusterFixture.AdvanceToLocal(new TimeOnly(8, 15));
        var first = plan.Cells[0];
        var point = first.Points.First(p => IsMustPatrol(plan, p));
        var record = await fixture.Grains.GetGrain<IInspectionPointGrain>(point.Id).CheckIn(new CheckIn(first.PrimaryInspectorId, point.Location));
        Assert.True(record.Counted);
    }

    static bool IsMustPatrol(DemoCityPlan plan, CreatePoint p) => plan.PointTypes.Single(t => t.Code == p.TypeCode).MustPatrol;
}
