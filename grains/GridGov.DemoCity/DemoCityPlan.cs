namespace GridGov.DemoCity;

/// <summary>
/// A whole demo city as plain data, in load order: settings, jurisdictions (parents first), catalog, inspectors, cells
/// with their points. Built by <see cref="DemoCityGenerator"/>, loaded by <see cref="DemoCityLoader"/>.
/// </summary>
/// <param name="Center">The city centre the geometry was laid around.</param>
/// <param name="Bounds">The clip rectangle: the cells tile it exactly.</param>
/// <param name="Jurisdictions">City, districts, streets, communities, level by level (parents before children).</param>
/// <param name="Deadlines">One entry for every category × severity.</param>
public sealed record DemoCityPlan(
    DemoCityOptions Options,
    string CityCode,
    CitySettings Settings,
    GeoPoint Center,
    DemoCityBounds Bounds,
    JurisdictionNode[] Jurisdictions,
    Category[] Categories,
    PointType[] PointTypes,
    StageDeadlines[] Deadlines,
    ResponsibleUnit[] Units,
    DemoWeights Weights,
    DemoInspector[] Inspectors,
    DemoCell[] Cells)
{
    /// <summary>The number of inspection points over all cells.</summary>
    public int CountPoints()
    {
        var n = 0;
        foreach (var cell in Cells) n += cell.Points.Length;
        return n;
    }

    /// <summary>Every inspection point, cell by cell.</summary>
    public IEnumerable<CreatePoint> EnumeratePoints()
    {
        foreach (var cell in Cells)
            foreach (var point in cell.Points)
                yield return point;
    }
}

/// <summary>A WGS84 rectangle in degrees.</summary>
public sealed record DemoCityBounds(double MinLon, double MinLat, double MaxLon, double MaxLat);

/// <summary>The default score weights (定考核) and card thresholds.</summary>
public sealed record DemoWeights(Dictionary<Metric, double> Weights, double YellowBelow, double RedBelow);

/// <summary>An inspector (网格员) to register, the cells they hold, and their daily quota (定量).</summary>
/// <param name="PrimaryCells">Cells this inspector is primary for (at most the city's limit).</param>
/// <param name="BackupCells">Cells this inspector backs up.</param>
public sealed record DemoInspector(string Id, RegisterInspector Registration, string[] PrimaryCells, string[] BackupCells, Quota Quota);

/// <summary>A grid cell (网格) with its people, duty list (事项清单), points (点位) and patrol windows.</summary>
/// <param name="Cell">The create command: code, name, GeoJSON polygon, primary inspector.</param>
/// <param name="BackupInspectorIds">Backups, never the primary.</param>
/// <param name="DutyList">Every category → a responsible unit.</param>
/// <param name="Points">Points strictly inside the polygon; ids are the cell code + "-" + a 3-digit serial.</param>
/// <param name="Windows">Patrol windows (定时) of the primary's route.</param>
public sealed record DemoCell(CreateCell Cell, string[] BackupInspectorIds, DutyEntry[] DutyList, CreatePoint[] Points, PatrolWindow[] Windows)
{
    /// <summary>The 16-digit cell code.</summary>
    public string Code => Cell.Code;

    /// <summary>The primary inspector's id.</summary>
    public string PrimaryInspectorId => Cell.PrimaryInspectorId;
}
