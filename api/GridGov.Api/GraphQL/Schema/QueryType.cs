using GraphQL;
using GraphQL.Types;
using GraphQL.Types.Relay;
using GraphQL.Types.Relay.DataObjects;
using GridGov.Api.GraphQL.Schema.Types;
using GridGov.Grains;

namespace GridGov.Api.GraphQL.Schema;

/// <summary>An inspector's windows today in one cell, with what has been visited.</summary>
public sealed record CellRouteProgress(string CellCode, RouteProgress[] Windows);

/// <summary>Who the caller is.</summary>
public sealed record Me(string Id, Role Role, string Scope);

/// <summary>Reads for every user: supervisors and platforms within their jurisdiction, inspectors in their cells, handlers on their unit.</summary>
public sealed class QueryType : ObjectGraphType
{
    public QueryType()
    {
        Name = "Query";

        Field<Me>("me").Resolve(c => { var a = c.Caller(); return new Me(a.Id, a.Role, a.Scope); });
        Citizens();
        Field<InspectorInfo>("myInspector", nullable: true).Description("The calling inspector's cells, leave, quota and progress.")
            .ResolveAsync(async c => await c.Grains().GetGrain<IInspectorGrain>(c.Require(Role.Inspector).Id).Get());
        Field<CellInfo[]>("myCells").ResolveAsync(async c =>
        {
            var me = await c.Grains().GetGrain<IInspectorGrain>(c.Require(Role.Inspector).Id).Get();
            return await Task.WhenAll(me.PrimaryCells.Concat(me.BackupCells).Select(code => c.Grains().GetGrain<ICellGrain>(code).Get()));
        });
        Field<CellRouteProgress[]>("myRoutesToday").Description("Today's windows of the calling inspector's routes, with progress.").ResolveAsync(async c =>
        {
            var actor = c.Require(Role.Inspector);
            var me = await c.Grains().GetGrain<IInspectorGrain>(actor.Id).Get();
            var cells = await Task.WhenAll(me.PrimaryCells.Concat(me.BackupCells).Select(async code =>
                new CellRouteProgress(code, (await c.Grains().GetGrain<ICellGrain>(code).GetProgress()).Where(p => p.InspectorId == actor.Id).ToArray())));
            return cells.Where(p => p.Windows.Length > 0).ToArray();
        });

        Field<CitySettings>("city").Argument<NonNullGraphType<StringGraphType>>("code").ResolveAsync(async c =>
        {
            var code = c.GetArgument<string>("code");
            c.Caller().EnsureWithinCityOf(code);
            return await c.Grains().GetGrain<ICityGrain>(code).GetSettings();
        });
        Field<JurisdictionNode[]>("jurisdictions").Argument<NonNullGraphType<StringGraphType>>("city").ResolveAsync(async c =>
            await CityGrain(c).GetJurisdictions());
        Field<PointType[]>("pointTypes").Argument<NonNullGraphType<StringGraphType>>("city").ResolveAsync(async c => await Catalog(c).GetPointTypes());
        Field<Category[]>("categories").Argument<NonNullGraphType<StringGraphType>>("city").ResolveAsync(async c => await Catalog(c).GetCategories());
        Field<ResponsibleUnit[]>("units").Argument<NonNullGraphType<StringGraphType>>("city").ResolveAsync(async c => await Catalog(c).GetUnits());
        Field<StageDeadlines>("deadlines", nullable: true)
            .Argument<NonNullGraphType<StringGraphType>>("city").Argument<NonNullGraphType<StringGraphType>>("category").Argument<NonNullGraphType<EnumerationGraphType<Severity>>>("severity")
            .ResolveAsync(async c => await Catalog(c).GetDeadlines(c.GetArgument<string>("category"), c.GetArgument<Severity>("severity")));
        Field<WeightSet>("weights").Argument<NonNullGraphType<StringGraphType>>("city").Argument<IntGraphType>("version")
            .ResolveAsync(async c => await Catalog(c).GetWeights(c.GetArgument<int?>("version")));

        Field<CellInfo>("cell", nullable: true).Argument<NonNullGraphType<StringGraphType>>("code").ResolveAsync(async c =>
        {
            var code = c.GetArgument<string>("code");
            await c.EnsureCanReadCell(code);
            return await c.Grains().GetGrain<ICellGrain>(code).Get();
        });
        Field<ConnectionType<CellGraphType>>("cells").Description("Active cells in a jurisdiction, by code.")
            .Argument<NonNullGraphType<StringGraphType>>("jurisdiction").Argument<IntGraphType>("first").Argument<StringGraphType>("after")
            .ResolveAsync(async c =>
            {
                var jurisdiction = c.GetArgument<string>("jurisdiction");
                c.Require(Role.Supervisor, Role.Platform).EnsureWithin(jurisdiction);
                var codes = await c.Grains().GetGrain<ICityGrain>(JurisdictionCode.CityOf(jurisdiction)).CellsIn(jurisdiction);
                var after = c.GetArgument<string?>("after");
                var start = after is null ? 0 : Array.FindIndex(codes, x => string.CompareOrdinal(x, after) > 0) is var i && i >= 0 ? i : codes.Length;
                var page = codes.Skip(start).Take(Paging.First(c)).ToArray();
                var cells = await Task.WhenAll(page.Select(code => c.Grains().GetGrain<ICellGrain>(code).Get()));
                return Paging.Connection(cells, x => x.Code, codes.Length, start + page.Length < codes.Length);
            });
        Field<PointInfo>("point", nullable: true).Argument<NonNullGraphType<StringGraphType>>("id").ResolveAsync(async c =>
        {
            var point = await c.Grains().GetGrain<IInspectionPointGrain>(c.GetArgument<string>("id")).Get();
            await c.EnsureCanReadCell(point.CellCode);
            return point;
        });
        Field<InspectorInfo>("inspector", nullable: true).Argument<NonNullGraphType<StringGraphType>>("id").ResolveAsync(async c =>
        {
            var inspector = await c.Grains().GetGrain<IInspectorGrain>(c.GetArgument<string>("id")).Get();
            var actor = c.Caller();
            if (actor.Role == Role.Inspector && actor.Id == inspector.Id) return inspector;
            c.Require(Role.Supervisor).EnsureWithin(inspector.Jurisdiction);
            return inspector;
        });
        Field<string[]>("proposeRoute").Description("定线: a short route through the cell's points that must be patrolled.")
            .Argument<NonNullGraphType<StringGraphType>>("cellCode").Argument<NonNullGraphType<StringGraphType>>("inspectorId")
            .ResolveAsync(async c =>
            {
                var code = c.GetArgument<string>("cellCode");
                c.Require(Role.Supervisor).EnsureWithin(code);
                return await c.Grains().GetGrain<ICellGrain>(code).ProposeRoute(c.GetArgument<string>("inspectorId"));
            });

        Field<TicketInfo>("ticket", nullable: true).Argument<NonNullGraphType<StringGraphType>>("id").ResolveAsync(async c =>
        {
            var ticket = await c.Grains().GetGrain<ITicketGrain>(c.GetArgument<string>("id")).Get();
            await c.EnsureCanReadTicket(ticket);
            return ticket;
        });
        Field<PublicTicket>("publicTicket").Description("A ticket's public view (status, stages without names, result with evidence), for any signed-in caller.")
            .Argument<NonNullGraphType<StringGraphType>>("id").ResolveAsync(async c =>
            {
                c.Caller();
                return GridGov.Tickets.TicketPrivacy.Public(await c.Grains().GetGrain<ITicketGrain>(c.GetArgument<string>("id")).Get());
            });
        Field<JournalLine[]>("ticketJournal").Description("A ticket's transitions from the audit journal, without activating the ticket.")
            .Argument<NonNullGraphType<StringGraphType>>("id").ResolveAsync(async c =>
            {
                var lines = await c.Grains().GetGrain<IJournalGrain>(0).Read(c.GetArgument<string>("id"));
                if (lines.Length == 0) return lines;
                c.Require(Role.Supervisor, Role.Platform).EnsureWithin(lines[0].CellCode);
                return lines;
            });
        Field<JournalLine[]>("scoreFacts").Description("The journaled facts behind a score: the audit trail it is traced to.")
            .Argument<NonNullGraphType<EnumerationGraphType<SubjectKind>>>("kind").Argument<NonNullGraphType<StringGraphType>>("subjectId")
            .Argument<NonNullGraphType<StringGraphType>>("period")
            .ResolveAsync(async c =>
            {
                c.Require(Role.Supervisor);
                return await c.Grains().GetGrain<IJournalGrain>(0).Read(
                    EvaluationKeys.Subject(c.GetArgument<SubjectKind>("kind"), c.GetArgument<string>("subjectId"), c.GetArgument<string>("period")));
            });
        Field<ConnectionType<TicketSummaryGraphType>>("tickets").Description("Tickets of a jurisdiction, newest first, with filters.")
            .Argument<NonNullGraphType<TicketFilterInputType>>("filter").Argument<IntGraphType>("first").Argument<StringGraphType>("after")
            .ResolveAsync(async c => await TicketLists.Query(c, c.GetArgument<TicketFilter>("filter")));
        Field<TicketInfo[]>("unitTickets").Description("The calling handler's unit's queue: tickets to handle or awaiting verification.")
            .ResolveAsync(async c =>
            {
                var handler = c.Require(Role.Handler);
                var queue = await c.Grains().GetGrain<IResponsibleUnitGrain>(handler.Scope).GetQueue();
                return await Task.WhenAll(queue.Keys.Order(StringComparer.Ordinal).Select(id => c.Grains().GetGrain<ITicketGrain>(id).Get()));
            });

        Field<CellLiveState>("cellLive").Argument<NonNullGraphType<StringGraphType>>("code").ResolveAsync(async c =>
        {
            var code = c.GetArgument<string>("code");
            await c.EnsureCanReadCell(code);
            return await c.Grains().GetGrain<ICellGrain>(code).GetLiveState();
        });
        Field<JurisdictionState>("jurisdictionLive").Argument<NonNullGraphType<StringGraphType>>("code").ResolveAsync(async c =>
        {
            var code = c.GetArgument<string>("code");
            c.Require(Role.Supervisor, Role.Platform).EnsureWithin(code);
            return await c.Grains().GetGrain<IJurisdictionGrain>(code).GetState();
        });
        Field<Alert[]>("alerts").Argument<NonNullGraphType<StringGraphType>>("jurisdiction").ResolveAsync(async c =>
        {
            var code = c.GetArgument<string>("jurisdiction");
            c.Require(Role.Supervisor, Role.Platform).EnsureWithin(code);
            return await c.Grains().GetGrain<IJurisdictionGrain>(code).GetAlerts();
        });

        Field<ScoreCard>("score").Description("定考核: a subject's score in a period (default: this month), traced to its facts.")
            .Argument<NonNullGraphType<EnumerationGraphType<SubjectKind>>>("kind").Argument<NonNullGraphType<StringGraphType>>("subjectId")
            .Argument<NonNullGraphType<StringGraphType>>("period").Argument<IntGraphType>("weightVersion")
            .ResolveAsync(async c =>
            {
                var (kind, id) = (c.GetArgument<SubjectKind>("kind"), c.GetArgument<string>("subjectId"));
                var actor = c.Caller();
                var own = actor.Role == Role.Inspector && kind == SubjectKind.Inspector && id == actor.Id
                          || actor.Role == Role.Handler && kind == SubjectKind.Unit && id == actor.Scope;
                if (!own)
                {
                    c.Require(Role.Supervisor, Role.Platform);
                    if (kind is SubjectKind.Cell or SubjectKind.District) actor.EnsureWithin(id);
                }
                return await c.Grains().GetGrain<IEvaluationGrain>(EvaluationKeys.Subject(kind, id, c.GetArgument<string>("period"))).GetScore(c.GetArgument<int?>("weightVersion"));
            });
        Field<Ranking>("ranking").Description("Rankings and yellow/red cards of a kind of subject in a jurisdiction and period.")
            .Argument<NonNullGraphType<EnumerationGraphType<SubjectKind>>>("kind").Argument<NonNullGraphType<StringGraphType>>("jurisdiction")
            .Argument<NonNullGraphType<StringGraphType>>("period")
            .ResolveAsync(async c =>
            {
                var jurisdiction = c.GetArgument<string>("jurisdiction");
                c.Require(Role.Supervisor, Role.Platform).EnsureWithin(jurisdiction);
                return await c.Grains().GetGrain<IRankingGrain>(EvaluationKeys.Ranking(c.GetArgument<SubjectKind>("kind"), jurisdiction, c.GetArgument<string>("period"))).Get();
            });
    }

