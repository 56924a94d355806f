namespace GridGov.Grains;

/// <summary>An inspection point (点位, key: point id). It lies in exactly one cell; check-ins are made at it.</summary>
public interface IInspectionPointGrain : IGrainWithStringKey
{
    Task<PointInfo> Create(CreatePoint command, Actor by);
    Task<PointInfo> Get();
    /// <summary>The cell the point lies in: all a caller needs to route or authorize by, with no further call.</summary>
    Task<string> GetCellCode();
    /// <summary>Renames the point or changes its type or responsible unit; its place (and so its cell) stays.</summary>
    Task<PointInfo> Update(string? name, string? typeCode, string? unitId, Actor by);
    Task<PointInfo> Remove(Actor by);
    /// <summary>Refused when the point has been removed; otherwise its cell's <see cref="ICellGrain.CheckIn"/>.</summary>
    Task<CheckInRecord> CheckIn(CheckIn checkIn);
}
