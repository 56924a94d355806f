namespace GridGov.Grains;

/// <summary>
/// A city (key: 4-digit city code): its settings, its jurisdiction tree and the spatial registry of its active
/// cells, which is where "no overlap" and "every point in exactly one cell" (定格) are decided.
/// </summary>
public interface ICityGrain : IGrainWithStringKey
{
    Task<CitySettings> Configure(CitySettings settings);
    Task<CitySettings> GetSettings();
    Task DefineJurisdiction(JurisdictionNode node);
    /// <summary>Defines nodes in order (a parent before its children) with one write; all or none.</summary>
    Task DefineJurisdictions([Immutable] JurisdictionNode[] nodes);
    Task<JurisdictionNode[]> GetJurisdictions();
    /// <summary>Registers an active cell's boundary; refused if it overlaps another active cell.</summary>
    Task RegisterCell(string code, string polygonGeoJson);
    Task UnregisterCell(string code);
    /// <summary>The one active cell containing the position; refused when there is none or more than one.</summary>
    Task<string> LocateCell(GeoPoint position);
    Task<string[]> CellsIn(string jurisdiction);
    /// <summary>Active cells whose boundary lies within <paramref name="meters"/> of the position.</summary>
    Task<string[]> CellsNear(GeoPoint position, double meters);
}

/// <summary>Reference data of a city (key: city code): point types, categories, stage deadlines, units, weight sets.</summary>
public interface ICatalogGrain : IGrainWithStringKey
{
    Task DefinePointType(PointType type);
    Task DefineCategory(Category category);
    Task DefineUnit(ResponsibleUnit unit);
    Task SetDeadlines(StageDeadlines deadlines);
    Task<PointType> GetPointType(string code);
    /// <summary>The point type, or null when the city has none with this code.</summary>
    Task<PointType?> FindPointType(string code);
    Task<PointType[]> GetPointTypes();
    Task<Category[]> GetCategories();
    Task<ResponsibleUnit[]> GetUnits();
    Task<bool> HasUnit(string unitId);
    Task<bool> HasCategory(string code);
    /// <summary>The category, or null when the city has none with this code.</summary>
    Task<Category?> GetCategory(string code);
    Task<StageDeadlines?> GetDeadlines(string category, Severity severity);
    /// <summary>Makes a new weight-set version; returns it.</summary>
    Task<WeightSet> SetWeights([Immutable] Dictionary<Metric, double> weights, double yellowBelow, double redBelow, Actor by);
    /// <summary>The current weight set, or a given version.</summary>
    Task<WeightSet> GetWeights(int? version = null);
}
