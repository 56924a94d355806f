namespace GridGov.DemoCity;

/// <summary>
/// What demo city (示范城市) to generate. The same options, seed included, always give the same plan.
/// </summary>
public sealed record DemoCityOptions
{
    /// <summary>The number of point types (点位类型); fixed.</summary>
    public const int PointTypeCount = 39;

    /// <summary>Grid cells (网格).</summary>
    public int Cells { get; init; } = 120;

    /// <summary>Inspection points (点位) per cell.</summary>
    public int PointsPerCell { get; init; } = 10;

    /// <summary>Inspectors (网格员); null means Cells / 2, raised to the minimum the streets need.</summary>
    public int? Inspectors { get; init; }

    /// <summary>Responsible units (包保单位).</summary>
    public int Units { get; init; } = 118;

    /// <summary>Point types; always <see cref="PointTypeCount"/>.</summary>
    public int PointTypes => PointTypeCount;

    /// <summary>Seed of the only random source, <c>new Random(Seed)</c>.</summary>
    public int Seed { get; init; } = 1301;

    /// <summary>Latitude of the city centre (default: Shijiazhuang).</summary>
    public double CenterLat { get; init; } = 38.04;

    /// <summary>Longitude of the city centre.</summary>
    public double CenterLon { get; init; } = 114.51;

    /// <summary>Mean distance between neighbouring cell sites; cells come out about this wide.</summary>
    public double CellSpacingMeters { get; init; } = 450;

    /// <summary>The demo city: 120 cells, about 1,200 points of 39 types, 118 units, 60 inspectors.</summary>
    public static DemoCityOptions Default { get; } = new();

    /// <summary>A benchmark city, e.g. 10,000 cells and 100,000 points.</summary>
    public static DemoCityOptions Benchmark(int cells = 10_000, int pointsPerCell = 10, int seed = 1301) =>
        new() { Cells = cells, PointsPerCell = pointsPerCell, Seed = seed };
}
