using GraphQL;
using GraphQL.Types;
using GridGov.Api.GraphQL.Schema.Types;
using GridGov.Grains;

namespace GridGov.Api.GraphQL.Schema;

/// <summary>
/// Commands. Each checks the caller's role and jurisdiction (or ownership) first, then hands the domain's own
/// record to the grain, which checks the eight fixes and changes nothing when it refuses.
/// </summary>
public sealed class MutationType : ObjectGraphType
{
    public MutationType()
    {
        Name = "Mutation";
        Supervision();
        Patrol();
        Tickets();
        Citizens();
    }

    static IGrainFactory G(IResolveFieldContext c) => c.Grains();
    static string S(IResolveFieldContext c, string name) => c.GetArgument<string>(name);

    /// <summary>A supervisor over <paramref name="code"/>.</summary>
    static Actor SupervisorOver(IResolveFieldContext c, string code)
    {
        var actor = c.Require(Role.Supervisor);
        actor.EnsureWithin(code);
        return actor;
    }

    void Supervision()
    {
        Field<bool>("defineJurisdiction").Argument<NonNullGraphType<StringGraphType>>("code").Argument<NonNullGraphType<StringGraphType>>("name")
            .Argument<NonNullGraphType<EnumerationGraphType<JurisdictionLevel>>>("level")
            .ResolveAsync(async c =>
            {
                var code = S(c, "code");
                SupervisorOver(c, JurisdictionCode.ParentOf(code) ?? code);
                await G(c).GetGrain<ICityGrain>(JurisdictionCode.CityOf(code)).DefineJurisdiction(new JurisdictionNode(code, S(c, "name"), c.GetArgument<JurisdictionLevel>("level")));
                return true;
            });
        Field<PointType>("definePointType").Argument<NonNullGraphType<StringGraphType>>("city").Argument<NonNullGraphType<StringGraphType>>("code")
            .Argument<NonNullGraphType<StringGraphType>>("name").Argument<NonNullGraphType<BooleanGraphType>>("mustPatrol")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("checklist").Argument<IntGraphType>("minVisitsPerDay")
            .ResolveAsync(async c =>
            {
                SupervisorOver(c, S(c, "city"));
                var type = new PointType(S(c, "code"), S(c, "name"), c.GetArgument<bool>("mustPatrol"), c.GetArgument<string[]>("checklist"), c.GetArgument<int?>("minVisitsPerDay") ?? 1);
                await G(c).GetGrain<ICatalogGrain>(S(c, "city")).DefinePointType(type);
                return type;
            });
        Field<Category>("defineCategory").Argument<NonNullGraphType<StringGraphType>>("city").Argument<NonNullGraphType<StringGraphType>>("code")
            .Argument<NonNullGraphType<StringGraphType>>("name")
            .Argument<FloatGraphType>("duplicateRadiusMeters", "随手拍: a report within this distance of an open ticket of the category joins it (default 30).")
            .Argument<FloatGraphType>("duplicateWindowHours", "…if that ticket was reported within this many hours (default 24).")
            .Argument<IntGraphType>("rewardPoints", "Points credited to a citizen whose report is accepted (default 10).")
            .ResolveAsync(async c =>
            {
                SupervisorOver(c, S(c, "city"));
                var defaults = new Category(S(c, "code"), S(c, "name"));
                var category = defaults with
                {
                    DuplicateRadiusMeters = c.GetArgument<double?>("duplicateRadiusMeters") ?? defaults.DuplicateRadiusMeters,
                    DuplicateWindowHours = c.GetArgument<double?>("duplicateWindowHours") ?? defaults.DuplicateWindowHours,
                    RewardPoints = c.GetArgument<int?>("rewardPoints") ?? defaults.RewardPoints,
                };
                await G(c).GetGrain<ICatalogGrain>(S(c, "city")).DefineCategory(category);
                return category;
            });
        Field<ResponsibleUnit>("defineUnit").Argument<NonNullGraphType<StringGraphType>>("city").Argument<NonNullGraphType<StringGraphType>>("id")
            .Argument<NonNullGraphType<StringGraphType>>("name").Argument<NonNullGraphType<StringGraphType>>("jurisdiction")
            .ResolveAsync(async c =>
            {
                SupervisorOver(c, S(c, "city"));
                var unit = new ResponsibleUnit(S(c, "id"), S(c, "name"), S(c, "jurisdiction"));
                await G(c).GetGrain<ICatalogGrain>(S(c, "city")).DefineUnit(unit);
                return unit;
            });
        Field<StageDeadlines>("setDeadlines").Description("定质: how long each stage may last for a category and severity.")
            .Argument<NonNullGraphType<StringGraphType>>("city").Argument<NonNullGraphType<StringGraphType>>("category")
            .Argument<NonNullGraphType<EnumerationGraphType<Severity>>>("severity").Argument<NonNullGraphType<ListGraphType<NonNullGraphType<StageLimitInputType>>>>("limits")
            .ResolveAsync(async c =>
            {
                SupervisorOver(c, S(c, "city"));
                var deadlines = new StageDeadlines(S(c, "category"), c.GetArgument<Severity>("severity"),
                    c.GetArgument<StageLimit[]>("limits").ToDictionary(l => l.Stage, l => TimeSpan.FromMinutes(l.Minutes)));
                await G(c).GetGrain<ICatalogGrain>(S(c, "city")).SetDeadlines(deadlines);
                return deadlines;
            });
        Field<WeightSet>("setWeights").Description("定考核: a new weight-set version.")
            .Argument<NonNullGraphType<StringGraphType>>("city").Argument<NonNullGraphType<ListGraphType<NonNullGraphType<MetricWeightInputType>>>>("weights")
            .Argument<NonNullGraphType<FloatGraphType>>("yellowBelow").Argument<NonNullGraphType<FloatGraphType>>("redBelow")
            .ResolveAsync(async c =>
            {
                var by = SupervisorOver(c, S(c, "city"));
                return await G(c).GetGrain<ICatalogGrain>(S(c, "city")).SetWeights(
                    c.GetArgument<MetricWeight[]>("weights").ToDictionary(w => w.Metric, w => w.Weight), c.GetArgument<double>("yellowBelow"), c.GetArgument<double>("redBelow"), by);
            });
        Field<InspectorInfo>("registerInspector").Description("Registers an inspector, or renames or moves one the caller supervises.")
            .Argument<NonNullGraphType<StringGraphType>>("id").Argument<NonNullGraphType<StringGraphType>>("name")
            .Argument<NonNullGraphType<StringGraphType>>("jurisdiction")
            .ResolveAsync(async c =>
            {
                SupervisorOver(c, S(c, "jurisdiction"));
                var inspector = G(c).GetGrain<IInspectorGrain>(S(c, "id"));
                if (await Existing(inspector) is { } existing) c.Caller().EnsureWithin(existing.Jurisdiction);
                return await inspector.Register(new RegisterInspector(S(c, "name"), S(c, "jurisdiction")));
            });

        Field<CellInfo>("createCell").Description("定格: a cell with its GeoJSON boundary and its primary inspector.")
            .Argument<NonNullGraphType<StringGraphType>>("code").Argument<NonNullGraphType<StringGraphType>>("name")
            .Argument<NonNullGraphType<StringGraphType>>("polygon", "GeoJSON Polygon or MultiPolygon, WGS84.").Argument<NonNullGraphType<StringGraphType>>("primaryInspectorId")
            .ResolveAsync(async c =>
            {
                var code = S(c, "code");
                var by = SupervisorOver(c, code);
                return await G(c).GetGrain<ICellGrain>(code).Create(new CreateCell(code, S(c, "name"), S(c, "polygon"), S(c, "primaryInspectorId")), by);
            });
        CellCommand("updateCell", (cell, c, by) => cell.Update(c.GetArgument<string?>("name"), c.GetArgument<string?>("polygon"), by),
            a => a.Argument<StringGraphType>("name").Argument<StringGraphType>("polygon", "A new GeoJSON boundary; every point must stay inside."));
        CellCommand("retireCell", (cell, c, by) => cell.Retire(by, S(c, "reason")), a => a.Argument<NonNullGraphType<StringGraphType>>("reason"));
        CellCommand("setDutyList", (cell, c, by) => cell.SetDutyList(c.GetArgument<DutyEntry[]>("entries"), by),
            a => a.Argument<NonNullGraphType<ListGraphType<NonNullGraphType<DutyEntryInputType>>>>("entries"));
        CellCommand("assignPrimary", (cell, c, by) => cell.AssignPrimary(S(c, "inspectorId"), S(c, "replaces"), by),
            a => a.Argument<NonNullGraphType<StringGraphType>>("inspectorId").Argument<NonNullGraphType<StringGraphType>>("replaces"));
        CellCommand("addBackup", (cell, c, by) => cell.AddBackup(S(c, "inspectorId"), by), a => a.Argument<NonNullGraphType<StringGraphType>>("inspectorId"));
        CellCommand("removeBackup", (cell, c, by) => cell.RemoveBackup(S(c, "inspectorId"), by), a => a.Argument<NonNullGraphType<StringGraphType>>("inspectorId"));
        Field<PatrolRoute>("setRoute").Description("定线 and 定时: an inspector's ordered route through the cell's points, with its windows.")
            .Argument<NonNullGraphType<StringGraphType>>("cellCode").Argument<NonNullGraphType<StringGraphType>>("inspectorId")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("pointIds")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<PatrolWindowInputType>>>>("windows")
            .ResolveAsync(async c =>
            {
                var code = S(c, "cellCode");
                var by = SupervisorOver(c, code);
                return await G(c).GetGrain<ICellGrain>(code).SetRoute(new PatrolRoute(S(c, "inspectorId"), c.GetArgument<string[]>("pointIds"), c.GetArgument<PatrolWindow[]>("windows")), by);
            });
        Field<PointInfo>("createPoint").Argument<NonNullGraphType<StringGraphType>>("id").Argument<NonNullGraphType<StringGraphType>>("name")
            .Argument<NonNullGraphType<StringGraphType>>("typeCode").Argument<NonNullGraphType<GeoPointInputType>>("location").Argument<NonNullGraphType<StringGraphType>>("unitId")
            .ResolveAsync(async c =>
            {
                var by = c.Require(Role.Supervisor);
                by.EnsureWithin(await G(c).GetGrain<ICityGrain>(JurisdictionCode.CityOf(by.Scope)).LocateCell(c.GetArgument<GeoPoint>("location")));
                return await G(c).GetGrain<IInspectionPointGrain>(S(c, "id")).Create(
                    new CreatePoint(S(c, "id"), S(c, "name"), S(c, "typeCode"), c.GetArgument<GeoPoint>("location"), S(c, "unitId")), by);
            });
        Field<PointInfo>("updatePoint").Argument<NonNullGraphType<StringGraphType>>("id").Argument<StringGraphType>("name")
            .Argument<StringGraphType>("typeCode").Argument<StringGraphType>("unitId")
            .ResolveAsync(async c =>
            {
                c.Require(Role.Supervisor);
                var point = G(c).GetGrain<IInspectionPointGrain>(S(c, "id"));
                var by = SupervisorOver(c, await point.GetCellCode());
                return await point.Update(c.GetArgument<string?>("name"), c.GetArgument<string?>("typeCode"), c.GetArgument<string?>("unitId"), by);
            });
        Field<PointInfo>("removePoint").Argument<NonNullGraphType<StringGraphType>>("id").ResolveAsync(async c =>
        {
            c.Require(Role.Supervisor);
            var point = G(c).GetGrain<IInspectionPointGrain>(S(c, "id"));
            var by = SupervisorOver(c, await point.GetCellCode());
            return await point.Remove(by);
        });
        Field<InspectorInfo>("setQuota").Description("定量: an inspector's daily targets.")
            .Argument<NonNullGraphType<StringGraphType>>("inspectorId").Argument<NonNullGraphType<QuotaInputType>>("quota")
            .ResolveAsync(async c =>
            {
                c.Require(Role.Supervisor);
                var inspector = G(c).GetGrain<IInspectorGrain>(S(c, "inspectorId"));
                var by = SupervisorOver(c, (await inspector.Get()).Jurisdiction);
                return await inspector.SetQuota(c.GetArgument<Quota>("quota"), by);
            });
    }

