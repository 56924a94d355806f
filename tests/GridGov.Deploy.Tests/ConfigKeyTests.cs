using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace GridGov.Deploy.Tests;

/// <summary>
/// Every environment variable the deploy files set for GridGov is a configuration key the code reads
/// ("__" is ":"), so a typo or a renamed key fails here instead of being silently ignored in production.
/// </summary>
public class ConfigKeyTests
{
    /// <summary>Read by ASP.NET Core itself, not by GridGov's code.</summary>
    static readonly HashSet<string> FrameworkKeys = ["ASPNETCORE_HTTP_PORTS"];

    /// <summary>Settings of other images (postgres), not of GridGov.</summary>
    static readonly HashSet<string> ForeignServices = ["postgres"];

    public static TheoryData<string, string> DeployedKeys()
    {
        var data = new TheoryData<string, string>();
        foreach (var (where, key) in CollectKeys().Distinct()) data.Add(key, where);
        return data;
    }

    static IEnumerable<(string Where, string Key)> CollectKeys()
    {
        foreach (var service in Repo.Compose().Get("services").Pairs().Where(s => !ForeignServices.Contains(s.Key)))
        {
            var env = service.Value.Get("environment");
            var keys = env is YamlSequenceNode list ? list.Children.Select(i => i.Str()!.Split('=')[0]) : env.Pairs().Select(p => p.Key);
            foreach (var key in keys) yield return ("compose.yaml", key);
        }
        foreach (var (file, doc) in Repo.K8sDocuments())
        {
            foreach (var c in doc.Get("spec").Get("template").Get("spec").Get("containers").Items())
                foreach (var e in c.Get("env").Items()) yield return ($"k8s/{file}", e.Str("name")!);
            if (doc.Str("kind") == "Secret")
                foreach (var p in doc.Get("stringData").Pairs()) yield return ($"k8s/{file}", p.Key);
        }
        foreach (var dockerfile in new[] { "silo.Dockerfile", "api.Dockerfile" })
            foreach (var key in Dockerfile.Load(dockerfile).Env()) yield return (dockerfile, key);
    }

    [Fact]
    public void Deploy_files_set_the_keys_the_brief_names()
    {
        var keys = CollectKeys().Select(k => k.Key).ToHashSet();
        foreach (var key in new[] { "ConnectionStrings__GridGov", "GridGov__Api__Mode", "GridGov__SiloPort", "GridGov__GatewayPort",
                     "GridGov__HealthUrls", "GridGov__LoadDemoCity", "GridGov__AdvertisedAddress", "GridGov__ListenOnAnyAddress",
                     "GridGov__ClusterId", "GridGov__ServiceId", "GridGov__Auth__SigningKey" })
            Assert.Contains(key, keys);
    }

    [Theory]
    [MemberData(nameof(DeployedKeys))]
    public void Every_deployed_key_is_read_by_the_code(string key, string where)
    {
        if (FrameworkKeys.Contains(key)) return;
        Assert.True(IsReadByCode(key.Replace("__", ":")), $"{where}: {key} ({key.Replace("__", ":")}) is not a configuration key the code reads");
    }

    [Theory]
    [InlineData("GridGov:SiloPortt")]
    [InlineData("GridGov:Auth:SigningKeys")]
    [InlineData("ConnectionStrings:Orleans")]
    [InlineData("GridGov:Api:Mod")]
    public void The_key_check_rejects_keys_the_code_does_not_read(string key) => Assert.False(IsReadByCode(key));

    /// <summary>
    /// A key is read when the code names it whole as a string literal (<c>GetValue("GridGov:SiloPort", ...)</c>,
    /// <c>config["GridGov:Api:Mode"]</c>), names its connection string (<c>GetConnectionString("GridGov")</c>), or binds
    /// its section (a literal <c>"GridGov:Auth"</c>) to a class in the same file with a property named like the last segment.
    /// </summary>
    static bool IsReadByCode(string key)
    {
        var sources = Repo.ShippedSources();
        bool Literal(string text, string value) =>
            Regex.IsMatch(text, "\"" + Regex.Escape(value) + "\"", RegexOptions.IgnoreCase);

        if (sources.Any(s => Literal(s.Text, key))) return true;

        var segments = key.Split(':');
        if (segments.Length == 2 && segments[0].Equals("ConnectionStrings", StringComparison.OrdinalIgnoreCase))
            return sources.Any(s => Regex.IsMatch(s.Text, @"GetConnectionString\(\s*""" + Regex.Escape(segments[1]) + @"""\s*\)", RegexOptions.IgnoreCase));

        var section = string.Join(':', segments[..^1]);
        var property = segments[^1];
        return segments.Length > 1 && sources.Any(s =>
            Literal(s.Text, section) && Regex.IsMatch(s.Text, @"\bBind\(|\.Configure<|\bGet<")
                                    && Regex.IsMatch(s.Text, @"public\s+[\w<>?\[\], ]+\s+" + Regex.Escape(property) + @"\s*\{\s*get;", RegexOptions.IgnoreCase));
    }
}
