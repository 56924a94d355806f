namespace GridGov;

/// <summary>A WGS84 position in degrees.</summary>
[GenerateSerializer, Immutable]
public readonly record struct GeoPoint(double Lat, double Lon);

/// <summary>Who is acting.</summary>
public enum Role
{
    /// <summary>监督员/指挥中心: command-centre staff.</summary>
    Supervisor,
    /// <summary>网格员: patrols cells.</summary>
    Inspector,
    /// <summary>处置单位 staff: acts on its unit's tickets.</summary>
    Handler,
    /// <summary>随手拍: a registered resident.</summary>
    Citizen,
    /// <summary>Another city system (12345 hotline, 一网统管).</summary>
    Platform,
    /// <summary>GridGov itself: reminders, escalation.</summary>
    System,
}

/// <summary>The caller of a command. <paramref name="Scope"/> is a jurisdiction code, or the unit id for a handler.</summary>
[GenerateSerializer, Immutable]
public sealed record Actor(string Id, Role Role, string Scope)
{
    public static readonly Actor System = new("system", Role.System, "");
}
