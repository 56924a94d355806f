using System.Net;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace GridGov.Deploy.Tests;

public class ComposeTests
{
    static readonly YamlMappingNode compose = Repo.Compose();
    static YamlNode Service(string name) => compose.Req("services", "compose").Req(name, "compose services");

    static Dictionary<string, string> Env(string service)
    {
        var env = Service(service).Get("environment");
        // Both compose forms: a mapping, or a list of KEY=VALUE.
        if (env is YamlSequenceNode list)
            return list.Children.Select(i => i.Str()!.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
        return env.Pairs().ToDictionary(p => p.Key, p => p.Value.Str() ?? "");
    }

    static string HealthCommand(string service)
    {
        var test = Service(service).Req("healthcheck", service).Req("test", $"{service}.healthcheck");
        return test is YamlSequenceNode seq ? string.Join(' ', seq.Children.Select(c => c.Str())) : test.Str()!;
    }

    [Fact]
    public void Has_exactly_the_four_services()
    {
        var names = compose.Get("services").Pairs().Select(p => p.Key).Order().ToArray();
        Assert.Equal(["api", "postgres", "silo1", "silo2"], names);
    }

    [Fact]
    public void Postgres_is_15_with_a_healthcheck_and_a_named_volume()
    {
        Assert.Equal("postgres:15", Service("postgres").Str("image"));
        Assert.Contains("pg_isready", HealthCommand("postgres"));
        var mount = Assert.Single(Service("postgres").Get("volumes").Items()).Str()!;
        var volume = mount.Split(':')[0];
        Assert.EndsWith(":/var/lib/postgresql/data", mount);
        Assert.NotNull(compose.Get("volumes").Pairs().SingleOrDefault(p => p.Key == volume).Key);
        var db = Env("postgres")["POSTGRES_DB"];
        Assert.Contains($"Database={db}", Env("silo1")["ConnectionStrings__GridGov"]);
    }

    [Theory]
    [InlineData("silo1")]
    [InlineData("silo2")]
    [InlineData("api")]
    public void GridGov_services_point_at_postgres_and_wait_for_it(string service)
    {
        var env = Env(service);
        Assert.Matches(@"(^|;)Host=postgres(;|$)", env["ConnectionStrings__GridGov"]);
        Assert.Equal("gridgov", env["GridGov__ClusterId"]);
        Assert.Equal("gridgov", env["GridGov__ServiceId"]);
        Assert.Equal("service_healthy", Service(service).Get("depends_on").Get("postgres").Str("condition"));
        Assert.All(Service(service).Get("depends_on").Pairs(), d => Assert.Equal("service_healthy", d.Value.Str("condition")));
        Assert.Contains("/health/ready", HealthCommand(service));
    }

    [Theory]
    [InlineData("silo1", "true")]
    [InlineData("silo2", "false")]
    public void Silos_listen_on_any_address_and_advertise_their_static_ip(string service, string loadsCity)
    {
        var env = Env(service);
        Assert.Equal(loadsCity, env["GridGov__LoadDemoCity"]);
        Assert.Equal("true", env["GridGov__ListenOnAnyAddress"]);

        // Orleans parses the advertised address as an IP; it must be this container's own address on the network.
        var advertised = IPAddress.Parse(env["GridGov__AdvertisedAddress"]);
        var networks = Service(service).Req("networks", service).Pairs().ToList();
        var (network, settings) = (networks.Single().Key, networks.Single().Value);
        Assert.Equal(advertised, IPAddress.Parse(settings.Str("ipv4_address")!));
        var subnet = compose.Req("networks", "compose").Req(network, "networks").Req("ipam", network).Req("config", "ipam")
            .Items().Single().Str("subnet")!;
        Assert.True(IPNetwork.Parse(subnet).Contains(advertised), $"{advertised} is outside {subnet}");

        // The health check asks the port the silo serves health on.
        var healthPort = new Uri(env["GridGov__HealthUrls"].Replace("0.0.0.0", "localhost").Replace("+", "localhost").Replace("*", "localhost")).Port;
        Assert.Contains($":{healthPort}/health/ready", HealthCommand(service));
        Assert.StartsWith("http://0.0.0.0:", env["GridGov__HealthUrls"]);
    }

    [Fact]
    public void Static_ips_are_distinct()
    {
        var ips = compose.Get("services").Pairs()
            .SelectMany(s => s.Value.Get("networks").Pairs().Select(n => n.Value.Str("ipv4_address")))
            .Where(ip => ip is not null).ToList();
        Assert.Equal(ips.Count, ips.Distinct().Count());
        Assert.Equal(4, ips.Count);
    }

    [Fact]
    public void Silo2_and_api_start_after_silo1_is_ready()
    {
        Assert.Equal("service_healthy", Service("silo2").Get("depends_on").Get("silo1").Str("condition"));
        Assert.Equal("service_healthy", Service("api").Get("depends_on").Get("silo1").Str("condition"));
    }

    [Fact]
    public void Api_is_a_client_with_a_signing_key_from_the_environment()
    {
        var env = Env("api");
        Assert.Equal("Client", env["GridGov__Api__Mode"]);
        Assert.Matches(@"^\$\{[A-Z_]+(:?[?-].*)?\}$", env["GridGov__Auth__SigningKey"]);
        var httpPort = env["ASPNETCORE_HTTP_PORTS"];
        Assert.Contains($":{httpPort}/health/ready", HealthCommand("api"));
        Assert.Contains(Service("api").Get("ports").Items(), p => p.Str()!.EndsWith($":{httpPort}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("silo1")]
    [InlineData("api")]
    public void Built_services_name_an_existing_dockerfile_in_the_context(string service)
    {
        var build = Service(service).Req("build", service);
        var context = Path.GetFullPath(Path.Combine(Repo.Deploy, build.Str("context")!));
        Assert.Equal(Path.GetFullPath(Repo.Root).TrimEnd(Path.DirectorySeparatorChar), context.TrimEnd(Path.DirectorySeparatorChar));
        Assert.True(File.Exists(Path.Combine(context, build.Str("dockerfile")!)), build.Str("dockerfile"));
    }

    [Fact]
    public void Silo2_uses_the_image_silo1_builds()
    {
        Assert.Equal(Service("silo1").Str("image"), Service("silo2").Str("image"));
    }

    [Fact]
    public void Every_compose_variable_reference_is_well_formed()
    {
        var text = File.ReadAllText(Path.Combine(Repo.Deploy, "compose.yaml"));
        foreach (Match m in Regex.Matches(text, @"\$\{([^}]*)\}"))
            Assert.Matches(@"^[A-Z_][A-Z0-9_]*((:?-|:?\?).*)?$", m.Groups[1].Value);
    }
}
