using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using GridGov.Api.GraphQL.Protection;
using GridGov.Api.GraphQL.Schema;
using GridGov.Grains.Infrastructure;
using GridGov.Grains;
using GridGov.Tickets;

namespace GridGov.Api.Open311;

/// <summary>
/// Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) beside GraphQL, under <see cref="BasePath"/>:
/// discovery, services, service definitions, POST/GET requests and tokens, each as <c>.json</c> or <c>.xml</c>.
/// GETs are public (the public view of tickets, never a reporter); POST needs a platform API key.
/// </summary>
public static partial class Open311Endpoints
{
    public const string BasePath = "/open311/v2";
    public const string Specification = "http://wiki.open311.org/GeoReport_v2";

    /// <summary>Maps the Open311 endpoints; options come from <c>GridGov:Open311</c> (see <see cref="Open311Options"/>).</summary>
    public static WebApplication MapOpen311(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = Open311Options.From(app.Configuration, app.Environment.IsDevelopment());
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("GridGov.Open311");
        if (options.UsesDevelopmentKey)
            logger.LogWarning("Open311: no API key configured; the development key '{Key}' files for the demo city {City}. Never use it outside a developer's machine.",
                Open311Options.DevelopmentKey, Open311Options.DevelopmentJurisdiction);
        var api = new Open311Api(options, logger);

        // The same per-caller budget as GraphQL (token's subject, else IP); a refusal is an Open311 error list.
        var group = app.MapGroup(BasePath).RequireRateLimiting(RateLimitHosting.PolicyName).WithMetadata(new Open311RateLimitRefusal());
        group.MapGet("/discovery.{format}", (HttpContext c, string format) => api.Run(c, format, f => api.Discovery(c, f)));
        group.MapGet("/services.{format}", (HttpContext c, string format) => api.Run(c, format, f => api.Services(c, f)));
        group.MapGet("/services/{code}.{format}", (HttpContext c, string code, string format) => api.Run(c, format, f => api.ServiceDefinition(c, f, code)));
        group.MapPost("/requests.{format}", (HttpContext c, string format) => api.Run(c, format, f => api.PostRequest(c, f)));
        group.MapGet("/requests.{format}", (HttpContext c, string format) => api.Run(c, format, f => api.GetRequests(c, f)));
        group.MapGet("/requests/{id}.{format}", (HttpContext c, string id, string format) => api.Run(c, format, f => api.GetRequest(c, f, id)));
        group.MapGet("/tokens/{token}.{format}", (HttpContext c, string token, string format) => api.Run(c, format, f => api.GetToken(c, f, token)));
        app.MapFallback(BasePath + "/{**path}", (HttpContext c) =>
            Open311Writer.Error(Open311Writer.Negotiate(c.Request), StatusCodes.Status404NotFound, $"No Open311 resource at {c.Request.Path}."));
        return app;
    }

    /// <summary>A 429 as Open311 clients read errors: in the format the path's suffix names (else by Accept).</summary>
    sealed class Open311RateLimitRefusal : IRateLimitRefusalWriter
    {
        public Task WriteAsync(HttpContext http, string message)
        {
            var format = Open311Writer.ParseFormat(http.GetRouteValue("format") as string) ?? Open311Writer.Negotiate(http.Request);
            return Open311Writer.Error(format, StatusCodes.Status429TooManyRequests, message).ExecuteAsync(http);
        }
    }

    [GeneratedRegex(@"(Z|[+-]\d{2}:?\d{2})$", RegexOptions.IgnoreCase)]
    internal static partial Regex OffsetSuffix();
}