    /// <summary>随手拍: a citizen's own profile, reports and points; supervisors' queue of citizen reports and citizen profiles.</summary>
    void Citizens()
    {
        Field<CitizenProfile>("myCitizenProfile", nullable: true).Description("The calling citizen's profile; null until they register.")
            .ResolveAsync(async c => await c.CitizenOrNull(c.Require(Role.Citizen).Id));
        Field<ReportReceipt[]>("myReports").Description("The calling citizen's reports, newest first, each with its ticket's public view.")
            .Argument<IntGraphType>("first")
            .ResolveAsync(async c =>
            {
                var citizen = c.Require(Role.Citizen);
                var first = Paging.First(c);
                return (await c.Grains().GetGrain<ICitizenGrain>(citizen.Id).GetReports()).Take(first).ToArray();
            });
        Field<RewardLedger>("myPoints").Description("The calling citizen's reward points (积分): balance and every credit and redemption.")
            .ResolveAsync(async c => await c.Grains().GetGrain<IRewardLedgerGrain>(c.Require(Role.Citizen).Id).Get());
        Field<ConnectionType<TicketSummaryGraphType>>("citizenReportQueue")
            .Description("Citizen reports waiting to be accepted (source CITIZEN, stage REPORTED) in a jurisdiction, newest first.")
            .Argument<NonNullGraphType<StringGraphType>>("jurisdiction").Argument<IntGraphType>("first").Argument<StringGraphType>("after")
            .ResolveAsync(async c =>
            {
                var jurisdiction = c.GetArgument<string>("jurisdiction");
                c.Require(Role.Supervisor).EnsureWithin(jurisdiction);
                var filter = new TicketFilter(Jurisdiction: jurisdiction, Stages: [TicketStage.Reported], Source: TicketSource.Citizen);
                var page = await c.Grains().GetGrain<ITicketSearchGrain>(0).Query(filter, c.GetArgument<string?>("after"), Paging.First(c));
                return Paging.Connection(page.Items, TicketCursor.Of, page.Total, page.HasMore);
            });
        Field<CitizenProfile>("citizen").Description("A citizen's profile and block status: for supervisors of the citizen's city.")
            .Argument<NonNullGraphType<StringGraphType>>("id")
            .ResolveAsync(async c => await CitizenForSupervisor(c, c.GetArgument<string>("id")));
    }

