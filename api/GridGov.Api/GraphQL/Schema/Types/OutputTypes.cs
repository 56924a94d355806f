using GraphQL;
using GraphQL.Types;
using GridGov.Grains;
using GridGov.Tickets;

namespace GridGov.Api.GraphQL.Schema.Types;

// Records without dictionaries are mapped automatically (AddAutoClrMappings); the types here add what a
// client needs beyond the record: lists instead of dictionaries, and links resolved through batch loaders.

public sealed record StageCount(TicketStage Stage, int Count);
public sealed record PointCheckInTime(string PointId, DateTimeOffset At);
public sealed record TypeCount(string TypeCode, int Count);
public sealed record StageLimit(TicketStage Stage, double Minutes);
public sealed record MetricWeight(Metric Metric, double Weight);

static class Lists
{
    public static StageCount[] ByStage(Dictionary<TicketStage, int> d) => d.Where(kv => kv.Value != 0).OrderBy(kv => kv.Key).Select(kv => new StageCount(kv.Key, kv.Value)).ToArray();
    public static TypeCount[] ByType(Dictionary<string, int> d) => d.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new TypeCount(kv.Key, kv.Value)).ToArray();
}

public sealed class CellGraphType : AutoRegisteringObjectGraphType<CellInfo>
{
    public CellGraphType()
    {
        Name = "Cell";
        Description = "A grid cell (网格): boundary, people, duty list, points.";
        Field<InspectorInfo>("primaryInspector", nullable: true).Returns<object>().Resolve(c => c.LoadInspector(c.Source.PrimaryInspectorId));
        Field<PointInfo[]>("points").ResolveAsync(async c =>
            (await Task.WhenAll(c.Source.PointIds.Select(id => c.Grains().GetGrain<IInspectionPointGrain>(id).Get()))).ToArray());
        Field<PatrolRoute[]>("routes").ResolveAsync(async c => await c.Grains().GetGrain<ICellGrain>(c.Source.Code).GetRoutes());
        Field<RouteProgress[]>("todaysProgress").ResolveAsync(async c => await c.Grains().GetGrain<ICellGrain>(c.Source.Code).GetProgress());
        Field<Assignment[]>("assignmentHistory").ResolveAsync(async c => await c.Grains().GetGrain<ICellGrain>(c.Source.Code).GetAssignmentHistory());
        Field<MissedPoint[]>("missedPoints").ResolveAsync(async c => await c.Grains().GetGrain<ICellGrain>(c.Source.Code).GetMissedPoints());
        Field<CellLiveState>("live").ResolveAsync(async c => await c.Grains().GetGrain<ICellGrain>(c.Source.Code).GetLiveState());
    }
}

public sealed class InspectorGraphType : AutoRegisteringObjectGraphType<InspectorInfo>
{
    public InspectorGraphType() : base(x => x.Quota)
    {
        Name = "Inspector";
        Description = "An inspector (网格员).";
        Field<Quota>("quota", nullable: true).Resolve(c => c.Source.Quota);
        Field<QuotaProgress>("progressToday", nullable: true).ResolveAsync(async c => await c.Grains().GetGrain<IInspectorGrain>(c.Source.Id).GetProgress());
        Field<QuotaShortfall[]>("shortfalls").ResolveAsync(async c => await c.Grains().GetGrain<IInspectorGrain>(c.Source.Id).GetShortfalls());
    }
}

public sealed class QuotaGraphType : AutoRegisteringObjectGraphType<Quota>
{
    public QuotaGraphType() : base(x => x.VisitsPerType)
    {
        Description = "定量: daily targets.";
        Field<TypeCount[]>("visitsPerType").Resolve(c => Lists.ByType(c.Source.VisitsPerType));
    }
}

public sealed class QuotaProgressGraphType : AutoRegisteringObjectGraphType<QuotaProgress>
{
    public QuotaProgressGraphType() : base(x => x.VisitsPerType) =>
        Field<TypeCount[]>("visitsPerType").Resolve(c => Lists.ByType(c.Source.VisitsPerType));
}