    static async Task<InspectorInfo?> Existing(IInspectorGrain inspector)
    {
        try { return await inspector.Get(); }
        catch (GridGovException e) when (e.Code == ErrorCodes.NotFound) { return null; }
    }

    void CellCommand(string name, Func<ICellGrain, IResolveFieldContext, Actor, Task<CellInfo>> run, Action<global::GraphQL.Builders.FieldBuilder<object?, CellInfo>> args)
    {
        var field = Field<CellInfo>(name).Argument<NonNullGraphType<StringGraphType>>("cellCode");
        args(field);
        field.ResolveAsync(async c =>
        {
            var code = S(c, "cellCode");
            return await run(G(c).GetGrain<ICellGrain>(code), c, SupervisorOver(c, code));
        });
    }

    /// <summary>
    /// One grain call once the point's cell is remembered: the cell checks the point is its own, the inspector is
    /// assigned (FORBIDDEN otherwise), the distance and the window. When the cell does not hold the point (removed, or
    /// removed and created elsewhere) the point is asked again: its new cell takes the check-in, or else the point
    /// itself refuses (point.removed), to the cell's own inspectors only, as before.
    /// </summary>
    static async Task<CheckInRecord> CheckInAtCell(IResolveFieldContext c)
    {
        var inspector = c.Require(Role.Inspector);
        var pointId = S(c, "pointId");
        var checkIn = new CheckIn(inspector.Id, c.GetArgument<GeoPoint>("position"), c.GetArgument<string?>("note"));
        var grains = G(c);
        var cells = c.RequestServices!.GetRequiredService<PointCells>();
        var cellCode = await cells.Get(pointId);
        try
        {
            return await grains.GetGrain<ICellGrain>(cellCode).CheckIn(pointId, checkIn);
        }
        catch (Exception e) when (PointCells.IsNotFound(e))
        {
            cells.Forget(pointId, cellCode);
        }
        var current = await cells.Get(pointId);
        if (current != cellCode) return await grains.GetGrain<ICellGrain>(current).CheckIn(pointId, checkIn);
        await c.EnsureOwnCell(inspector, current);
        return await grains.GetGrain<IInspectionPointGrain>(pointId).CheckIn(checkIn);
    }

