using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using GridGov.Api.Open311;
using GridGov.Api.Tests.Api;
using GridGov.DemoCity;
using GridGov.Grains;

namespace GridGov.Api.Tests.Open311;

/// <summary>
/// Open311 GeoReport v2 as a client speaks it: every endpoint in .json and .xml over real HTTP against the real
/// host (demo city 1301, fake clock), form-urlencoded POSTs with the platform key ApiFixture configures.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class Open311ConformanceTests(ApiFixture api)
{
    const string ApiKey = "test-open311-key-1301";
    const string PlatformId = "p-open311-test";
    public static readonly TheoryData<string> Formats = new() { "json", "xml" };

    DemoCityPlan Plan => api.Plan;

    /// <summary>
    /// A demo cell of its own per use: other API tests work in the first or last cell of a district, so those are
    /// skipped, and no two Open311 tests share a cell (no accidental duplicates).
    /// </summary>
    DemoCell Cell(int use) => Plan.Cells.GroupBy(c => c.Code[..6]).SelectMany(g => g.Skip(1).SkipLast(1)).Skip(20).ElementAt(use);

    GeoPoint Spot(int use) => Cell(use).Points[0].Location;

    static string Num(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    // ---- discovery and services ----

    [Theory, MemberData(nameof(Formats))]
    public async Task Discovery_names_the_v2_endpoint_and_both_formats(string fmt)
    {
        var r = await Get($"discovery.{fmt}", fmt);
        Assert.Equal(HttpStatusCode.OK, r.Status);
        string spec, url, type, changeset;
        string[] formats;
        if (fmt == "json")
        {
            var root = r.Json.RootElement;
            Assert.False(string.IsNullOrEmpty(root.GetProperty("changeset").GetString()));
            Assert.False(string.IsNullOrEmpty(root.GetProperty("contact").GetString()));
            Assert.False(string.IsNullOrEmpty(root.GetProperty("key_service").GetString()));
            changeset = root.GetProperty("changeset").GetString()!;
            var endpoint = Assert.Single(root.GetProperty("endpoints").EnumerateArray());
            (spec, url, type) = (endpoint.GetProperty("specification").GetString()!, endpoint.GetProperty("url").GetString()!, endpoint.GetProperty("type").GetString()!);
            Assert.Equal(changeset, endpoint.GetProperty("changeset").GetString());
            formats = endpoint.GetProperty("formats").EnumerateArray().Select(x => x.GetString()!).ToArray();
        }
        else
        {
            var root = r.Xml.Root!;
            Assert.Equal("discovery", root.Name.LocalName);
            Assert.False(string.IsNullOrEmpty((string?)root.Element("contact")));
            Assert.False(string.IsNullOrEmpty((string?)root.Element("key_service")));
            changeset = (string)root.Element("changeset")!;
            var endpoint = Assert.Single(root.Element("endpoints")!.Elements("endpoint"));
            (spec, url, type) = ((string)endpoint.Element("specification")!, (string)endpoint.Element("url")!, (string)endpoint.Element("type")!);
            Assert.Equal(changeset, (string?)endpoint.Element("changeset"));
            formats = endpoint.Element("formats")!.Elements("format").Select(x => x.Value).ToArray();
        }
        Assert.Equal("http://wiki.open311.org/GeoReport_v2", spec);
        Assert.Equal(new Uri(api.BaseAddress, "/open311/v2").ToString().TrimEnd('/'), url);
        Assert.Equal("production", type);
        Assert.Equal(["application/json", "text/xml"], formats.Order());
        Assert.True(DateTimeOffset.TryParse(changeset, CultureInfo.InvariantCulture, out _));
    }

    [Theory, MemberData(nameof(Formats))]
    public async Task Services_are_the_city_catalog_categories(string fmt)
    {
        var catalog = await api.Grains.GetGrain<ICatalogGrain>("1301").GetCategories();
        var r = await Get($"services.{fmt}", fmt);
        Assert.Equal(HttpStatusCode.OK, r.Status);
        Assert.Equal(fmt == "json" ? null : "services", r.XmlRootName);
        var services = r.Items(fmt == "xml" ? "service" : null);
        Assert.Equal(catalog.Select(c => (c.Code, c.Name)).OrderBy(x => x.Code), services.Select(s => (s["service_code"], s["service_name"])).OrderBy(x => x.Item1));
        Assert.All(services, s =>
        {
            Assert.Equal("true", s["metadata"]);
            Assert.Equal("realtime", s["type"]);
            Assert.True(s.ContainsKey("description") && s.ContainsKey("keywords") && s.ContainsKey("group"));
        });
        Assert.Equal("events", services.Single(s => s["service_code"] == "E0101")["group"]);
        Assert.Equal("components", services.Single(s => s["service_code"] == "P0101")["group"]);
    }

    [Theory, MemberData(nameof(Formats))]
    public async Task A_service_definition_offers_severity_as_a_single_value_list(string fmt)
    {
        var code = Plan.Categories[2].Code;
        var r = await Get($"services/{code}.{fmt}", fmt);
        Assert.Equal(HttpStatusCode.OK, r.Status);
        string serviceCode;
        List<Dictionary<string, string>> attributes;
        List<string> keys;
        if (fmt == "json")
        {
            var root = r.Json.RootElement;
            serviceCode = root.GetProperty("service_code").GetString()!;
            var attrs = root.GetProperty("attributes").EnumerateArray().ToList();
            attributes = attrs.Select(Flat).ToList();
            keys = attrs.Single(a => a.GetProperty("code").GetString() == "severity").GetProperty("values").EnumerateArray()
                .Select(v => v.GetProperty("key").GetString()!).ToList();
        }
        else
        {
            var root = r.Xml.Root!;
            Assert.Equal("service_definition", root.Name.LocalName);
            serviceCode = (string)root.Element("service_code")!;
            var attrs = root.Element("attributes")!.Elements("attribute").ToList();
            attributes = attrs.Select(Flat).ToList();
            keys = attrs.Single(a => (string?)a.Element("code") == "severity").Element("values")!.Elements("value").Select(v => (string)v.Element("key")!).ToList();
        }
        Assert.Equal(code, serviceCode);
        var severity = attributes.Single(a => a["code"] == "severity");
        Assert.Equal(("singlevaluelist", "false", "true"), (severity["datatype"], severity["required"], severity["variable"]));
        Assert.Equal(["Urgent", "Major", "Normal"], keys);
    }

    // ---- POST and GET one request ----

    [Theory, MemberData(nameof(Formats))]
    public async Task An_anonymous_request_is_filed_by_the_platform_and_served_publicly(string fmt)
    {
        var at = Spot(fmt == "json" ? 0 : 1);
        var category = Plan.Categories[3].Code;
        var posted = await Post(fmt, new()
        {
            ["api_key"] = ApiKey, ["jurisdiction_id"] = "1301", ["service_code"] = category, ["lat"] = Num(at.Lat), ["long"] = Num(at.Lon),
            ["address_string"] = "1 Demo Road", ["description"] = "Posters all over the wall & <door>", ["media_url"] = "https://img.example/wall.jpg",
            ["attribute[severity]"] = "Major",
        });
        Assert.Equal(HttpStatusCode.OK, posted.Status);
        Assert.Equal(fmt == "json" ? null : "service_requests", posted.XmlRootName);
        var receipt = Assert.Single(posted.Items("request"));
        var id = receipt["service_request_id"];
        Assert.StartsWith("1301", id);
        Assert.False(string.IsNullOrEmpty(receipt["token"]));
        Assert.Equal("", receipt.GetValueOrDefault("account_id", ""));
        Assert.Equal("", receipt["service_notice"]);

        var ticket = await api.Grains.GetGrain<ITicketGrain>(id).Get();
        Assert.Equal((TicketSource.Platform, PlatformId, Severity.Major, "1 Demo Road"), (ticket.Source, ticket.ReporterId, ticket.Severity, ticket.Address));

        var got = await Get($"requests/{id}.{fmt}", fmt);
        Assert.Equal(HttpStatusCode.OK, got.Status);
        var request = Assert.Single(got.Items("request"));
        Assert.Equal(id, request["service_request_id"]);
        Assert.Equal("open", request["status"]);
        Assert.Equal("Reported", request["status_notes"]);
        Assert.Equal(category, request["service_code"]);
        Assert.Equal(Plan.Categories[3].Name, request["service_name"]);
        Assert.Equal("Posters all over the wall & <door>", request["description"]);
        Assert.Equal(ticket.UnitId, request["agency_responsible"]);
        Assert.Equal("1 Demo Road", request["address"]);
        Assert.Equal("https://img.example/wall.jpg", request["media_url"]);
        Assert.Equal(at.Lat, double.Parse(request["lat"], CultureInfo.InvariantCulture), 9);
        Assert.Equal(at.Lon, double.Parse(request["long"], CultureInfo.InvariantCulture), 9);
        var requested = DateTimeOffset.Parse(request["requested_datetime"], CultureInfo.InvariantCulture);
        Assert.Equal(ticket.History[0].At, requested);
        Assert.EndsWith("+08:00", request["requested_datetime"]);
        Assert.EndsWith("+08:00", request["expected_datetime"]);
        Assert.True(request.ContainsKey("updated_datetime") && request.ContainsKey("zipcode") && request.ContainsKey("address_id"));
        Assert.DoesNotContain(PlatformId, got.Body);
    }

    [Theory, MemberData(nameof(Formats))]
    public async Task A_request_with_contact_is_a_citizen_report_and_a_second_one_nearby_is_a_duplicate(string fmt)
    {
        var at = Spot(fmt == "json" ? 2 : 3);
        var category = Plan.Categories[4].Code;
        var (email, phone) = ($"Ada.{fmt}@Example.org", fmt == "json" ? "+86 138 0000 1111" : "+86 138 0000 2222");
        var form = new Dictionary<string, string>
        {
            ["api_key"] = ApiKey, ["service_code"] = category, ["lat"] = Num(at.Lat), ["long"] = Num(at.Lon), ["description"] = "Stall on the pavement",
            ["email"] = email, ["phone"] = phone, ["first_name"] = "Ada", ["last_name"] = "Lovelace", ["device_id"] = "device-42",
        };

        // A citizen report needs photo evidence: the grain's rule, in the Open311 error format.
        var refused = await Post(fmt, form);
        refused.AssertError(400, "quality.report-evidence");

        form["media_url"] = "https://img.example/stall.jpg";
        var first = Assert.Single((await Post(fmt, form)).Ok().Items("request"));
        var accountId = first["account_id"];
        Assert.StartsWith("o311-", accountId);
        var citizen = await api.Grains.GetGrain<ICitizenGrain>(accountId).Get();
        Assert.Equal(("Ada Lovelace", phone, email, "1301"), (citizen.Name, citizen.Phone, citizen.Email, citizen.City));
        var ticket = await api.Grains.GetGrain<ITicketGrain>(first["service_request_id"]).Get();
        Assert.Equal((TicketSource.Citizen, accountId), (ticket.Source, ticket.ReporterId));

        // 10 m away, same category: attached to the same request; the same e-mail (any case) is the same citizen.
        form["lat"] = Num(at.Lat + 0.00009);
        form["email"] = email.ToUpperInvariant();
        form["description"] = "Still there";
        var second = Assert.Single((await Post(fmt, form)).Ok().Items("request"));
        Assert.Equal(first["service_request_id"], second["service_request_id"]);
        Assert.NotEqual(first["token"], second["token"]);
        Assert.Equal(accountId, second["account_id"]);
        Assert.Equal($"attached to existing request {first["service_request_id"]} as a duplicate", second["service_notice"]);

        // Both tokens lead to the request.
        foreach (var token in new[] { first["token"], second["token"] })
        {
            var t = Assert.Single((await Get($"tokens/{token}.{fmt}", fmt)).Ok().Items("request"));
            Assert.Equal((first["service_request_id"], token), (t["service_request_id"], t["token"]));
        }

        // The public view never shows who reported.
        var got = await Get($"requests/{first["service_request_id"]}.{fmt}", fmt);
        var request = Assert.Single(got.Ok().Items("request"));
        Assert.Equal("1 duplicate report(s) attached", request["service_notice"]);
        foreach (var secret in new[] { accountId, "Ada Lovelace", "Lovelace", $"Ada.{fmt}", "Example.org", "13800001111", "138 0000", "138-0000", "device-42", "citizen" })
            Assert.DoesNotContain(secret, got.Body, StringComparison.OrdinalIgnoreCase);

        // account_id files as that registered citizen; an unknown one is refused.
        form["account_id"] = accountId;
        form["lat"] = Num(at.Lat + 0.00005);
        var third = Assert.Single((await Post(fmt, form)).Ok().Items("request"));
        Assert.Equal((first["service_request_id"], accountId), (third["service_request_id"], third["account_id"]));
        Assert.Equal(3, (await api.Grains.GetGrain<ICitizenGrain>(accountId).GetReports()).Length);
        form["account_id"] = "nobody-" + fmt;
        (await Post(fmt, form)).AssertError(400, "account_id");
    }

    // ---- GET requests: filters and the closed loop ----

    [Theory, MemberData(nameof(Formats))]
    public async Task Requests_are_filtered_by_id_service_status_and_date(string fmt)
    {
        var (a, b) = (Spot(fmt == "json" ? 4 : 5), Spot(fmt == "json" ? 6 : 7));
        var (catA, catB) = (Plan.Categories[5].Code, Plan.Categories[6].Code);
        var idA = await PostAnonymous(fmt, catA, a);
        var idB = await PostAnonymous(fmt, catB, b);
        var now = api.Clock.GetUtcNow();

        async Task<string[]> Ids(string query) => (await Get($"requests.{fmt}?{query}", fmt)).Ok().Items("request").Select(r => r["service_request_id"]).ToArray();

        var all = await Ids("");
        Assert.Contains(idA, all);
        Assert.Contains(idB, all);
        var byService = await Ids($"service_code={catA}");
        Assert.Contains(idA, byService);
        Assert.DoesNotContain(idB, byService);
        var open = await Ids("status=open");
        Assert.Contains(idA, open);
        Assert.Contains(idB, open);
        Assert.Empty((await Ids("status=closed")).Intersect([idA, idB]));
        Assert.Contains(idA, await Ids("status=open,closed"));

        string W3c(DateTimeOffset t) => Uri.EscapeDataString(Open311Writer.Timestamp(t.ToOffset(TimeSpan.FromHours(8))));
        var inRange = await Ids($"start_date={W3c(now.AddMinutes(-5))}&end_date={W3c(now.AddMinutes(5))}");
        Assert.Contains(idA, inRange);
        Assert.Contains(idB, inRange);
        Assert.DoesNotContain(idA, await Ids($"start_date={W3c(now.AddMinutes(5))}"));
        Assert.DoesNotContain(idA, await Ids($"end_date={W3c(now.AddMinutes(-5))}"));
        Assert.Contains(idA, await Ids($"start_date={Uri.EscapeDataString(now.AddMinutes(-5).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))}"));

        // service_request_id wins over every other filter; unknown ids are left out.
        var listed = await Ids($"service_request_id={idA},{idB},1301-nope&service_code={catA}&status=closed");
        Assert.Equal([idA, idB], listed);
    }

    [Theory, MemberData(nameof(Formats))]
    public async Task A_request_closes_when_its_ticket_goes_round_the_loop(string fmt)
    {
        var use = fmt == "json" ? 8 : 9;
        var cell = Cell(use);
        var id = await PostAnonymous(fmt, Plan.Categories[7].Code, Spot(use));
        var ticket = api.Grains.GetGrain<ITicketGrain>(id);
        var unit = (await ticket.Get()).UnitId;
        var supervisor = new Actor("sup-o311", Role.Supervisor, "1301");
        var inspector = Plan.Inspectors.Single(i => i.Id == cell.PrimaryInspectorId);
        await ticket.Accept(supervisor);
        await ticket.Dispatch(supervisor);
        Assert.Equal("open", Assert.Single((await Get($"requests/{id}.{fmt}", fmt)).Ok().Items("request"))["status"]);
        await ticket.Handle(new Actor("o311-handler", Role.Handler, unit), ["https://img.example/fixed.jpg"]);
        await ticket.Verify(new Actor(inspector.Id, Role.Inspector, inspector.Registration.Jurisdiction), true, ["https://img.example/checked.jpg"]);
        await ticket.Close(supervisor, "done");

        var request = Assert.Single((await Get($"requests/{id}.{fmt}", fmt)).Ok().Items("request"));
        Assert.Equal("closed", request["status"]);
        Assert.Equal("Closed: rectified, verified and closed", request["status_notes"]);
        Assert.Equal("", request["expected_datetime"]);
        var closed = (await Get($"requests.{fmt}?status=closed", fmt)).Ok().Items("request").Select(r => r["service_request_id"]);
        Assert.Contains(id, closed);
        var open = (await Get($"requests.{fmt}?status=open", fmt)).Ok().Items("request").Select(r => r["service_request_id"]);
        Assert.DoesNotContain(id, open);
    }

    // ---- errors ----

    [Theory, MemberData(nameof(Formats))]
    public async Task Refusals_use_the_standard_error_format(string fmt)
    {
        var at = Spot(fmt == "json" ? 10 : 11);
        Dictionary<string, string> Form(params (string, string)[] extra)
        {
            var form = new Dictionary<string, string>
            {
                ["api_key"] = ApiKey, ["service_code"] = Plan.Categories[8].Code, ["lat"] = Num(at.Lat), ["long"] = Num(at.Lon), ["description"] = "x",
            };
            foreach (var (k, v) in extra) form[k] = v;
            return form;
        }
        Dictionary<string, string> Without(params string[] keys)
        {
            var form = Form();
            foreach (var k in keys) form.Remove(k);
            return form;
        }

        (await Post(fmt, Without("api_key"))).AssertError(403, "api_key");
        (await Post(fmt, Form(("api_key", "not-a-key-at-all")))).AssertError(403, "api_key");
        (await Post(fmt, Form(("api_key", Open311Options.DevelopmentKey)))).AssertError(403, "api_key");
        (await Post(fmt, Form(("service_code", "Z9999")))).AssertError(400, "service_code");
        (await Post(fmt, Without("lat", "long"))).AssertError(400, "lat/long");
        (await Post(fmt, Without("lat", "long").Concat([new("address_string", "1 Demo Road")]).ToDictionary())).AssertError(400, "address_string");
        (await Post(fmt, Without("long"))).AssertError(400, "long");
        (await Post(fmt, Form(("lat", "north")))).AssertError(400, "lat");
        (await Post(fmt, Form(("lat", Num(Plan.Bounds.MaxLat + 1)), ("long", Num(Plan.Bounds.MaxLon + 1))))).AssertError(400, "cell.point-outside");
        (await Post(fmt, Form(("attribute[severity]", "Apocalyptic")))).AssertError(400, "attribute[severity]");
        (await Post(fmt, Form(("jurisdiction_id", "9999")))).AssertError(400, "jurisdiction_id");
        (await Get($"services/Z9999.{fmt}", fmt)).AssertError(404, "service_code");
        (await Get($"requests/1301-nope.{fmt}", fmt)).AssertError(404, "1301-nope");
        (await Get($"tokens/rnope.{fmt}", fmt)).AssertError(404, "rnope");
        (await Get($"requests.{fmt}?start_date=yesterday", fmt)).AssertError(400, "start_date");
        (await Get($"requests.{fmt}?end_date=2026-13-45", fmt)).AssertError(400, "end_date");
        (await Get($"requests.{fmt}?status=pending", fmt)).AssertError(400, "status");
        (await Get($"requests.{fmt}?jurisdiction_id=9999", fmt)).AssertError(404, "jurisdiction_id");
        // An unsupported suffix: the error comes in the format the client accepts.
        (await Get("services.csv", fmt)).AssertError(404, ".csv");
        (await Get("requests.csv", fmt)).AssertError(404, ".csv");
        (await Post(fmt, Form(), "requests.csv")).AssertError(404, ".csv");
        (await Get($"nothing-here.{fmt}", fmt)).AssertError(404, "nothing-here");
    }

    [Theory, MemberData(nameof(Formats))]
    public async Task Citizen_rules_answer_403_when_blocked_and_429_over_the_rate_limit(string fmt)
    {
        var at = Spot(fmt == "json" ? 12 : 13);
        var form = new Dictionary<string, string>
        {
            ["api_key"] = ApiKey, ["service_code"] = Plan.Categories[9].Code, ["lat"] = Num(at.Lat), ["long"] = Num(at.Lon), ["description"] = "Again",
            ["phone"] = fmt == "json" ? "+86 139 0000 3333" : "+86 139 0000 4444", ["media_url"] = "https://img.example/again.jpg",
        };
        var perHour = (await api.Grains.GetGrain<ICityGrain>("1301").GetSettings()).CitizenReportsPerHour;
        string? accountId = null;
        for (var i = 0; i < perHour; i++)
            accountId = Assert.Single((await Post(fmt, form)).Ok().Items("request"))["account_id"];
        (await Post(fmt, form)).AssertError(429, "citizen.rate-limit");

        await api.Grains.GetGrain<ICitizenGrain>(accountId!).Block("spam", new Actor("sup-o311", Role.Supervisor, "1301"));
        (await Post(fmt, form)).AssertError(403, "citizen.blocked");
    }

    // ---- helpers ----

    async Task<string> PostAnonymous(string fmt, string category, GeoPoint at)
    {
        var r = await Post(fmt, new()
        {
            ["api_key"] = ApiKey, ["service_code"] = category, ["lat"] = Num(at.Lat), ["long"] = Num(at.Lon), ["description"] = "Filed by a hub",
        });
        return Assert.Single(r.Ok().Items("request"))["service_request_id"];
    }

    async Task<Open311Response> Get(string path, string fmt)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(api.BaseAddress, "/open311/v2/" + path));
        request.Headers.Accept.ParseAdd(fmt == "json" ? "application/json" : "text/xml");
        return await Send(request, fmt);
    }

    async Task<Open311Response> Post(string fmt, Dictionary<string, string> form, string? path = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(api.BaseAddress, "/open311/v2/" + (path ?? $"requests.{fmt}")))
        {
            Content = new FormUrlEncodedContent(form),
        };
        request.Headers.Accept.ParseAdd(fmt == "json" ? "application/json" : "text/xml");
        return await Send(request, fmt);
    }

    async Task<Open311Response> Send(HttpRequestMessage request, string fmt)
    {
        using var response = await api.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(fmt == "json" ? "application/json" : "text/xml", response.Content.Headers.ContentType?.MediaType);
        return new Open311Response(response.StatusCode, fmt, body);
    }

    static Dictionary<string, string> Flat(JsonElement o) => o.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind switch
    {
        JsonValueKind.String => p.Value.GetString()!,
        JsonValueKind.Null => "",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => p.Value.GetRawText(),
    });

    static Dictionary<string, string> Flat(XElement e) => e.Elements().ToDictionary(x => x.Name.LocalName, x => x.Value);

    /// <summary>A response in either format; list bodies read as flat name → text records.</summary>
    sealed class Open311Response(HttpStatusCode status, string fmt, string body)
    {
        public HttpStatusCode Status { get; } = status;
        public string Body { get; } = body;
        public JsonDocument Json => JsonDocument.Parse(Body);
        public XDocument Xml => XDocument.Parse(Body);
        public string? XmlRootName => fmt == "xml" ? Xml.Root!.Name.LocalName : null;

        /// <summary>The records of a list body: a JSON array, or the root's <paramref name="item"/> children in XML.</summary>
        public List<Dictionary<string, string>> Items(string? item) => fmt == "json"
            ? Json.RootElement.EnumerateArray().Select(Flat).ToList()
            : Xml.Root!.Elements(item).Select(Flat).ToList();

        public Open311Response Ok()
        {
            Assert.True(Status == HttpStatusCode.OK, $"Expected 200, got {(int)Status}: {Body}");
            return this;
        }

        /// <summary>Asserts the standard error: HTTP status = code, one error whose description names <paramref name="names"/>.</summary>
        public void AssertError(int code, string names)
        {
            Assert.True((int)Status == code, $"Expected {code}, got {(int)Status}: {Body}");
            if (fmt == "xml") Assert.Equal("errors", XmlRootName);
            var error = Assert.Single(Items("error"));
            Assert.Equal(code.ToString(CultureInfo.InvariantCulture), error["code"]);
            Assert.Contains(names, error["description"]);
            Assert.DoesNotContain("   at ", Body);
            Assert.DoesNotContain("Exception", Body);
        }
    }
}
