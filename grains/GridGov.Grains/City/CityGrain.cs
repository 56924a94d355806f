using GridGov.Geo;

namespace GridGov.Grains.City;

[GenerateSerializer]
public sealed class CityState
{
    [Id(0)] public CitySettings? Settings { get; set; }
    [Id(1)] public Dictionary<string, JurisdictionNode> Jurisdictions { get; set; } = new();
    /// <summary>Active cells and their GeoJSON boundaries.</summary>
    [Id(2)] public Dictionary<string, string> ActiveCells { get; set; } = new();
}

/// <summary>A city: settings, jurisdiction tree, and the spatial registry of active cells (定格).</summary>
public sealed class CityGrain([PersistentState("city", GridGovStorage.Name)] IPersistentState<CityState> state) : Grain, ICityGrain
{
    readonly CellRegistry _registry = new();

    public override Task OnActivateAsync(CancellationToken ct)
    {
        foreach (var (code, geoJson) in state.State.ActiveCells) _registry.Add(code, GeoMath.ReadPolygon(geoJson));
        return Task.CompletedTask;
    }

    string CityCode => this.GetPrimaryKeyString();

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

    public async Task DefineJurisdiction(JurisdictionNode node)
    {
        var level = JurisdictionCode.LevelOf(node.Code);
        if (node.Code == CityCode && level == node.Level && !string.IsNullOrWhiteSpace(node.Name))
        {
            state.State.Jurisdictions[node.Code] = node;
            await state.WriteStateAsync();
            return;
        }
        if (level is null or JurisdictionLevel.City or JurisdictionLevel.Cell || level != node.Level)
            throw GridGovException.Violation(Fix.Cell, "cell.jurisdiction-code",
                $"'{node.Code}' is not a {node.Level} code (district 6, street 9, community 12 digits).");
        var parent = JurisdictionCode.ParentOf(node.Code)!;
        if (!state.State.Jurisdictions.ContainsKey(parent))
            throw GridGovException.Violation(Fix.Cell, "cell.jurisdiction-parent", $"Parent jurisdiction {parent} of {node.Code} is not defined.");
        if (string.IsNullOrWhiteSpace(node.Name))
            throw GridGovException.Invalid("jurisdiction.name", "A jurisdiction needs a name.");
        state.State.Jurisdictions[node.Code] = node;
        await state.WriteStateAsync();
    }

    public Task<JurisdictionNode[]> GetJurisdictions() =>
        Task.FromResult(state.State.Jurisdictions.Values.OrderBy(n => n.Code, StringComparer.Ordinal).ToArray());

    public async Task RegisterCell(string code, string polygonGeoJson)
    {
        var community = JurisdictionCode.AncestorAt(code, JurisdictionLevel.Community);
        if (!state.State.Jurisdictions.ContainsKey(community))
            throw GridGovException.Violation(Fix.Cell, "cell.jurisdiction-parent", $"Community {community} of cell {code} is not defined.");
        var previous = state.State.ActiveCells.GetValueOrDefault(code);
        _registry.Add(code, GeoMath.ReadPolygon(polygonGeoJson));
        state.State.ActiveCells[code] = polygonGeoJson;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Put the registry back as it was: the old boundary, or none.
            _registry.Remove(code);
            state.State.ActiveCells.Remove(code);
            if (previous is not null)
            {
                _registry.Add(code, GeoMath.ReadPolygon(previous));
                state.State.ActiveCells[code] = previous;
            }
            throw;
        }
    }

    public async Task UnregisterCell(string code)
    {
        if (!state.State.ActiveCells.Remove(code)) return;
        _registry.Remove(code);
        await state.WriteStateAsync();
    }

    public Task<string> LocateCell(GeoPoint position) => Task.FromResult(_registry.Locate(position));

    public Task<string[]> CellsNear(GeoPoint position, double meters) => Task.FromResult(_registry.Near(position, meters));

    public Task<string[]> CellsIn(string jurisdiction) =>
        Task.FromResult(state.State.ActiveCells.Keys.Where(c => JurisdictionCode.Contains(jurisdiction, c)).OrderBy(c => c, StringComparer.Ordinal).ToArray());
}
