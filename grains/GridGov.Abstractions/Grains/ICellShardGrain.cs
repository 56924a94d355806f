namespace GridGov.Grains;

/// <summary>An active cell's stored boundary, as a registry shard holds it.</summary>
[GenerateSerializer, Immutable]
public sealed record CellBoundary(string Code, string PolygonGeoJson);

/// <summary>
/// One community's share of its city's cell registry (key: 12-digit community code): the stored GeoJSON boundaries
/// of the community's active cells. Only the city grain calls it; the city keeps the spatial index in memory and
/// decides overlaps, this shard only makes a registration durable at the cost of one community's cells.
/// </summary>
public interface ICellShardGrain : IGrainWithStringKey
{
    /// <summary>Every stored boundary of the community, ordered by cell code.</summary>
    Task<CellBoundary[]> GetBoundaries();
    /// <summary>Stores (or replaces) the boundaries of the given cells with one write; all or none.</summary>
    Task Put([Immutable] CellBoundary[] cells);
    /// <summary>Forgets a cell's boundary; false when it had none.</summary>
    Task<bool> Remove(string code);
}
