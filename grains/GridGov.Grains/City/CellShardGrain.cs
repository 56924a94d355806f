namespace GridGov.Grains.City;

[GenerateSerializer]
public sealed class CellShardState
{
    /// <summary>Active cells of the community and their GeoJSON boundaries.</summary>
    [Id(0)] public Dictionary<string, string> Cells { get; set; } = new();
}

/// <summary>
/// One community's stored cell boundaries, a shard of the city's registry: a registration writes this community's
/// cells only, never the whole city's.
/// </summary>
public sealed class CellShardGrain([PersistentState("cellshard", GridGovStorage.Name)] IPersistentState<CellShardState> state)
    : Grain, ICellShardGrain
{
    public Task<CellBoundary[]> GetBoundaries() => Task.FromResult(
        state.State.Cells.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new CellBoundary(kv.Key, kv.Value)).ToArray());

    public async Task Put(CellBoundary[] cells)
    {
        var previous = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var cell in cells)
        {
            previous.TryAdd(cell.Code, state.State.Cells.GetValueOrDefault(cell.Code));
            state.State.Cells[cell.Code] = cell.PolygonGeoJson;
        }
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            foreach (var (code, old) in previous)
                if (old is null) state.State.Cells.Remove(code);
                else state.State.Cells[code] = old;
            throw;
        }
    }

    public async Task<bool> Remove(string code)
    {
        if (!state.State.Cells.Remove(code, out var old)) return false;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.Cells[code] = old;
            throw;
        }
        return true;
    }
}
