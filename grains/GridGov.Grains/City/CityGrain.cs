using GridGov.Geo;
using NetTopologySuite.Geometries;

namespace GridGov.Grains.City;

[GenerateSerializer]
public sealed class CityState
{
    [Id(0)] public CitySettings? Settings { get; set; }
    [Id(1)] public Dictionary<string, JurisdictionNode> Jurisdictions { get; set; } = new();
    /// <summary>
    /// Legacy: active cells and their GeoJSON boundaries, as cities stored them before the registry was sharded per
    /// community (<see cref="CellShardGrain"/>). Moved into the shards and emptied when the city activates.
    /// </summary>
    [Id(2)] public Dictionary<string, string> ActiveCells { get; set; } = new();
}

/// <summary>
/// A city: settings, jurisdiction tree, and the spatial registry of active cells (定格). The registry lives in memory;
/// its boundaries are stored per community in <see cref="ICellShardGrain"/>s, so registering a cell writes one
/// community's cells, and activation reads the shards of the city's communities in parallel.
/// </summary>
public sealed class CityGrain([PersistentState("city", GridGovStorage.Name)] IPersistentState<CityState> state, IGrainFactory grains)
    : Grain, ICityGrain
{
    readonly CellRegistry _registry = new();
    /// <summary>The registry's boundaries by cell code (shared with it), for rollback and <see cref="CellsIn"/>.</summary>
    readonly Dictionary<string, Geometry> _boundaries = new(StringComparer.Ordinal);

    string CityCode => this.GetPrimaryKeyString();

    ICellShardGrain Shard(string community) => grains.GetGrain<ICellShardGrain>(community);

    public override async Task OnActivateAsync(CancellationToken ct)
    {
        var communities = state.State.Jurisdictions.Values.Where(n => n.Level == JurisdictionLevel.Community).Select(n => n.Code).ToHashSet();
        if (state.State.ActiveCells.Count > 0) communities.UnionWith(await MoveCellsToShards());
        var shards = await Task.WhenAll(communities.Select(c => Shard(c).GetBoundaries()));
        foreach (var shard in shards)
            foreach (var cell in shard)
                Add(cell.Code, GeoMath.ReadPolygon(cell.PolygonGeoJson));
    }

    /// <summary>One-time migration of a city stored before sharding: its cells go to their communities' shards, then the old dictionary is cleared.</summary>
    /// <returns>The communities that received cells.</returns>
    async Task<string[]> MoveCellsToShards()
    {
        var byCommunity = state.State.ActiveCells
            .GroupBy(kv => JurisdictionCode.AncestorAt(kv.Key, JurisdictionLevel.Community), StringComparer.Ordinal)
            .ToArray();
        // Shards first: if the city's write fails, the next activation moves the same cells again (Put replaces).
        await Task.WhenAll(byCommunity.Select(g => Shard(g.Key).Put(g.Select(kv => new CellBoundary(kv.Key, kv.Value)).ToArray())));
        state.State.ActiveCells.Clear();
        await state.WriteStateAsync();
        return byCommunity.Select(g => g.Key).ToArray();
    }

    void Add(string code, Geometry boundary)
    {
        _registry.Add(code, boundary);
        _boundaries[code] = boundary;
    }

    void Remove(string code)
    {
        _registry.Remove(code);
        _boundaries.Remove(code);
    }

    public async Task<CitySettings> Configure(CitySettings settings)
    {
        if (JurisdictionCode.LevelOf(CityCode) != JurisdictionLevel.City)
            throw GridGovException.Invalid("city.code", $"'{CityCode}' is not a 4-digit city code.");
        TimeFix.Zone(settings.TimeZone);
        if (settings.CheckInRadiusMeters <= 0 || settings.MaxPrimaryCellsPerInspector < 1)
            throw GridGovException.Invalid("city.settings", "The check-in radius must be positive and an inspector must be allowed at least one cell.");
        state.State.Settings = settings;
        state.State.Jurisdictions[CityCode] = new JurisdictionNode(CityCode, settings.Name, JurisdictionLevel.City);
        await state.WriteStateAsync();
        return settings;
    }

    public Task<CitySettings> GetSettings() =>
        Task.FromResult(state.State.Settings ?? throw GridGovException.NotFound("City", CityCode));

    public Task DefineJurisdiction(JurisdictionNode node) => DefineJurisdictions([node]);

    public async Task DefineJurisdictions(JurisdictionNode[] nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var previous = new Dictionary<string, JurisdictionNode?>(StringComparer.Ordinal);
        try
        {
            foreach (var node in nodes)
            {
                EnsureDefinable(node);
                previous.TryAdd(node.Code, state.State.Jurisdictions.GetValueOrDefault(node.Code));
                state.State.Jurisdictions[node.Code] = node;
            }
            if (nodes.Length > 0) await state.WriteStateAsync();
        }
        catch
        {
            // All or none: put back what the refused or unsaved batch changed.
            foreach (var (code, old) in previous)
                if (old is null) state.State.Jurisdictions.Remove(code);
                else state.State.Jurisdictions[code] = old;
            throw;
        }
    }

    /// <summary>A node may be defined when it is this city (renamed) or a well-formed child of a defined parent.</summary>
    void EnsureDefinable(JurisdictionNode node)
    {
        var level = JurisdictionCode.LevelOf(node.Code);
        if (node.Code == CityCode && level == node.Level && !string.IsNullOrWhiteSpace(node.Name)) return;
        if (level is null or JurisdictionLevel.City or JurisdictionLevel.Cell || level != node.Level)
            throw GridGovException.Violation(Fix.Cell, "cell.jurisdiction-code",
                $"'{node.Code}' is not a {node.Level} code (district 6, street 9, community 12 digits).");
        var parent = JurisdictionCode.ParentOf(node.Code)!;
        if (!state.State.Jurisdictions.ContainsKey(parent))
            throw GridGovException.Violation(Fix.Cell, "cell.jurisdiction-parent", $"Parent jurisdiction {parent} of {node.Code} is not defined.");
        if (string.IsNullOrWhiteSpace(node.Name))
            throw GridGovException.Invalid("jurisdiction.name", "A jurisdiction needs a name.");
    }

    public Task<JurisdictionNode[]> GetJurisdictions() =>
        Task.FromResult(state.State.Jurisdictions.Values.OrderBy(n => n.Code, StringComparer.Ordinal).ToArray());

    public async Task RegisterCell(string code, string polygonGeoJson)
    {
        var community = JurisdictionCode.AncestorAt(code, JurisdictionLevel.Community);
        if (!state.State.Jurisdictions.ContainsKey(community))
            throw GridGovException.Violation(Fix.Cell, "cell.jurisdiction-parent", $"Community {community} of cell {code} is not defined.");
        var previous = _boundaries.GetValueOrDefault(code);
        Add(code, GeoMath.ReadPolygon(polygonGeoJson));
        try
        {
            await Shard(community).Put([new CellBoundary(code, polygonGeoJson)]);
        }
        catch
        {
            // Put the registry back as it was: the old boundary, or none.
            Remove(code);
            if (previous is not null) Add(code, previous);
            throw;
        }
    }

    public async Task UnregisterCell(string code)
    {
        if (!_boundaries.TryGetValue(code, out var boundary)) return;
        Remove(code);
        try
        {
            await Shard(JurisdictionCode.AncestorAt(code, JurisdictionLevel.Community)).Remove(code);
        }
        catch
        {
            Add(code, boundary);
            throw;
        }
    }

    public Task<string> LocateCell(GeoPoint position) => Task.FromResult(_registry.Locate(position));

    public Task<string[]> CellsNear(GeoPoint position, double meters) => Task.FromResult(_registry.Near(position, meters));

    public Task<string[]> CellsIn(string jurisdiction) =>
        Task.FromResult(_boundaries.Keys.Where(c => JurisdictionCode.Contains(jurisdiction, c)).OrderBy(c => c, StringComparer.Ordinal).ToArray());
}
