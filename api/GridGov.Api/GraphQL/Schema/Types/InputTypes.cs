using GraphQL;
using GraphQL.Types;

namespace GridGov.Api.GraphQL.Schema.Types;

// Inputs parse straight into the domain's records, so a mutation hands a grain exactly what it validates.

public sealed class GeoPointInputType : InputObjectGraphType<GeoPoint>
{
    public GeoPointInputType()
    {
        Name = "GeoPointInput";
        Field<NonNullGraphType<FloatGraphType>>("lat");
        Field<NonNullGraphType<FloatGraphType>>("lon");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) =>
        new GeoPoint(Convert.ToDouble(value["lat"]), Convert.ToDouble(value["lon"]));
}

public sealed class DutyEntryInputType : InputObjectGraphType<DutyEntry>
{
    public DutyEntryInputType()
    {
        Name = "DutyEntryInput";
        Field<NonNullGraphType<StringGraphType>>("category");
        Field<NonNullGraphType<StringGraphType>>("unitId");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) => new DutyEntry((string)value["category"]!, (string)value["unitId"]!);
}

public sealed class PatrolWindowInputType : InputObjectGraphType<PatrolWindow>
{
    public PatrolWindowInputType()
    {
        Name = "PatrolWindowInput";
        Description = "定时: a window in the city's local time, e.g. start \"08:00\", end \"10:00\".";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EnumerationGraphType<DayOfWeek>>>>>("days");
        Field<NonNullGraphType<StringGraphType>>("start");
        Field<NonNullGraphType<StringGraphType>>("end");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) =>
        new PatrolWindow(((IEnumerable<object?>)value["days"]!).Select(d => (DayOfWeek)d!).ToArray(), Time(value["start"]), Time(value["end"]));

    static TimeOnly Time(object? v) => TimeOnly.TryParse((string)v!, System.Globalization.CultureInfo.InvariantCulture, out var t)
        ? t : throw new InvalidOperationException($"'{v}' is not a time of day (HH:mm).");
}

public sealed class TypeCountInputType : InputObjectGraphType<TypeCount>
{
    public TypeCountInputType()
    {
        Name = "TypeCountInput";
        Field<NonNullGraphType<StringGraphType>>("typeCode");
        Field<NonNullGraphType<IntGraphType>>("count");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) => new TypeCount((string)value["typeCode"]!, (int)value["count"]!);
}

public sealed class QuotaInputType : InputObjectGraphType<Quota>
{
    public QuotaInputType()
    {
        Name = "QuotaInput";
        Field<NonNullGraphType<IntGraphType>>("windowsPerDay");
        Field<NonNullGraphType<IntGraphType>>("pointsPerDay");
        Field<ListGraphType<NonNullGraphType<TypeCountInputType>>>("visitsPerType");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) =>
        new Quota((int)value["windowsPerDay"]!, (int)value["pointsPerDay"]!,
            (value.TryGetValue("visitsPerType", out var v) && v is IEnumerable<object?> list ? list.Cast<TypeCount>() : []).ToDictionary(t => t.TypeCode, t => t.Count));
}

public sealed class StageLimitInputType : InputObjectGraphType<StageLimit>
{
    public StageLimitInputType()
    {
        Name = "StageLimitInput";
        Field<NonNullGraphType<EnumerationGraphType<TicketStage>>>("stage");
        Field<NonNullGraphType<FloatGraphType>>("minutes");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) => new StageLimit((TicketStage)value["stage"]!, Convert.ToDouble(value["minutes"]));
}

public sealed class MetricWeightInputType : InputObjectGraphType<MetricWeight>
{
    public MetricWeightInputType()
    {
        Name = "MetricWeightInput";
        Field<NonNullGraphType<EnumerationGraphType<Metric>>>("metric");
        Field<NonNullGraphType<FloatGraphType>>("weight");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) => new MetricWeight((Metric)value["metric"]!, Convert.ToDouble(value["weight"]));
}

public sealed class TicketFilterInputType : InputObjectGraphType<TicketFilter>
{
    public TicketFilterInputType()
    {
        Name = "TicketFilterInput";
        Field<StringGraphType>("jurisdiction");
        Field<ListGraphType<NonNullGraphType<EnumerationGraphType<TicketStage>>>>("stages");
        Field<StringGraphType>("category");
        Field<StringGraphType>("unitId");
        Field<BooleanGraphType>("overdue");
        Field<BooleanGraphType>("open");
        Field<DateTimeOffsetGraphType>("reportedFrom");
        Field<DateTimeOffsetGraphType>("reportedTo");
        Field<EnumerationGraphType<TicketSource>>("source");
    }

    public override object ParseDictionary(IDictionary<string, object?> v) => new TicketFilter(
        Get(v, "jurisdiction") as string,
        (Get(v, "stages") as IEnumerable<object?>)?.Select(s => (TicketStage)s!).ToArray(),
        Get(v, "category") as string,
        Get(v, "unitId") as string,
        Get(v, "overdue") as bool?,
        Get(v, "open") as bool?,
        Get(v, "reportedFrom") as DateTimeOffset?,
        Get(v, "reportedTo") as DateTimeOffset?,
        Get(v, "source") as TicketSource?);

    static object? Get(IDictionary<string, object?> v, string key) => v.TryGetValue(key, out var x) ? x : null;
}
