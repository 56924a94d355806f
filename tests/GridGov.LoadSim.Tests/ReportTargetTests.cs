namespace GridGov.LoadSim.Tests;

/// <summary>Which city each target is judged on, from figures alone (no city is run).</summary>
public sealed class ReportTargetTests
{
    const long GiB = 1024L * 1024 * 1024;

    static CityReport City(int cells, double workingSetGiB) => new()
    {
        Mode = "embedded", Cells = cells, Points = cells * 10, ActivatedGrains = cells * 11,
        WorkingSetBytes = (long)(workingSetGiB * GiB), HeapBytes = (long)(workingSetGiB * 0.7 * GiB), BytesPerGrain = 3_900,
    };

    static TargetResult[] MemoryTargets(params CityReport[] cities)
    {
        var report = new LoadReport();
        report.Cities.AddRange(cities);
        report.Evaluate();
        return [.. report.Targets.Where(t => t.Target.StartsWith("100,000-point city", StringComparison.Ordinal))];
    }

    [Fact]
    public void The_memory_target_is_judged_on_the_100000_point_city_not_a_larger_one()
    {
        var targets = MemoryTargets(City(1_000, 0.4), City(10_000, 1.5), City(100_000, 6.3));
        var target = Assert.Single(targets);
        Assert.Equal("embedded, 10,000 cells", target.Scope);
        Assert.True(target.Pass);
    }

    [Fact]
    public void Without_a_100000_point_city_the_memory_figure_is_an_extrapolation_with_no_verdict()
    {
        var target = Assert.Single(MemoryTargets(City(1_000, 0.4), City(100_000, 6.3)));
        Assert.StartsWith("extrapolated from embedded, 1,000 cells", target.Scope, StringComparison.Ordinal);
        Assert.Null(target.Pass);
    }
}