/// <summary>The handlers: parse the Open311 input, call the grains, render the public view.</summary>
sealed class Open311Api(Open311Options options, ILogger logger)
{
    static readonly string[] Severities = [nameof(Severity.Urgent), nameof(Severity.Major), nameof(Severity.Normal)];
    static readonly string[] DateFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd",
    ];
    const int MaxDescription = 4000;
    const int MaxIdLength = 100;

    readonly ConcurrentDictionary<string, TimeZoneInfo> _zones = new(StringComparer.Ordinal);
    readonly (byte[] Key, Open311ApiKey Value)[] _keys = options.ApiKeys
        .Select(kv => (Encoding.UTF8.GetBytes(kv.Value.Key ?? kv.Key), kv.Value)).ToArray();

    // ---- plumbing ----

    public async Task<IResult> Run(HttpContext c, string suffix, Func<Open311Format, Task<IResult>> handler)
    {
        var format = Open311Writer.ParseFormat(suffix);
        if (format is not { } f)
            return Open311Writer.Error(Open311Writer.Negotiate(c.Request), StatusCodes.Status404NotFound,
                $"format: '.{suffix}' is not supported; use .json or .xml.");
        try
        {
            return await handler(f);
        }
        catch (Exception e)
        {
            var (status, description) = Describe(e);
            if (status == StatusCodes.Status500InternalServerError)
                logger.LogError(e, "Open311 {Method} {Path} failed", c.Request.Method, c.Request.Path);
            return Open311Writer.Error(f, status, description);
        }
    }

    /// <summary>GridGov's refusals as Open311 errors: the rule is named in the description; nothing else of the exception leaks.</summary>
    internal static (int Status, string Description) Describe(Exception e)
    {
        switch (e)
        {
            case Open311Error o: return (o.Status, o.Message);
            case GridGovException g: return Describe(g);
            case OrleansException { InnerException: GridGovException g }: return Describe(g);
            case Orleans.Storage.InconsistentStateException:
                return (StatusCodes.Status409Conflict, "storage.version: The state changed concurrently; retry.");
            case BadHttpRequestException b:
                return (b.StatusCode, "The request could not be read: " + b.Message);
            default:
                return GridGovErrors.IsUnavailable(e)
                    ? (StatusCodes.Status503ServiceUnavailable, "service.unavailable: GridGov could not reach a silo or its database in time; retry shortly.")
                    : (StatusCodes.Status500InternalServerError, "GridGov failed to complete the request; nothing is known to be kept.");
        }
    }

    static (int, string) Describe(GridGovException g)
    {
        var status = g.Code switch
        {
            ErrorCodes.Validation => StatusCodes.Status400BadRequest,
            ErrorCodes.RuleViolation => g.Rule == "citizen.rate-limit" ? StatusCodes.Status429TooManyRequests : StatusCodes.Status400BadRequest,
            ErrorCodes.Forbidden => StatusCodes.Status403Forbidden,
            ErrorCodes.NotFound => StatusCodes.Status404NotFound,
            ErrorCodes.Conflict => StatusCodes.Status409Conflict,
            ErrorCodes.Unavailable => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status400BadRequest,
        };
        return (status, g.Code == ErrorCodes.NotFound ? g.Message : $"{g.Rule}: {g.Message}");
    }

    static Open311Error Bad(string description) => new(StatusCodes.Status400BadRequest, description);

    static IGrainFactory Grains(HttpContext c) => c.RequestServices.GetRequiredService<IGrainFactory>();

    static DateTimeOffset Now(HttpContext c) =>
        c.RequestServices.GetRequiredKeyedService<TimeProvider>(GridGov.Grains.Infrastructure.GridClock.Key).GetUtcNow();

    static string? Param(IQueryCollection q, string name) => q[name].ToString() is { Length: > 0 } s && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null;

    static string? Param(IFormCollection form, string name) => form[name].ToString() is { Length: > 0 } s && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null;

    /// <summary>The city a keyless GET is about: jurisdiction_id, or the only city served.</summary>
    string City(HttpContext c)
    {
        var cities = options.Cities;
        if (Param(c.Request.Query, "jurisdiction_id") is { } given)
        {
            if (JurisdictionCode.LevelOf(given) != JurisdictionLevel.City || (cities.Length > 0 && !cities.Contains(given, StringComparer.Ordinal)))
                throw new Open311Error(StatusCodes.Status404NotFound, $"jurisdiction_id: '{given}' is not a jurisdiction served here.");
            return given;
        }
        return cities.Length == 1 ? cities[0] : throw Bad("jurisdiction_id: required (this endpoint serves " +
            (cities.Length == 0 ? "no configured city" : string.Join(", ", cities)) + ").");
    }

    async Task<TimeZoneInfo> Zone(IGrainFactory grains, string city)
    {
        if (_zones.TryGetValue(city, out var zone)) return zone;
        return _zones.GetOrAdd(city, await grains.CityZone(city));
    }

    Open311ApiKey? Authenticate(string? apiKey)
    {
        if (apiKey is null) return null;
        var given = Encoding.UTF8.GetBytes(apiKey);
        Open311ApiKey? found = null;
        foreach (var (key, value) in _keys)
            if (CryptographicOperations.FixedTimeEquals(key, given)) found = value;
        return found;
    }

    // ---- discovery and services ----

    public Task<IResult> Discovery(HttpContext c, Open311Format f)
    {
        var url = options.BaseUrl ?? $"{c.Request.Scheme}://{c.Request.Host}{c.Request.PathBase}{Open311Endpoints.BasePath}";
        var endpoint = new Open311Object()
            .Add("specification", Open311Endpoints.Specification)
            .Add("url", url)
            .Add("changeset", options.Changeset)
            .Add("type", "production")
            .Add("formats", new Open311List("format", [Open311Writer.XmlMediaType, Open311Writer.JsonMediaType]));
        var body = new Open311Object()
            .Add("changeset", options.Changeset)
            .Add("contact", options.Contact)
            .Add("key_service", options.KeyService)
            .Add("endpoints", new Open311List("endpoint", [endpoint]));
        return Task.FromResult(Open311Writer.Write(f, "discovery", body));
    }

    public async Task<IResult> Services(HttpContext c, Open311Format f)
    {
        var city = City(c);
        var categories = await Grains(c).GetGrain<ICatalogGrain>(city).GetCategories();
        var items = categories.OrderBy(x => x.Code, StringComparer.Ordinal).Select(x => (object?)new Open311Object()
            .Add("service_code", x.Code)
            .Add("service_name", x.Name)
            .Add("description", x.Name)
            .Add("metadata", true)
            .Add("type", "realtime")
            .Add("keywords", "")
            .Add("group", Group(x.Code))).ToList();
        return Open311Writer.Write(f, "services", new Open311List("service", items));
    }

    /// <summary>The national coding's two families: E… events (事件), P… components (部件).</summary>
    static string Group(string code) => code.Length == 0 ? "" : code[0] switch
    {
        'E' or 'e' => "events",
        'P' or 'p' => "components",
        _ => "",
    };

    public async Task<IResult> ServiceDefinition(HttpContext c, Open311Format f, string code)
    {
        var city = City(c);
        if (!await Grains(c).GetGrain<ICatalogGrain>(city).HasCategory(code))
            throw new Open311Error(StatusCodes.Status404NotFound, $"service_code: '{code}' is not a service of jurisdiction {city}.");
        var severity = new Open311Object()
            .Add("variable", true)
            .Add("code", "severity")
            .Add("datatype", "singlevaluelist")
            .Add("required", false)
            .Add("datatype_description", "One of Urgent, Major, Normal; Normal when not given.")
            .Add("order", 1)
            .Add("description", "How urgent the problem is; it sets the deadline of every stage of the request.")
            .Add("values", new Open311List("value", Severities.Select(s => (object?)new Open311Object().Add("key", s).Add("name", s)).ToList()));
        var body = new Open311Object()
            .Add("service_code", code)
            .Add("attributes", new Open311List("attribute", [severity]));
        return Open311Writer.Write(f, "service_definition", body);
    }

    // ---- POST requests ----

    public async Task<IResult> PostRequest(HttpContext c, Open311Format f)
    {
        if (!c.Request.HasFormContentType)
            throw Bad("POST requests takes application/x-www-form-urlencoded parameters.");
        var form = await c.Request.ReadFormAsync(c.RequestAborted);
        var apiKey = Param(form, "api_key") ?? Param(c.Request.Query, "api_key");
        if (apiKey is null) throw new Open311Error(StatusCodes.Status403Forbidden, "api_key: required to submit a request.");
        var key = Authenticate(apiKey) ?? throw new Open311Error(StatusCodes.Status403Forbidden, "api_key: not a valid API key.");
        var city = JurisdictionCode.CityOf(key.Jurisdiction);
        if (Param(form, "jurisdiction_id") is { } jurisdiction && jurisdiction != city && jurisdiction != key.Jurisdiction)
            throw Bad($"jurisdiction_id: '{jurisdiction}' is not the jurisdiction of this API key ({key.Jurisdiction}).");

        var grains = Grains(c);
        var serviceCode = Param(form, "service_code") ?? throw Bad("service_code: required.");
        if (!await grains.GetGrain<ICatalogGrain>(city).HasCategory(serviceCode))
            throw Bad($"service_code: '{serviceCode}' is not a service of jurisdiction {city}.");
        var location = Location(form);
        var description = Param(form, "description");
        if (description is { Length: > MaxDescription }) throw Bad($"description: at most {MaxDescription} characters.");
        var mediaUrl = Param(form, "media_url");
        if (mediaUrl is not null && !(Uri.TryCreate(mediaUrl, UriKind.Absolute, out var media) && (media.Scheme == Uri.UriSchemeHttp || media.Scheme == Uri.UriSchemeHttps)))
            throw Bad("media_url: must be an absolute http(s) URL.");
        var severity = Severity.Normal;
        if (Param(form, "attribute[severity]") is { } s)
        {
            var name = Severities.FirstOrDefault(x => string.Equals(x, s, StringComparison.OrdinalIgnoreCase))
                ?? throw Bad($"attribute[severity]: '{s}' is not one of {string.Join(", ", Severities)}.");
            severity = Enum.Parse<Severity>(name);
        }
        var address = Param(form, "address_string");
        string[] evidence = mediaUrl is null ? [] : [mediaUrl];
        var platform = new Actor(key.PlatformId, Role.Platform, key.Jurisdiction);
        if (JurisdictionCode.LevelOf(key.Jurisdiction) != JurisdictionLevel.City)
        {
            var cell = await grains.GetGrain<ICityGrain>(city).LocateCell(location);
            if (!JurisdictionCode.Contains(key.Jurisdiction, cell))
                throw new Open311Error(StatusCodes.Status403Forbidden, $"access.jurisdiction: the position is in cell {cell}, outside this API key's jurisdiction {key.Jurisdiction}.");
        }

        // Who reports: a registered citizen (account_id), a citizen registered on their behalf (email/phone), or the platform.
        ReportReceipt receipt;
        string? accountId = null;
        var email = Param(form, "email");
        var phone = Param(form, "phone");
        if (Param(form, "account_id") is { } account)
        {
            if (account.Length > MaxIdLength) throw Bad("account_id: too long.");
            var citizen = grains.GetGrain<ICitizenGrain>(account);
            var profile = await citizen.Find()
                ?? throw Bad($"account_id: '{account}' is not a registered citizen (citizen.not-registered).");
            if (profile.City != city)
                throw Bad($"account_id: '{account}' is registered in another city than {city}.");
            receipt = await citizen.Submit(new CitizenReport(serviceCode, location, description ?? "", evidence, address, severity));
            accountId = account;
        }
        else if (email is not null || phone is not null)
        {
            // Refuse a report without a photo before registering anyone for it.
            GridGov.Fixes.QualityFix.EnsureReportEvidence(TicketSource.Citizen, evidence);
            accountId = CitizenId(city, email, phone);
            var citizen = grains.GetGrain<ICitizenGrain>(accountId);
            if (await citizen.Find() is null)
            {
                var name = string.Join(' ', new[] { Param(form, "first_name"), Param(form, "last_name") }.Where(n => n is not null));
                await citizen.Register(new RegisterCitizen(name.Length > 0 ? name : "Open311 reporter", phone, email), platform);
            }
            receipt = await citizen.Submit(new CitizenReport(serviceCode, location, description ?? "", evidence, address, severity));
        }
        else
        {
            receipt = await grains.GetGrain<ITicketIntakeGrain>(city)
                .Report(new ReportIssue(serviceCode, severity, TicketSource.Platform, location, description ?? "", evidence, null, address), platform);
        }

        var item = new Open311Object()
            .Add("service_request_id", receipt.TicketId)
            .Add("token", receipt.ReceiptId)
            .Add("service_notice", receipt.Duplicate ? $"attached to existing request {receipt.TicketId} as a duplicate" : "")
            .Add("account_id", accountId);
        return Open311Writer.Write(f, "service_requests", new Open311List("request", [item]));
    }

    static GeoPoint Location(IFormCollection form)
    {
        var lat = Param(form, "lat");
        var lon = Param(form, "long");
        if (lat is null && lon is null)
            throw Bad(Param(form, "address_string") is null
                ? "lat/long: required."
                : "lat/long: required; GridGov locates a request by its position, address_string alone is not enough.");
        if (lat is null) throw Bad("lat: required with long.");
        if (lon is null) throw Bad("long: required with lat.");
        if (!double.TryParse(lat, NumberStyles.Float, CultureInfo.InvariantCulture, out var la) || !double.IsFinite(la) || la is < -90 or > 90)
            throw Bad($"lat: '{lat}' is not a latitude (decimal degrees, WGS84).");
        if (!double.TryParse(lon, NumberStyles.Float, CultureInfo.InvariantCulture, out var lo) || !double.IsFinite(lo) || lo is < -180 or > 180)
            throw Bad($"long: '{lon}' is not a longitude (decimal degrees, WGS84).");
        return new GeoPoint(la, lo);
    }

    /// <summary>"o311-" + a hash of the city and the normalised e-mail (else phone): the same person maps to the same citizen.</summary>
    internal static string CitizenId(string city, string? email, string? phone)
    {
        var contact = email is not null
            ? "email:" + email.Trim().ToLowerInvariant()
            : "phone:" + new string(phone!.Where((ch, i) => char.IsAsciiDigit(ch) || (ch == '+' && i == 0)).ToArray());
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(city + "\n" + contact));
        return "o311-" + Convert.ToHexStringLower(hash)[..24];
    }

    // ---- GET requests ----

    public async Task<IResult> GetRequests(HttpContext c, Open311Format f)
    {
        var city = City(c);
        var grains = Grains(c);
        var q = c.Request.Query;
        var zone = await Zone(grains, city);
        var tickets = new List<TicketInfo>();
        if (Param(q, "service_request_id") is { } ids)
        {
            var list = ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToArray();
            if (list.Length > options.MaxRequests) throw Bad($"service_request_id: at most {options.MaxRequests} ids.");
            tickets.AddRange((await Task.WhenAll(list.Select(id => Find(grains, city, id)))).OfType<TicketInfo>());
        }
        else
        {
            string? category = null;
            if (Param(q, "service_code") is { } code)
            {
                if (!await grains.GetGrain<ICatalogGrain>(city).HasCategory(code))
                    throw Bad($"service_code: '{code}' is not a service of jurisdiction {city}.");
                category = code;
            }
            bool? open = null;
            if (Param(q, "status") is { } status)
            {
                var wanted = status.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToLowerInvariant()).ToHashSet();
                if (wanted.Count == 0 || wanted.Any(s => s is not ("open" or "closed")))
                    throw Bad($"status: '{status}' is not open, closed or open,closed.");
                open = wanted.Count == 2 ? null : wanted.Contains("open");
            }
            var end = Date(q, "end_date", zone);
            var start = Date(q, "start_date", zone);
            var to = end ?? (start is { } s ? s.AddDays(options.DefaultDays) : Now(c));
            var from = start ?? to.AddDays(-options.DefaultDays);
            if (from > to) throw Bad("start_date: after end_date.");
            var filter = new TicketFilter(Jurisdiction: city, Category: category, Open: open, ReportedFrom: from, ReportedTo: to.AddTicks(1));
            var search = grains.GetGrain<ITicketSearchGrain>(0);
            var summaries = new List<TicketSummary>();
            string? after = null;
            while (summaries.Count < options.MaxRequests)
            {
                var page = await search.Query(filter, after, Math.Min(200, options.MaxRequests - summaries.Count));
                summaries.AddRange(page.Items);
                if (!page.HasMore || page.Items.Length == 0) break;
                after = TicketCursor.Of(page.Items[^1]);
            }
            foreach (var chunk in summaries.Chunk(50))
                tickets.AddRange(await Task.WhenAll(chunk.Select(s => grains.GetGrain<ITicketGrain>(s.Id).Get())));
        }
        return await Render(grains, city, zone, f, tickets);
    }

    public async Task<IResult> GetRequest(HttpContext c, Open311Format f, string id)
    {
        var city = City(c);
        var grains = Grains(c);
        var ticket = await Find(grains, city, id)
            ?? throw new Open311Error(StatusCodes.Status404NotFound, $"service_request_id: '{id}' is not a request of jurisdiction {city}.");
        return await Render(grains, city, await Zone(grains, city), f, [ticket]);
    }

    public async Task<IResult> GetToken(HttpContext c, Open311Format f, string token)
    {
        var city = City(c);
        var grains = Grains(c);
        ReportReceipt? receipt = null;
        if (token.Length <= MaxIdLength)
        {
            try { receipt = await grains.GetGrain<IReportReceiptGrain>(token).Get(); }
            catch (GridGovException e) when (e.Code == ErrorCodes.NotFound) { }
        }
        if (receipt is null || !JurisdictionCode.Contains(city, receipt.TicketId))
            throw new Open311Error(StatusCodes.Status404NotFound, $"token: '{token}' is not known in jurisdiction {city}.");
        var item = new Open311Object().Add("service_request_id", receipt.TicketId).Add("token", receipt.ReceiptId);
        return Open311Writer.Write(f, "service_requests", new Open311List("request", [item]));
    }

    /// <summary>A ticket of the city, or null (unknown ids never activate more than an empty ticket grain).</summary>
    static async Task<TicketInfo?> Find(IGrainFactory grains, string city, string id)
    {
        if (id.Length > MaxIdLength || !JurisdictionCode.Contains(city, id)) return null;
        try { return await grains.GetGrain<ITicketGrain>(id).Get(); }
        catch (GridGovException e) when (e.Code == ErrorCodes.NotFound) { return null; }
    }

    /// <summary>A W3C datetime; without an offset it is the city's local time.</summary>
    static DateTimeOffset? Date(IQueryCollection q, string name, TimeZoneInfo zone)
    {
        if (Param(q, name) is not { } text) return null;
        if (!DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc))
            throw Bad($"{name}: '{text}' is not a W3C datetime (e.g. 2026-11-23T08:00:00+08:00).");
        if (Open311Endpoints.OffsetSuffix().IsMatch(text)) return new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
        var local = DateTime.SpecifyKind(utc, DateTimeKind.Unspecified); // no offset given: the digits are city local time
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    async Task<IResult> Render(IGrainFactory grains, string city, TimeZoneInfo zone, Open311Format f, IEnumerable<TicketInfo> tickets)
    {
        var names = (await grains.GetGrain<ICatalogGrain>(city).GetCategories()).ToDictionary(x => x.Code, x => x.Name, StringComparer.Ordinal);
        DateTimeOffset Local(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, zone);
        var items = tickets.Select(TicketPrivacy.Public).Select(p => (object?)new Open311Object()
            .Add("service_request_id", p.Id)
            .Add("status", p.IsOpen ? "open" : "closed")
            .Add("status_notes", p.Result is { } r ? $"{p.Stage}: {r.Summary}" : p.Stage.ToString())
            .Add("service_name", names.GetValueOrDefault(p.Category, p.Category))
            .Add("service_code", p.Category)
            .Add("description", p.Description)
            .Add("agency_responsible", p.UnitId)
            .Add("service_notice", p.DuplicateReports > 0 ? $"{p.DuplicateReports} duplicate report(s) attached" : "")
            .Add("requested_datetime", Local(p.ReportedAt))
            .Add("updated_datetime", Local(p.UpdatedAt))
            .Add("expected_datetime", p.ExpectedBy is { } e ? Local(e) : null)
            .Add("address", p.Address ?? "")
            .Add("address_id", "")
            .Add("zipcode", "")
            .Add("lat", p.Location.Lat)
            .Add("long", p.Location.Lon)
            .Add("media_url", p.ReportEvidence.FirstOrDefault(IsUrl) ?? "")).ToList();
        return Open311Writer.Write(f, "service_requests", new Open311List("request", items));
    }

    static bool IsUrl(string s) => Uri.TryCreate(s, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps);
}