    void Patrol()
    {
        Field<CheckInRecord>("checkIn").Description("An inspector checks in at a point with the phone's position.")
            .Argument<NonNullGraphType<StringGraphType>>("pointId").Argument<NonNullGraphType<GeoPointInputType>>("position").Argument<StringGraphType>("note")
            .ResolveAsync(async c => await CheckInAtCell(c));
        Field<LeaveGrant>("requestLeave").Description("定人: a leave, granted only when a backup covers every primary cell.")
            .Argument<StringGraphType>("inspectorId").Argument<NonNullGraphType<DateTimeOffsetGraphType>>("from")
            .Argument<NonNullGraphType<DateTimeOffsetGraphType>>("to").Argument<NonNullGraphType<StringGraphType>>("reason")
            .ResolveAsync(async c =>
            {
                var actor = c.Require(Role.Inspector, Role.Supervisor);
                var id = actor.Role == Role.Inspector ? actor.Id : c.GetArgument<string?>("inspectorId") ?? throw new GridGovError(ErrorCodes.Validation, "Name the inspector.", "leave.inspector");
                if (actor.Role == Role.Inspector && c.GetArgument<string?>("inspectorId") is { } other && other != actor.Id)
                    throw GridGovError.Forbidden("An inspector requests leave only for themself.");
                var inspector = G(c).GetGrain<IInspectorGrain>(id);
                if (actor.Role == Role.Supervisor) actor.EnsureWithin((await inspector.Get()).Jurisdiction);
                return await inspector.RequestLeave(new Leave(c.GetArgument<DateTimeOffset>("from"), c.GetArgument<DateTimeOffset>("to"), S(c, "reason")));
            });
        Field<TicketInfo>("reportIssue").Description("A problem found by an inspector, a citizen, or reported by a platform (camera, hotline). "
                + "A citizen's report goes through their account (registration, block, rate limit) exactly like submitCitizenReport.")
            .Argument<NonNullGraphType<StringGraphType>>("category").Argument<NonNullGraphType<EnumerationGraphType<Severity>>>("severity")
            .Argument<NonNullGraphType<EnumerationGraphType<TicketSource>>>("source").Argument<NonNullGraphType<GeoPointInputType>>("location")
            .Argument<NonNullGraphType<StringGraphType>>("description").Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("evidence")
            .Argument<StringGraphType>("pointId").Argument<StringGraphType>("address")
            .ResolveAsync(async c =>
            {
                var actor = c.Require(Role.Inspector, Role.Citizen, Role.Platform, Role.Supervisor);
                var report = new ReportIssue(S(c, "category"), c.GetArgument<Severity>("severity"), c.GetArgument<TicketSource>("source"),
                    c.GetArgument<GeoPoint>("location"), S(c, "description"), c.GetArgument<string[]?>("evidence") ?? [], c.GetArgument<string?>("pointId"),
                    c.GetArgument<string?>("address"));
                Access.EnsureSourceMatches(report.Source, actor);
                if (actor.Role == Role.Citizen)
                {
                    // Never straight to the intake: the citizen's account checks registration, block and rate limit.
                    if (report.PointId is not null)
                        throw new GridGovError(ErrorCodes.Validation, "A citizen's report names a location, not an inspection point.", "citizen.point");
                    var filed = await G(c).GetGrain<ICitizenGrain>(actor.Id).Submit(
                        new CitizenReport(report.Category, report.Location, report.Description, report.Evidence, report.Address, report.Severity));
                    return await G(c).GetGrain<ITicketGrain>(filed.TicketId).Get();
                }
                var city = JurisdictionCode.CityOf(actor.Scope);
                var cell = report.PointId is { } p ? await G(c).GetGrain<IInspectionPointGrain>(p).GetCellCode()
                    : await G(c).GetGrain<ICityGrain>(city).LocateCell(report.Location);
                if (actor.Role == Role.Inspector) await c.EnsureOwnCell(actor, cell);
                if (actor.Role is Role.Supervisor or Role.Platform) actor.EnsureWithin(cell);
                var receipt = await G(c).GetGrain<ITicketIntakeGrain>(city).Report(report, actor);
                return await G(c).GetGrain<ITicketGrain>(receipt.TicketId).Get();
            });
    }

