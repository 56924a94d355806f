using System.Globalization;
using System.Text.Json.Nodes;
using GridGov.Api.Tests.Api;
using GridGov.Grains;

namespace GridGov.Api.Tests.Citizens;

/// <summary>
/// Where the citizen tests work: fresh cells in a community of the plan's first district, far north of the plan's
/// bounds (clear of the demo cells and of the other tests' fresh cells), fresh categories with their own duplicate
/// radius, window and reward, and the callers of every role.
/// </summary>
public sealed class CitizenWorld
{
    static readonly object Gate = new();
    static CitizenWorld? _current;
    static int _counter;

    public static int Next() => Interlocked.Increment(ref _counter);

    public static CitizenWorld Of(ApiFixture fixture)
    {
        lock (Gate)
        {
            if (_current is null || !ReferenceEquals(_current.Fixture, fixture)) _current = new CitizenWorld(fixture);
            return _current;
        }
    }

    public ApiFixture Fixture { get; }
    public string City { get; }
    public string District { get; }
    public string OtherDistrict { get; }
    public string Community { get; }
    public string Street { get; }
    public string Unit { get; }
    public DutyEntry[] DemoDuty { get; }
    readonly Actor _setup;

    CitizenWorld(ApiFixture fixture)
    {
        Fixture = fixture;
        var plan = fixture.Plan;
        City = plan.CityCode;
        var districts = plan.Jurisdictions.Where(j => j.Level == JurisdictionLevel.District).Select(j => j.Code).ToArray();
        District = districts[0];
        OtherDistrict = districts[1];
        Community = plan.Jurisdictions.Last(j => j.Level == JurisdictionLevel.Community && j.Code.StartsWith(District, StringComparison.Ordinal)).Code;
        Street = JurisdictionCode.ParentOf(Community)!;
        var demoCell = plan.Cells.First(c => c.Code.StartsWith(District, StringComparison.Ordinal));
        DemoDuty = demoCell.DutyList;
        Unit = DemoDuty[0].UnitId;
        _setup = new Actor("cz-setup", Role.Supervisor, City);
    }

    public Actor CitySupervisor => new("cz-sup-city", Role.Supervisor, City);
    public Actor Supervisor => new("cz-sup-district", Role.Supervisor, District);
    public Actor OtherDistrictSupervisor => new("cz-sup-other", Role.Supervisor, OtherDistrict);
    public Actor Platform => new("cz-platform", Role.Platform, City);
    public Actor Handler => new("cz-handler", Role.Handler, Unit);
    public static Actor Citizen(string id) => new(id, Role.Citizen, "1301");

    public sealed record Cell(string Code, string Primary, GeoPoint Center)
    {
        public Actor Inspector(CitizenWorld w) => new(Primary, Role.Inspector, w.Street);
    }

    /// <summary>A category defined through the API with its 随手拍 settings; routed to <see cref="Unit"/> in the world's cells.</summary>
    public async Task<string> NewCategory(double radius = 30, double windowHours = 24, int reward = 10)
    {
        var code = $"CZC{Next()}";
        var defined = (await Fixture.Send(CitySupervisor,
            "mutation($city:String!,$code:String!,$r:Float,$h:Float,$p:Int){ defineCategory(city:$city, code:$code, name:\"Citizen test\", duplicateRadiusMeters:$r, duplicateWindowHours:$h, rewardPoints:$p){ code duplicateRadiusMeters duplicateWindowHours rewardPoints } }",
            new { city = City, code, r = radius, h = windowHours, p = reward })).Field("defineCategory");
        Assert.Equal((radius, windowHours, reward),
            (defined["duplicateRadiusMeters"]!.GetValue<double>(), defined["duplicateWindowHours"]!.GetValue<double>(), defined["rewardPoints"]!.GetValue<int>()));
        return code;
    }

    /// <summary>A fresh cell (a ~220 m square) with its own primary inspector and a duty list routing the categories to <see cref="Unit"/>.</summary>
    public async Task<Cell> NewCell(params string[] categories)
    {
        var n = Next();
        var primary = $"CZI{n:D4}";
        await Fixture.Grains.GetGrain<IInspectorGrain>(primary).Register(new RegisterInspector($"Citizen-test inspector {n}", Street));
        var code = Community + (700 + n).ToString("D4", CultureInfo.InvariantCulture);
        var b = Fixture.Plan.Bounds;
        const double size = 0.002;
        var lon = b.MinLon + 0.003 * (n % 100);
        var lat = b.MaxLat + 0.6 + 0.003 * (n / 100);
        var polygon = FormattableString.Invariant(
            $"{{\"type\":\"Polygon\",\"coordinates\":[[[{lon},{lat}],[{lon + size},{lat}],[{lon + size},{lat + size}],[{lon},{lat + size}],[{lon},{lat}]]]}}");
        var cell = Fixture.Grains.GetGrain<ICellGrain>(code);
        await cell.Create(new CreateCell(code, $"Citizen-test cell {code}", polygon, primary), _setup);
        await cell.SetDutyList([.. DemoDuty.Where(d => !categories.Contains(d.Category)), .. categories.Select(c => new DutyEntry(c, Unit))], _setup);
        return new Cell(code, primary, new GeoPoint(lat + size / 2, lon + size / 2));
    }

    /// <summary>A point <paramref name="meters"/> north of <paramref name="from"/>.</summary>
    public static GeoPoint North(GeoPoint from, double meters) => new(from.Lat + meters / 111_320.0, from.Lon);

    public async Task<Actor> NewCitizen(string id, string name, string phone, string? email = null)
    {
        var citizen = Citizen(id);
        var profile = (await Fixture.Send(citizen, "mutation($n:String!,$p:String!,$e:String){ registerCitizen(name:$n, phone:$p, email:$e){ id city name phone email blocked } }",
            new { n = name, p = phone, e = email })).Field("registerCitizen");
        Assert.Equal((id, City, name, false), (S(profile["id"]), S(profile["city"]), S(profile["name"]), profile["blocked"]!.GetValue<bool>()));
        return citizen;
    }

    public const string ReceiptFields = "receiptId ticketId duplicate distanceMeters at category ticket { id stage source duplicateReports }";

    public Task<GraphQLResponse> Submit(Actor citizen, string category, GeoPoint at, string description = "Broken pavement", string? address = null) =>
        Fixture.Send(citizen, $"mutation($cat:String!,$loc:GeoPointInput!,$d:String!,$ev:[String!]!,$a:String){{ submitCitizenReport(category:$cat, location:$loc, description:$d, evidence:$ev, address:$a){{ {ReceiptFields} }} }}",
            new { cat = category, loc = new { lat = at.Lat, lon = at.Lon }, d = description, ev = new[] { $"photo://citizen/{Next()}.jpg" }, a = address });

    public async Task<JsonNode> Submitted(Actor citizen, string category, GeoPoint at, string description = "Broken pavement", string? address = null) =>
        (await Submit(citizen, category, at, description, address)).Field("submitCitizenReport");

    public async Task<JsonNode> Points(Actor citizen) =>
        (await Fixture.Send(citizen, "{ myPoints { citizenId balance earned redeemed entries { seq at kind points balanceAfter reference note } } }")).Field("myPoints");

    public static string S(JsonNode? node) => node!.GetValue<string>();

    public static async Task<T> Eventually<T>(Func<Task<T>> probe, Func<T, bool> done, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await probe();
            if (done(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(50);
        }
    }
}