public sealed class QuotaShortfallGraphType : AutoRegisteringObjectGraphType<QuotaShortfall>
{
    public QuotaShortfallGraphType() : base(x => x.VisitsShortPerType) =>
        Field<TypeCount[]>("visitsShortPerType").Resolve(c => Lists.ByType(c.Source.VisitsShortPerType));
}

public sealed class CellLiveStateGraphType : AutoRegisteringObjectGraphType<CellLiveState>
{
    public CellLiveStateGraphType() : base(x => x.LastCheckInByPoint, x => x.OpenByStage)
    {
        Description = "Live state of a cell: who is on duty, last check-in per point, coverage today, open tickets.";
        Field<PointCheckInTime[]>("lastCheckIns").Resolve(c => c.Source.LastCheckInByPoint.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new PointCheckInTime(kv.Key, kv.Value)).ToArray());
        Field<StageCount[]>("openByStage").Resolve(c => Lists.ByStage(c.Source.OpenByStage));
        Field<double>("coverageToday").Description("Points visited today / points due.").Resolve(c => c.Source.PointsDue == 0 ? 1.0 : Math.Min(1.0, (double)c.Source.PointsVisitedToday / c.Source.PointsDue));
        Field<InspectorInfo>("onDuty", nullable: true).Returns<object>().Resolve(c => c.LoadInspector(c.Source.OnDutyInspectorId));
        Field<ScoreCard>("score").Description("This month's score of the cell.").ResolveAsync(async c =>
            await c.Grains().GetGrain<IEvaluationGrain>(EvaluationKeys.Subject(SubjectKind.Cell, c.Source.Code, await CurrentPeriod(c, c.Source.Code))).GetScore());
    }

    internal static async Task<string> CurrentPeriod(IResolveFieldContext c, string code)
    {
        var zone = await GridGov.Grains.Infrastructure.Signals.CityZone(c.Grains(), JurisdictionCode.CityOf(code));
        var clock = c.RequestServices!.GetRequiredKeyedService<TimeProvider>(GridGov.Grains.Infrastructure.GridClock.Key);
        return EvaluationKeys.PeriodOf(GridGov.Fixes.TimeFix.LocalDate(clock.GetUtcNow(), zone));
    }
}

public sealed class JurisdictionStateGraphType : AutoRegisteringObjectGraphType<JurisdictionState>
{
    public JurisdictionStateGraphType() : base(x => x.OpenByStage)
    {
        Description = "Live counters and recent alerts of a jurisdiction.";
        Field<StageCount[]>("openByStage").Resolve(c => Lists.ByStage(c.Source.OpenByStage));
        Field<double>("coverageToday").Description("Must-patrol points visited today / points due.")
            .Resolve(c => c.Source.PointsDue == 0 ? 1.0 : Math.Min(1.0, (double)c.Source.PointsVisitedToday / c.Source.PointsDue));
        Field<ScoreCard>("score", nullable: true).Description("This month's score, for a district.").ResolveAsync(async c =>
            JurisdictionCode.LevelOf(c.Source.Code) == JurisdictionLevel.District
                ? await c.Grains().GetGrain<IEvaluationGrain>(EvaluationKeys.Subject(SubjectKind.District, c.Source.Code, await CellLiveStateGraphType.CurrentPeriod(c, c.Source.Code))).GetScore()
                : null);
    }
}

public sealed class StageDeadlinesGraphType : AutoRegisteringObjectGraphType<StageDeadlines>
{
    public StageDeadlinesGraphType() : base(x => x.Limits) =>
        Field<StageLimit[]>("limits").Resolve(c => c.Source.Limits.OrderBy(kv => kv.Key).Select(kv => new StageLimit(kv.Key, kv.Value.TotalMinutes)).ToArray());
}