    /// <summary>The ticket named by "id", after checking the caller may act on it at all.</summary>
    static async Task<(ITicketGrain Grain, Actor By)> TicketFor(IResolveFieldContext c, params Role[] roles)
    {
        var by = c.Require(roles);
        var grain = G(c).GetGrain<ITicketGrain>(S(c, "id"));
        var ticket = await grain.Get();
        switch (by.Role)
        {
            case Role.Supervisor: by.EnsureWithin(ticket.CellCode); break;
            case Role.Inspector: await c.EnsureOwnCell(by, ticket.CellCode); break;
            case Role.Handler when by.Scope != ticket.UnitId: throw GridGovError.Forbidden($"Ticket {ticket.Id} is dispatched to {ticket.UnitId}, not to unit {by.Scope}.");
        }
        return (grain, by);
    }

    void TicketCommand(string name, string description, Role[] roles, Func<ITicketGrain, IResolveFieldContext, Actor, Task<TicketInfo>> run,
        Action<global::GraphQL.Builders.FieldBuilder<object?, TicketInfo>>? args = null)
    {
        var field = Field<TicketInfo>(name).Description(description).Argument<NonNullGraphType<StringGraphType>>("id");
        args?.Invoke(field);
        field.ResolveAsync(async c =>
        {
            var (ticket, by) = await TicketFor(c, roles);
            return await run(ticket, c, by);
        });
    }