    /// <summary>A registered citizen of the calling supervisor's city (NOT_FOUND when unknown, FORBIDDEN for another city).</summary>
    internal static async Task<CitizenProfile> CitizenForSupervisor(IResolveFieldContext c, string id)
    {
        var supervisor = c.Require(Role.Supervisor);
        var profile = await c.CitizenOrNull(id) ?? throw GridGovException.NotFound("Citizen", id);
        supervisor.EnsureWithinCityOf(profile.City);
        return profile;
    }

    static ICityGrain CityGrain(IResolveFieldContext c)
    {
        var city = c.GetArgument<string>("city");
        c.Caller().EnsureWithinCityOf(city);
        return c.Grains().GetGrain<ICityGrain>(city);
    }

    static ICatalogGrain Catalog(IResolveFieldContext c)
    {
        var city = c.GetArgument<string>("city");
        c.Caller().EnsureWithinCityOf(city);
        return c.Grains().GetGrain<ICatalogGrain>(city);
    }
}

static class Paging
{
    public const int DefaultFirst = 20;
    public const int MaxFirst = 200;

    public static int First(IResolveFieldContext c)
    {
        var first = c.GetArgument<int?>("first") ?? DefaultFirst;
        if (first is < 0 or > MaxFirst) throw new GridGovError(ErrorCodes.Validation, $"first must be between 0 and {MaxFirst}.", "page.first");
        return first;
    }

