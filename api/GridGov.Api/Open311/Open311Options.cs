namespace GridGov.Api.Open311;

/// <summary>
/// Open311 GeoReport v2 settings, bound from <c>GridGov:Open311</c>. API keys are
/// <c>GridGov:Open311:ApiKeys:&lt;key&gt;:PlatformId</c> and <c>...:Jurisdiction</c>: each key is a platform that files
/// reports for its jurisdiction (a city code, or a district/street below it).
/// </summary>
public sealed class Open311Options
{
    public const string SectionName = "GridGov:Open311";

    /// <summary>Accepted in Development only, and only when no key is configured; for the demo city.</summary>
    public const string DevelopmentKey = "gridgov-open311-development-key";

    /// <summary>The demo city the development key files for.</summary>
    public const string DevelopmentJurisdiction = "1301";

    /// <summary>API keys: the configuration key is the API key unless <see cref="Open311ApiKey.Key"/> is set.</summary>
    public Dictionary<string, Open311ApiKey> ApiKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>City codes served to public (keyless) GETs; default: the cities of the configured keys.</summary>
    public string[] Jurisdictions { get; set; } = [];

    /// <summary>Discovery: when this endpoint's definition last changed (W3C datetime).</summary>
    public string Changeset { get; set; } = "2026-11-23T00:00:00Z";

    /// <summary>Discovery: who to contact about the service.</summary>
    public string Contact { get; set; } = "GridGov command centre (网格化管理指挥中心)";

    /// <summary>Discovery: where to ask for an API key.</summary>
    public string KeyService { get; set; } = "Ask the city's GridGov command centre for a platform API key.";

    /// <summary>Discovery: the public base URL of <c>/open311/v2</c>; default: taken from the request.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The most requests one GET requests call returns (newest first). Default 1000.</summary>
    public int MaxRequests { get; set; } = 1000;

    /// <summary>The default date range of GET requests when no start_date is given. Default 90 days.</summary>
    public int DefaultDays { get; set; } = 90;

    /// <summary>True when the development key is in use (Development, no key configured).</summary>
    public bool UsesDevelopmentKey { get; private set; }

    /// <summary>Reads the options; in Development with no key configured, adds the development key for the demo city.</summary>
    public static Open311Options From(IConfiguration configuration, bool isDevelopment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new Open311Options();
        configuration.GetSection(SectionName).Bind(options);
        if (options.ApiKeys.Count == 0 && isDevelopment)
        {
            options.ApiKeys[DevelopmentKey] = new Open311ApiKey { PlatformId = "open311-dev", Jurisdiction = DevelopmentJurisdiction };
            options.UsesDevelopmentKey = true;
        }
        foreach (var (name, key) in options.ApiKeys)
        {
            if (string.IsNullOrWhiteSpace(key.PlatformId) || string.IsNullOrWhiteSpace(key.Jurisdiction) || JurisdictionCode.LevelOf(key.Jurisdiction) is null)
                throw new InvalidOperationException($"{SectionName}:ApiKeys:{name} needs a PlatformId and a Jurisdiction (a city, district or street code).");
            if ((key.Key ?? name).Length < 8)
                throw new InvalidOperationException($"{SectionName}:ApiKeys:{name}: an API key needs at least 8 characters.");
        }
        foreach (var code in options.Jurisdictions)
            if (JurisdictionCode.LevelOf(code) is null)
                throw new InvalidOperationException($"{SectionName}:Jurisdictions: '{code}' is not a jurisdiction code.");
        if (options.MaxRequests is < 1 or > 10_000)
            throw new InvalidOperationException($"{SectionName}:MaxRequests must be 1–10000.");
        if (options.DefaultDays < 1)
            throw new InvalidOperationException($"{SectionName}:DefaultDays must be at least 1.");
        return options;
    }

    /// <summary>The cities served to keyless GETs.</summary>
    public string[] Cities => Jurisdictions.Length > 0
        ? Jurisdictions.Select(JurisdictionCode.CityOf).Distinct(StringComparer.Ordinal).ToArray()
        : ApiKeys.Values.Select(k => JurisdictionCode.CityOf(k.Jurisdiction)).Distinct(StringComparer.Ordinal).ToArray();
}

/// <summary>One API key: the platform (another city system) it stands for, and where it may file.</summary>
public sealed class Open311ApiKey
{
    /// <summary>The key itself, when it should not be the configuration key's name.</summary>
    public string? Key { get; set; }

    /// <summary>The platform's actor id (reports are filed as <c>Actor(PlatformId, Platform, Jurisdiction)</c>).</summary>
    public string PlatformId { get; set; } = "";

    /// <summary>A city code, or a district/street code below it.</summary>
    public string Jurisdiction { get; set; } = "";
}