    /// <summary>随手拍: citizens register, report and redeem points; supervisors of the city block and unblock them.</summary>
    void Citizens()
    {
        Field<CitizenProfile>("registerCitizen").Description("The calling citizen registers (or updates) their profile in the city of their token; a phone or an e-mail is needed.")
            .Argument<NonNullGraphType<StringGraphType>>("name").Argument<StringGraphType>("phone").Argument<StringGraphType>("email")
            .ResolveAsync(async c =>
            {
                var citizen = c.Require(Role.Citizen);
                return await G(c).GetGrain<ICitizenGrain>(citizen.Id).Register(new RegisterCitizen(S(c, "name"), c.GetArgument<string?>("phone"), c.GetArgument<string?>("email")), citizen);
            });
        Field<ReportReceipt>("submitCitizenReport").Description("随手拍: a registered citizen reports a problem; a report near an open ticket of the same category joins it.")
            .Argument<NonNullGraphType<StringGraphType>>("category").Argument<NonNullGraphType<GeoPointInputType>>("location")
            .Argument<NonNullGraphType<StringGraphType>>("description").Argument<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("evidence")
            .Argument<StringGraphType>("address").Argument<EnumerationGraphType<Severity>>("severity")
            .ResolveAsync(async c =>
            {
                var citizen = c.Require(Role.Citizen);
                return await G(c).GetGrain<ICitizenGrain>(citizen.Id).Submit(new CitizenReport(S(c, "category"), c.GetArgument<GeoPoint>("location"),
                    S(c, "description"), c.GetArgument<string[]>("evidence"), c.GetArgument<string?>("address"), c.GetArgument<Severity?>("severity") ?? Severity.Normal));
            });
        Field<LedgerEntry>("redeemPoints").Description("The calling citizen spends points; retrying with the same redemptionId returns the first entry.")
            .Argument<NonNullGraphType<StringGraphType>>("redemptionId").Argument<NonNullGraphType<IntGraphType>>("points").Argument<NonNullGraphType<StringGraphType>>("item")
            .ResolveAsync(async c =>
            {
                var citizen = c.Require(Role.Citizen);
                return await G(c).GetGrain<IRewardLedgerGrain>(citizen.Id).Redeem(S(c, "redemptionId"), c.GetArgument<int>("points"), S(c, "item"));
            });
        Field<CitizenProfile>("blockCitizen").Description("A supervisor of the citizen's city refuses their later reports.")
            .Argument<NonNullGraphType<StringGraphType>>("citizenId").Argument<NonNullGraphType<StringGraphType>>("reason")
            .ResolveAsync(async c =>
            {
                var profile = await QueryType.CitizenForSupervisor(c, S(c, "citizenId"));
                return await G(c).GetGrain<ICitizenGrain>(profile.Id).Block(S(c, "reason"), c.Caller());
            });
        Field<CitizenProfile>("unblockCitizen").Description("A supervisor of the citizen's city accepts their reports again.")
            .Argument<NonNullGraphType<StringGraphType>>("citizenId")
            .ResolveAsync(async c =>
            {
                var profile = await QueryType.CitizenForSupervisor(c, S(c, "citizenId"));
                return await G(c).GetGrain<ICitizenGrain>(profile.Id).Unblock(c.Caller());
            });
    }

