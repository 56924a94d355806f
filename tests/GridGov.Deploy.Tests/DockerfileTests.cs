using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace GridGov.Deploy.Tests;

/// <summary>A Dockerfile's instructions (continuation lines joined, comments dropped).</summary>
sealed record Dockerfile(string Name, IReadOnlyList<(string Op, string Args)> Instructions)
{
    public static Dockerfile Load(string name)
    {
        var logical = new List<(string, string)>();
        var current = "";
        foreach (var raw in File.ReadAllLines(Path.Combine(Repo.Deploy, name)))
        {
            var line = raw.Trim();
            if (current.Length == 0 && (line.Length == 0 || line.StartsWith('#'))) continue;
            if (line.EndsWith('\\')) { current += line[..^1] + " "; continue; }
            current += line;
            var space = current.IndexOf(' ');
            logical.Add((current[..space].ToUpperInvariant(), current[(space + 1)..].Trim()));
            current = "";
        }
        return new(name, logical);
    }

    public IEnumerable<string> All(string op) => Instructions.Where(i => i.Op == op).Select(i => i.Args);
    public IEnumerable<string> Env() => All("ENV").SelectMany(a => Regex.Matches(a, @"(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=").Select(m => m.Groups[1].Value));
}

public class DockerfileTests
{
    public static TheoryData<string, string, string> Images() => new()
    {
        { "silo.Dockerfile", "silo/GridGov.Silo/GridGov.Silo.csproj", "GridGov.Silo.dll" },
        { "api.Dockerfile", "api/GridGov.Api/GridGov.Api.csproj", "GridGov.Api.dll" },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void Publishes_an_existing_project_and_runs_its_dll(string dockerfile, string project, string dll)
    {
        var file = Dockerfile.Load(dockerfile);

        var publish = Assert.Single(file.All("RUN"), r => r.Contains("dotnet publish"));
        var m = Regex.Match(publish, @"dotnet publish\s+(?<path>\S+\.csproj)\s+.*-c Release.*-o /app(\s|$)");
        Assert.True(m.Success, $"{dockerfile}: '{publish}' is not 'dotnet publish <project> -c Release -o /app'");
        var publishPath = m.Groups["path"].Value;
        Assert.True(File.Exists(Repo.PathOf(publishPath)), $"{dockerfile}: {publishPath} does not exist in the repository");
        Assert.Equal(project, publishPath);

        var entry = JsonSerializer.Deserialize<string[]>(Assert.Single(file.All("ENTRYPOINT")))!;
        Assert.Equal("dotnet", entry[0]);
        Assert.Equal(dll, entry[1]);
        Assert.Equal(AssemblyName(Repo.PathOf(publishPath)) + ".dll", entry[1]);

        // Every project in the solution that produces this dll is the one published.
        var sln = File.ReadAllText(Repo.PathOf("GridGov.sln")).Replace('\\', '/');
        Assert.Contains(publishPath, sln);
    }

    static string AssemblyName(string csproj) =>
        XDocument.Load(csproj).Descendants("AssemblyName").LastOrDefault()?.Value ?? Path.GetFileNameWithoutExtension(csproj);

    [Theory]
    [MemberData(nameof(Images))]
    public void Is_multi_stage_on_the_target_framework_images_and_runs_non_root(string dockerfile, string project, string dll)
    {
        _ = (project, dll);
        var file = Dockerfile.Load(dockerfile);
        var from = file.All("FROM").ToList();
        Assert.Equal(2, from.Count);
        var framework = XDocument.Load(Repo.PathOf("Directory.Build.props")).Descendants("TargetFramework").Single().Value; // net10.0
        var tag = framework["net".Length..];
        Assert.StartsWith($"mcr.microsoft.com/dotnet/sdk:{tag} AS build", from[0]);
        Assert.StartsWith($"mcr.microsoft.com/dotnet/aspnet:{tag}", from[1]);
        Assert.Contains(file.All("COPY"), c => c.StartsWith("--from=build /app", StringComparison.Ordinal));

        // USER comes after the last RUN (package installs need root) and is not root.
        var user = Assert.Single(file.All("USER"));
        Assert.DoesNotMatch(@"^(root|0)(:|$)", user);
        var ops = file.Instructions.Select(i => i.Op).ToList();
        Assert.True(ops.LastIndexOf("USER") > ops.LastIndexOf("RUN"), $"{dockerfile}: USER must follow the last RUN");
        Assert.True(ops.LastIndexOf("USER") > ops.FindIndex(o => o == "FROM") && ops.LastIndexOf("USER") > ops.LastIndexOf("FROM"));
    }

    [Fact]
    public void Silo_exposes_silo_gateway_and_health_ports_it_is_configured_with()
    {
        var file = Dockerfile.Load("silo.Dockerfile");
        var exposed = file.All("EXPOSE").SelectMany(e => e.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet();
        var env = string.Join(' ', file.All("ENV"));
        string Value(string key) => Regex.Match(env, key + @"=(\S+)").Groups[1].Value;
        Assert.Contains(Value("GridGov__SiloPort"), exposed);
        Assert.Contains(Value("GridGov__GatewayPort"), exposed);
        Assert.Contains(new Uri(Value("GridGov__HealthUrls")).Port.ToString(), exposed);
        Assert.Equal(3, exposed.Count);
        Assert.Equal("true", Value("GridGov__ListenOnAnyAddress"));
    }

    [Fact]
    public void Api_exposes_its_http_port()
    {
        var file = Dockerfile.Load("api.Dockerfile");
        var port = Regex.Match(string.Join(' ', file.All("ENV")), @"ASPNETCORE_HTTP_PORTS=(\d+)").Groups[1].Value;
        Assert.Equal(port, Assert.Single(file.All("EXPOSE")));
    }

    [Theory]
    [InlineData("silo.Dockerfile")]
    [InlineData("api.Dockerfile")]
    public void Build_context_ignores_build_output(string dockerfile)
    {
        var ignore = File.ReadAllLines(Path.Combine(Repo.Deploy, dockerfile + ".dockerignore"));
        Assert.Contains("**/bin/", ignore);
        Assert.Contains("**/obj/", ignore);
    }
}
