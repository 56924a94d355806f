namespace GridGov.Grains.Points;

[GenerateSerializer]
public sealed class PointState
{
    [Id(0)] public PointInfo? Info { get; set; }
}

/// <summary>An inspection point: lies in exactly one cell (定格); its cell judges a check-in whole (定人, 定质, 定时).</summary>
public sealed class InspectionPointGrain(
    [PersistentState("point", GridGovStorage.Name)] IPersistentState<PointState> state,
    IGrainFactory grains) : Grain, IInspectionPointGrain
{
    string? _id;
    string Id => _id ??= this.GetPrimaryKeyString();

    PointInfo Info => state.State.Info ?? throw GridGovException.NotFound("Inspection point", Id);

    public async Task<PointInfo> Create(CreatePoint command, Actor by)
    {
        if (state.State.Info is { Active: true }) throw GridGovException.Conflict("point.exists", $"Point {Id} already exists.");
        if (command.Id != Id) throw GridGovException.Invalid("point.id-mismatch", $"Command for {command.Id} sent to point {Id}.");
        var cityCode = by.Scope.Length >= 4 ? JurisdictionCode.CityOf(by.Scope) : throw GridGovException.Invalid("point.city", "The actor's scope names no city.");
        var type = await ValidateWithCatalog(cityCode, command);

        var cellCode = await grains.GetGrain<ICityGrain>(cityCode).LocateCell(command.Location);
        Access.EnsureSupervisorOf(by, cellCode);
        var summary = new PointSummary(Id, command.Name, command.TypeCode, command.Location, command.UnitId, type.MustPatrol);
        await grains.GetGrain<ICellGrain>(cellCode).AddPoint(summary);
        state.State.Info = new PointInfo(Id, command.Name, command.TypeCode, command.Location, cellCode, command.UnitId, true, null);
        await state.WriteStateAsync();
        return state.State.Info;
    }

    /// <summary>定责: the point's type and responsible unit must be in the city's catalog; asks for just those two.</summary>
    async Task<PointType> ValidateWithCatalog(string cityCode, CreatePoint point)
    {
        var catalog = grains.GetGrain<ICatalogGrain>(cityCode);
        var type = await catalog.FindPointType(point.TypeCode);
        var unitExists = !string.IsNullOrWhiteSpace(point.UnitId) && await catalog.HasUnit(point.UnitId);
        DutyFix.ValidatePoint(point, _ => type is not null, _ => unitExists);
        return type!;
    }

    /// <summary>The point with its last check-in, which its cell keeps (a check-in writes only the cell's state).</summary>
    public async Task<PointInfo> Get() => await WithLastCheckIn(Info);

    public Task<string> GetCellCode() => Task.FromResult(Info.CellCode);

    async Task<PointInfo> WithLastCheckIn(PointInfo info) =>
        info with { LastCheckIn = await grains.GetGrain<ICellGrain>(info.CellCode).GetLastCheckIn(Id) };

    public async Task<PointInfo> Update(string? name, string? typeCode, string? unitId, Actor by)
    {
        var info = Info;
        Access.EnsureSupervisorOf(by, info.CellCode);
        if (!info.Active) throw GridGovException.Violation(Fix.Cell, "point.removed", $"Point {Id} has been removed.");
        var next = info with { Name = name ?? info.Name, TypeCode = typeCode ?? info.TypeCode, UnitId = unitId ?? info.UnitId };
        var type = await ValidateWithCatalog(JurisdictionCode.CityOf(info.CellCode), new CreatePoint(Id, next.Name, next.TypeCode, next.Location, next.UnitId));
        await grains.GetGrain<ICellGrain>(info.CellCode).AddPoint(
            new PointSummary(Id, next.Name, next.TypeCode, next.Location, next.UnitId, type.MustPatrol));
        state.State.Info = next;
        await state.WriteStateAsync();
        return await WithLastCheckIn(next);
    }

    public async Task<PointInfo> Remove(Actor by)
    {
        var info = Info;
        Access.EnsureSupervisorOf(by, info.CellCode);
        if (!info.Active) return info;
        await grains.GetGrain<ICellGrain>(info.CellCode).RemovePoint(Id);
        state.State.Info = info with { Active = false };
        await state.WriteStateAsync();
        return state.State.Info;
    }

    /// <summary>A removed point keeps its own refusal; everything else is its cell's whole check-in.</summary>
    public async Task<CheckInRecord> CheckIn(CheckIn checkIn)
    {
        var info = Info;
        if (!info.Active) throw GridGovException.Violation(Fix.Cell, "point.removed", $"Point {Id} has been removed.");
        return await grains.GetGrain<ICellGrain>(info.CellCode).CheckIn(Id, checkIn);
    }
}