public sealed class WeightSetGraphType : AutoRegisteringObjectGraphType<WeightSet>
{
    public WeightSetGraphType() : base(x => x.Weights) =>
        Field<MetricWeight[]>("weights").Resolve(c => c.Source.Weights.OrderBy(kv => kv.Key).Select(kv => new MetricWeight(kv.Key, kv.Value)).ToArray());
}

public sealed class TicketGraphType : AutoRegisteringObjectGraphType<TicketInfo>
{
    public TicketGraphType() : base(x => x.ReporterId, x => x.History, x => x.Attachments)
    {
        Name = "Ticket";
        Description = "A ticket (工单) and its append-only history. A citizen reporter's id shows as \"citizen\" to everyone but supervisors and that citizen.";
        Field<CellInfo>("cell", nullable: true).Returns<object>().Resolve(c => c.LoadCell(c.Source.CellCode));
        // Masked here, so whatever path reaches a ticket (query, list, mutation, loader), these fields are private.
        Field<string>("reporterId").Resolve(c => TicketPrivacy.ReporterIdFor(c.Source, c.Caller()));
        Field<TicketTransition[]>("history").Resolve(c => TicketPrivacy.HistoryFor(c.Source, c.Caller()));
        Field<ReportAttachment[]>("attachments").Description("Later reports of the same problem (duplicates) attached to this ticket.")
            .Resolve(c => TicketPrivacy.AttachmentsFor(c.Source, c.Caller()));
        Field<CitizenProfile>("reporter", nullable: true)
            .Description("The citizen who reported it (name and contact): for supervisors over the ticket's cell; null for everyone else and for other sources.")
            .ResolveAsync(async c =>
                c.Source.Source == TicketSource.Citizen && Privacy.SeesReporterProfile(c.Caller(), c.Source)
                    ? await c.CitizenOrNull(c.Source.ReporterId)
                    : null);
    }
}

public sealed class ReportReceiptGraphType : AutoRegisteringObjectGraphType<ReportReceipt>
{
    public ReportReceiptGraphType() : base(x => x.ReporterId)
    {
        Name = "ReportReceipt";
        Description = "What became of a citizen's report: the ticket it opened, or the open ticket it joined as a duplicate.";
        Field<PublicTicket>("ticket", nullable: true).Description("The ticket's public view: status, stages without names, result with evidence.")
            .Returns<object>().Resolve(c => c.LoadTicket(c.Source.TicketId).Map(t => t is null ? null : TicketPrivacy.Public(t)));
    }
}

public sealed class TicketSummaryGraphType : AutoRegisteringObjectGraphType<TicketSummary>
{
    public TicketSummaryGraphType()
    {
        Description = "A ticket as lists show it.";
        Field<CellInfo>("cell", nullable: true).Returns<object>().Resolve(c => c.LoadCell(c.Source.CellCode));
        Field<TicketInfo>("ticket", nullable: true).Description("The whole ticket with its history.").Returns<object>().Resolve(c => c.LoadTicket(c.Source.Id));
    }
}

public sealed class PointGraphType : AutoRegisteringObjectGraphType<PointInfo>
{
    public PointGraphType()
    {
        Name = "InspectionPoint";
        Description = "An inspection point (点位).";
        Field<CellInfo>("cell", nullable: true).Returns<object>().Resolve(c => c.LoadCell(c.Source.CellCode));
    }
}

public sealed record CellCover(string CellCode, string BackupInspectorId);

public sealed class LeaveGrantGraphType : AutoRegisteringObjectGraphType<LeaveGrant>
{
    public LeaveGrantGraphType() : base(x => x.CoverByCell) =>
        Field<CellCover[]>("covers").Description("Who covers each primary cell during the leave.")
            .Resolve(c => c.Source.CoverByCell.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new CellCover(kv.Key, kv.Value)).ToArray());
}

public sealed class PointTypeGraphType : AutoRegisteringObjectGraphType<PointType>
{
    public PointTypeGraphType()
    {
        Name = "PointType";
        Description = "A kind of inspection point (点位类型) with its checklist of categories.";
    }
}
