namespace GridGov;

/// <summary>Level of a node in the hierarchy city → district (区) → street (街道) → community (社区) → cell (网格).</summary>
public enum JurisdictionLevel { City, District, Street, Community, Cell }

/// <summary>
/// Hierarchical codes in the spirit of the national unit-grid coding rule: every level's code is a prefix of
/// its children's. City 4 digits, district 6, street 9, community 12, cell 16 (community + 4-digit serial).
/// </summary>
public static class JurisdictionCode
{
    static readonly int[] Lengths = [4, 6, 9, 12, 16];

    public static int LengthOf(JurisdictionLevel level) => Lengths[(int)level];

    public static JurisdictionLevel? LevelOf(string code)
    {
        if (string.IsNullOrEmpty(code) || !code.All(char.IsAsciiDigit)) return null;
        var i = Array.IndexOf(Lengths, code.Length);
        return i < 0 ? null : (JurisdictionLevel)i;
    }

    public static string? ParentOf(string code)
    {
        var level = LevelOf(code);
        return level is null or JurisdictionLevel.City ? null : code[..Lengths[(int)level - 1]];
    }

    public static string CityOf(string code) => code[..Lengths[0]];

    /// <summary>The ancestor of <paramref name="code"/> at <paramref name="level"/> (or the code itself).</summary>
    public static string AncestorAt(string code, JurisdictionLevel level) => code[..Lengths[(int)level]];

    /// <summary>All ancestors from the city down to the parent.</summary>
    public static IEnumerable<string> AncestorsOf(string code)
    {
        var level = LevelOf(code) ?? throw GridGovException.Invalid("code.format", $"'{code}' is not a jurisdiction code.");
        for (var l = 0; l < (int)level; l++) yield return code[..Lengths[l]];
    }

    /// <summary>True when <paramref name="code"/> is <paramref name="jurisdiction"/> or lies below it.</summary>
    public static bool Contains(string jurisdiction, string code) => code.StartsWith(jurisdiction, StringComparison.Ordinal);
}

[GenerateSerializer, Immutable]
public sealed record JurisdictionNode(string Code, string Name, JurisdictionLevel Level);
