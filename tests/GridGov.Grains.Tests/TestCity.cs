using System.Globalization;

namespace GridGov.Grains.Tests;

/// <summary>
/// A small city built for one test: its own city code, one community, square cells 0.01° wide side by side,
/// two categories, two units, a must-patrol and an optional point type, inspectors I1..I6.
/// </summary>
public sealed class TestCity
{
    static int _next = 2000;

    public readonly IGrainFactory Grains;
    public readonly string City;
    public string Community => City + "01001001";
    public string U1 => City + "-U1";
    public string U2 => City + "-U2";
    public readonly Actor Supervisor;

    public TestCity(IGrainFactory grains)
        : this(grains, Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture)) { }

    /// <summary>The same city seen through another cluster's client (after a restart).</summary>
    public TestCity(IGrainFactory grains, string city)
    {
        Grains = grains;
        City = city;
        Supervisor = new Actor($"sup-{City}", Role.Supervisor, City);
    }

    public TestCity On(IGrainFactory grains) => new(grains, City);

    public string CellCode(int i) => $"{Community}{i:D4}";
    public string Inspector(int i) => $"{City}-I{i}";
    public string PointId(int cell, int i) => $"{CellCode(cell)}-{i:D3}";
    public Actor InspectorActor(int i) => new(Inspector(i), Role.Inspector, Community);
    public Actor Handler(string unit) => new($"{City}-h-{unit}", Role.Handler, unit);

    public static string Square(double lon, double lat, double size = 0.01) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"type":"Polygon","coordinates":[[[{{lon}},{{lat}}],[{{lon + size}},{{lat}}],[{{lon + size}},{{lat + size}}],[{{lon}},{{lat + size}}],[{{lon}},{{lat}}]]]}""");

    public static double CellLon(int i) => 114.50 + (i - 1) * 0.01;
    public const double Lat = 38.00;

    /// <summary>A position inside cell i, offset in fractions of its width.</summary>
    public static GeoPoint Inside(int i, double fx = 0.5, double fy = 0.5) => new(Lat + 0.01 * fy, CellLon(i) + 0.01 * fx);

    public ICityGrain CityGrain => Grains.GetGrain<ICityGrain>(City);
    public ICatalogGrain Catalog => Grains.GetGrain<ICatalogGrain>(City);
    public ICellGrain Cell(int i) => Grains.GetGrain<ICellGrain>(CellCode(i));
    public IInspectorGrain InspectorGrain(int i) => Grains.GetGrain<IInspectorGrain>(Inspector(i));
    public IInspectionPointGrain Point(int cell, int i) => Grains.GetGrain<IInspectionPointGrain>(PointId(cell, i));

    public static readonly PatrolWindow Morning = new(Enum.GetValues<DayOfWeek>(), new TimeOnly(8, 0), new TimeOnly(10, 0));
    public static readonly PatrolWindow Afternoon = new(Enum.GetValues<DayOfWeek>(), new TimeOnly(14, 0), new TimeOnly(16, 0));

    /// <summary>City, hierarchy, catalog and six inspectors; no cells yet.</summary>
    public async Task<TestCity> Setup(int maxPrimary = 2)
    {
        await CityGrain.Configure(new CitySettings($"Test City {City}", "Asia/Shanghai", 50, maxPrimary));
        await CityGrain.DefineJurisdiction(new JurisdictionNode(City + "01", "District", JurisdictionLevel.District));
        await CityGrain.DefineJurisdiction(new JurisdictionNode(City + "01001", "Street", JurisdictionLevel.Street));
        await CityGrain.DefineJurisdiction(new JurisdictionNode(Community, "Community", JurisdictionLevel.Community));
        await Catalog.DefineCategory(new Category("C1", "暴露垃圾 exposed rubbish"));
        await Catalog.DefineCategory(new Category("C2", "占道经营 street vending"));
        await Catalog.DefineCategory(new Category("C3", "井盖缺失 missing manhole cover"));
        await Catalog.DefineUnit(new ResponsibleUnit(U1, "环卫所 sanitation", City + "01"));
        await Catalog.DefineUnit(new ResponsibleUnit(U2, "市场监管所 market office", City + "01"));
        await Catalog.DefinePointType(new PointType("market", "农贸市场 market", true, ["C2"], 2));
        await Catalog.DefinePointType(new PointType("lane", "背街小巷 back lane", false, ["C1"]));
        foreach (var severity in Enum.GetValues<Severity>())
            await Catalog.SetDeadlines(new StageDeadlines("C1", severity, new()
            {
                [TicketStage.Reported] = TimeSpan.FromMinutes(30),
                [TicketStage.Accepted] = TimeSpan.FromMinutes(30),
                [TicketStage.Dispatched] = TimeSpan.FromHours(2),
                [TicketStage.Returned] = TimeSpan.FromMinutes(30),
                [TicketStage.Handled] = TimeSpan.FromHours(1),
                [TicketStage.Verified] = TimeSpan.FromHours(1),
            }));
        for (var i = 1; i <= 6; i++)
            await InspectorGrain(i).Register(new RegisterInspector($"Inspector {i}", Community));
        return this;
    }

    /// <summary>Cell i with primary I{primary}, duty C1→U1, C2→U2, and two points: a market (must patrol) and a lane.</summary>
    public async Task<CellInfo> AddCell(int i, int primary, int? backup = null, bool points = true)
    {
        var info = await Cell(i).Create(new CreateCell(CellCode(i), $"Cell {i}", Square(CellLon(i), Lat), Inspector(primary)), Supervisor);
        await Cell(i).SetDutyList([new DutyEntry("C1", U1), new DutyEntry("C2", U2)], Supervisor);
        if (backup is { } b) await Cell(i).AddBackup(Inspector(b), Supervisor);
        if (points)
        {
            await Point(i, 1).Create(new CreatePoint(PointId(i, 1), "Market", "market", Inside(i, 0.3, 0.3), U2), Supervisor);
            await Point(i, 2).Create(new CreatePoint(PointId(i, 2), "Lane", "lane", Inside(i, 0.7, 0.7), U1), Supervisor);
        }
        return info;
    }

    public Task<PatrolRoute> SetRoute(int cell, int inspector, params string[] points) =>
        Cell(cell).SetRoute(new PatrolRoute(Inspector(inspector), points, [Morning, Afternoon]), Supervisor);

    public ReportIssue Issue(int cell, string category = "C1", TicketSource source = TicketSource.Inspector) =>
        new(category, Severity.Urgent, source, Inside(cell, 0.5, 0.5), "Rubbish piled by the kerb", ["photo://report-1.jpg"]);

    public async Task<TicketInfo> Report(ReportIssue issue, Actor by) =>
        await Grains.GetGrain<ITicketGrain>((await Grains.GetGrain<ITicketIntakeGrain>(City).Report(issue, by)).TicketId).Get();
}