    public static Connection<T> Connection<T>(IReadOnlyList<T> items, Func<T, string> cursor, int total, bool hasNext) => new()
    {
        Edges = items.Select(i => new Edge<T> { Node = i, Cursor = cursor(i) }).ToList(),
        TotalCount = total,
        PageInfo = new PageInfo
        {
            HasNextPage = hasNext,
            EndCursor = items.Count > 0 ? cursor(items[^1]) : null,
            StartCursor = items.Count > 0 ? cursor(items[0]) : null,
        },
    };
}

/// <summary>Ticket lists from the ticket search store, newest first.</summary>
static class TicketLists
{
    public static async Task<Connection<TicketSummary>> Query(IResolveFieldContext c, TicketFilter filter)
    {
        var actor = c.Caller();
        switch (actor.Role)
        {
            case Role.Supervisor or Role.Platform:
                filter = filter with { Jurisdiction = filter.Jurisdiction ?? actor.Scope };
                actor.EnsureWithin(filter.Jurisdiction!);
                break;
            case Role.Inspector when filter.Jurisdiction is not null && JurisdictionCode.LevelOf(filter.Jurisdiction) == JurisdictionLevel.Cell:
                await c.EnsureOwnCell(actor, filter.Jurisdiction);
                break;
            default:
                throw GridGovError.Forbidden(actor.Role == Role.Inspector
                    ? "An inspector lists tickets of one own cell: set filter.jurisdiction to its code."
                    : $"A {actor.Role} cannot list tickets; handlers use unitTickets.");
        }
        var page = await c.Grains().GetGrain<ITicketSearchGrain>(0).Query(filter, c.GetArgument<string?>("after"), Paging.First(c));
        return Paging.Connection(page.Items, TicketCursor.Of, page.Total, page.HasMore);
    }
}
