using YamlDotNet.RepresentationModel;

namespace GridGov.Deploy.Tests;

public class K8sTests
{
    static readonly List<(string File, YamlMappingNode Doc)> docs = Repo.K8sDocuments().ToList();

    static YamlNode Single(string kind, string name) =>
        docs.Single(d => d.Doc.Str("kind") == kind && d.Doc.Get("metadata").Str("name") == name).Doc;

    static YamlNode Container(YamlNode workload) =>
        workload.Get("spec").Get("template").Get("spec").Get("containers").Items().Single();

    static Dictionary<string, YamlNode> Env(YamlNode container) =>
        container.Get("env").Items().ToDictionary(e => e.Str("name")!, e => e);

    static int Port(YamlNode container, YamlNode portRef) =>
        int.TryParse(portRef.Str(), out var n) ? n
            : int.Parse(container.Get("ports").Items().Single(p => p.Str("name") == portRef.Str()).Str("containerPort")!);

    [Fact]
    public void Every_manifest_has_apiVersion_kind_and_metadata_name()
    {
        Assert.NotEmpty(docs);
        foreach (var (file, doc) in docs)
        {
            Assert.False(string.IsNullOrWhiteSpace(doc.Str("apiVersion")), $"{file}: apiVersion");
            Assert.False(string.IsNullOrWhiteSpace(doc.Str("kind")), $"{file}: kind");
            Assert.False(string.IsNullOrWhiteSpace(doc.Get("metadata").Str("name")), $"{file}: metadata.name");
        }
    }

    [Fact]
    public void Everything_but_the_namespace_lives_in_it()
    {
        var ns = docs.Single(d => d.Doc.Str("kind") == "Namespace").Doc.Get("metadata").Str("name");
        foreach (var (file, doc) in docs.Where(d => d.Doc.Str("kind") != "Namespace"))
            Assert.True(ns == doc.Get("metadata").Str("namespace"), $"{file}: {doc.Str("kind")} is not in namespace {ns}");
    }

    [Fact]
    public void Secret_holds_placeholders_for_the_connection_string_and_signing_key()
    {
        var secret = Single("Secret", "gridgov");
        var data = secret.Get("stringData").Pairs().ToDictionary(p => p.Key, p => p.Value.Str()!);
        Assert.Equal(["ConnectionStrings__GridGov", "GridGov__Auth__SigningKey"], data.Keys.Order());
        Assert.All(data.Values, v => Assert.Contains("REPLACE", v));
    }

    [Fact]
    public void Every_secret_reference_names_a_key_of_the_secret()
    {
        var secrets = docs.Where(d => d.Doc.Str("kind") == "Secret")
            .ToDictionary(d => d.Doc.Get("metadata").Str("name")!, d => d.Doc.Get("stringData").Pairs().Select(p => p.Key).ToHashSet());
        var refs = docs.Where(d => d.Doc.Get("spec").Get("template") is not null)
            .SelectMany(d => Env(Container(d.Doc)).Values.Select(e => e.Get("valueFrom").Get("secretKeyRef")).Where(r => r is not null)).ToList();
        Assert.NotEmpty(refs);
        Assert.All(refs, r => Assert.Contains(r!.Str("key")!, secrets[r.Str("name")!]));
    }

    [Fact]
    public void Silos_run_two_replicas_advertising_the_pod_ip()
    {
        var silo = docs.Single(d => d.Doc.Str("kind") is "StatefulSet" or "Deployment" && Container(d.Doc).Str("image")!.Contains("silo")).Doc;
        Assert.Equal("2", silo.Get("spec").Str("replicas"));
        var env = Env(Container(silo));
        Assert.Equal("status.podIP", env["GridGov__AdvertisedAddress"].Get("valueFrom").Get("fieldRef").Str("fieldPath"));
        Assert.Equal("true", env["GridGov__ListenOnAnyAddress"].Str("value"));
        Assert.NotNull(env["ConnectionStrings__GridGov"].Get("valueFrom").Get("secretKeyRef"));
        Assert.Equal(silo.Get("spec").Get("selector").Get("matchLabels").Pairs().Select(p => (p.Key, p.Value.Str())),
            silo.Get("spec").Get("template").Get("metadata").Get("labels").Pairs().Select(p => (p.Key, p.Value.Str())));
    }

    [Fact]
    public void Silo_probes_hit_the_health_port_it_serves()
    {
        var silo = Single("StatefulSet", "gridgov-silo");
        var container = Container(silo);
        var healthPort = new Uri(Env(container)["GridGov__HealthUrls"].Str("value")!).Port;
        var ports = container.Get("ports").Items().Select(p => p.Str("containerPort")).ToHashSet();
        Assert.Contains(Env(container)["GridGov__SiloPort"].Str("value"), ports);
        Assert.Contains(Env(container)["GridGov__GatewayPort"].Str("value"), ports);

        Assert.Equal("/health/ready", container.Get("readinessProbe").Get("httpGet").Str("path"));
        Assert.Equal("/health/live", container.Get("livenessProbe").Get("httpGet").Str("path"));
        foreach (var probe in new[] { "readinessProbe", "livenessProbe" })
            Assert.Equal(healthPort, Port(container, container.Get(probe).Get("httpGet").Req("port", probe)));
        // A StatefulSet needs its governing service.
        Assert.NotNull(Single("Service", silo.Get("spec").Str("serviceName")!));
    }

    [Fact]
    public void Api_is_a_client_deployment_behind_a_service()
    {
        var api = Single("Deployment", "gridgov-api");
        var container = Container(api);
        var env = Env(container);
        Assert.Equal("Client", env["GridGov__Api__Mode"].Str("value"));
        Assert.NotNull(env["GridGov__Auth__SigningKey"].Get("valueFrom").Get("secretKeyRef"));
        Assert.NotNull(env["ConnectionStrings__GridGov"].Get("valueFrom").Get("secretKeyRef"));
        var httpPort = int.Parse(env["ASPNETCORE_HTTP_PORTS"].Str("value")!);
        Assert.Equal("/health/ready", container.Get("readinessProbe").Get("httpGet").Str("path"));
        Assert.Equal(httpPort, Port(container, container.Get("readinessProbe").Get("httpGet").Req("port", "readinessProbe")));
        Assert.Equal(httpPort, Port(container, container.Get("livenessProbe").Get("httpGet").Req("port", "livenessProbe")));

        var service = Single("Service", "gridgov-api");
        var labels = api.Get("spec").Get("template").Get("metadata").Get("labels").Pairs().ToDictionary(p => p.Key, p => p.Value.Str());
        Assert.All(service.Get("spec").Get("selector").Pairs(), s => Assert.Equal(s.Value.Str(), labels[s.Key]));
        var target = service.Get("spec").Get("ports").Items().Single().Req("targetPort", "service port");
        Assert.Equal(httpPort, Port(container, target));
    }

    [Fact]
    public void Cluster_ids_agree_between_silos_and_api()
    {
        var silo = Env(Container(Single("StatefulSet", "gridgov-silo")));
        var api = Env(Container(Single("Deployment", "gridgov-api")));
        foreach (var key in new[] { "GridGov__ClusterId", "GridGov__ServiceId" })
            Assert.Equal(silo[key].Str("value"), api[key].Str("value"));
    }

    [Fact]
    public void Silo_manifest_says_why_no_kubernetes_package_is_needed()
    {
        var text = File.ReadAllText(Path.Combine(Repo.K8s, "20-silo.yaml"));
        Assert.Contains("ADO.NET on PostgreSQL", text);
        Assert.Contains("no Orleans Kubernetes", text);
    }
}