    void Tickets()
    {
        Role[] supervisor = [Role.Supervisor];
        TicketCommand("acceptTicket", "立案.", supervisor, (t, c, by) => t.Accept(by, c.GetArgument<string?>("note")), a => a.Argument<StringGraphType>("note"));
        TicketCommand("rejectTicket", "Rejected with a reason.", supervisor, (t, c, by) => t.Reject(by, S(c, "reason")), a => a.Argument<NonNullGraphType<StringGraphType>>("reason"));
        TicketCommand("mergeTicket", "A duplicate merged into an open ticket of the caller's jurisdiction.", supervisor, async (t, c, by) =>
        {
            by.EnsureWithin((await G(c).GetGrain<ITicketGrain>(S(c, "into")).Get()).CellCode);
            return await t.MergeInto(S(c, "into"), by);
        }, a => a.Argument<NonNullGraphType<StringGraphType>>("into"));
        TicketCommand("dispatchTicket", "派遣 to the routed unit, or re-dispatch to another.", supervisor,
            (t, c, by) => t.Dispatch(by, c.GetArgument<string?>("unitId"), c.GetArgument<string?>("note")),
            a => a.Argument<StringGraphType>("unitId").Argument<StringGraphType>("note"));
        TicketCommand("escalateTicket", "Escalate by hand.", supervisor, (t, c, by) => t.Escalate(by, S(c, "reason")), a => a.Argument<NonNullGraphType<StringGraphType>>("reason"));
        TicketCommand("closeTicket", "结案 after verification.", supervisor, (t, c, by) => t.Close(by, c.GetArgument<string?>("note")), a => a.Argument<StringGraphType>("note"));
        TicketCommand("handleTicket", "处置 with photo evidence of the result.", [Role.Handler],
            (t, c, by) => t.Handle(by, c.GetArgument<string[]?>("evidence") ?? [], c.GetArgument<string?>("note")),
            a => a.Argument<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("evidence").Argument<StringGraphType>("note"));
        TicketCommand("returnTicket", "退回 a mis-dispatched ticket.", [Role.Handler], (t, c, by) => t.Return(by, S(c, "reason")), a => a.Argument<NonNullGraphType<StringGraphType>>("reason"));
        TicketCommand("verifyTicket", "核查 by an inspector of the cell; a failure is rework.", [Role.Inspector, Role.Handler],
            (t, c, by) => t.Verify(by, c.GetArgument<bool>("passed"), c.GetArgument<string[]?>("evidence") ?? [], c.GetArgument<string?>("note")),
            a => a.Argument<NonNullGraphType<BooleanGraphType>>("passed").Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("evidence").Argument<StringGraphType>("note"));
    }
}
