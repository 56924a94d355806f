using System.Reflection;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace GridGov.Deploy.Tests;

/// <summary>Paths into the repository and small helpers for reading deploy/ files.</summary>
static class Repo
{
    public static readonly string Root = FindRoot();
    public static string Deploy => Path.Combine(Root, "deploy");
    public static string K8s => Path.Combine(Deploy, "k8s");

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    static string FindRoot()
    {
        var candidates = new List<string?>
        {
            Environment.GetEnvironmentVariable("GRIDGOV_REPO_ROOT"),
            typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "GridGovRepoRoot")?.Value,
        };
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent) candidates.Add(dir.FullName);
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent) candidates.Add(dir.FullName);
        return candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && File.Exists(Path.Combine(c, "GridGov.sln")))
            ?? throw new InvalidOperationException("Cannot find the repository root (GridGov.sln); set GRIDGOV_REPO_ROOT.");
    }

    public static IEnumerable<string> YamlFiles() =>
        Directory.EnumerateFiles(Deploy, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);

    public static IReadOnlyList<YamlMappingNode> LoadDocuments(string file)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(file)) stream.Load(reader);
        return stream.Documents.Select(d => d.RootNode as YamlMappingNode
            ?? throw new InvalidDataException($"{file}: a document's root is not a mapping")).ToList();
    }

    public static YamlMappingNode Compose() => LoadDocuments(Path.Combine(Deploy, "compose.yaml")).Single();

    public static IEnumerable<(string File, YamlMappingNode Doc)> K8sDocuments() =>
        Directory.EnumerateFiles(K8s, "*.yaml").Order(StringComparer.Ordinal)
            .SelectMany(f => LoadDocuments(f).Select(d => (Path.GetFileName(f), d)));

    /// <summary>The C# sources of the shipped code (not tests, not build output).</summary>
    public static IReadOnlyList<(string File, string Text)> ShippedSources() => sources.Value;
    static readonly Lazy<IReadOnlyList<(string, string)>> sources = new(() =>
        new[] { "api", "silo", "grains" }
            .SelectMany(d => Directory.EnumerateFiles(PathOf(d), "*.cs", SearchOption.AllDirectories))
            .Where(f => !Regex.IsMatch(f, @"[\\/](bin|obj)[\\/]"))
            .Select(f => (f, File.ReadAllText(f))).ToList());
}

/// <summary>Null-safe navigation over YamlDotNet's representation model.</summary>
static class Yaml
{
    public static YamlNode? Get(this YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static YamlNode Req(this YamlNode? node, string key, string where) =>
        node.Get(key) ?? throw new Xunit.Sdk.XunitException($"{where}: missing '{key}'");

    public static string? Str(this YamlNode? node) => (node as YamlScalarNode)?.Value;

    public static string? Str(this YamlNode? node, string key) => node.Get(key).Str();

    public static IEnumerable<YamlNode> Items(this YamlNode? node) => node is YamlSequenceNode seq ? seq.Children : [];

    public static IEnumerable<KeyValuePair<string, YamlNode>> Pairs(this YamlNode? node) =>
        node is YamlMappingNode map ? map.Children.Select(p => new KeyValuePair<string, YamlNode>(p.Key.Str()!, p.Value)) : [];
}
