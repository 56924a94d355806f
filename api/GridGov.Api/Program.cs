using GridGov.Api.Auth;
using GridGov.Api.Hosting;
using GridGov.DemoCity;

// `mint-token` prints bearer tokens for the demo city's users and exits.
if (TokenCommand.TryRun(args, WebApplication.CreateBuilder(args).Configuration, Console.Out)) return;

// The web host. By default it co-hosts a silo (embedded, or PostgreSQL with ConnectionStrings:GridGov) and loads the demo city.
var app = GridGovApi.Build(args);
await app.StartAsync();
if (!ClusterHosting.IsClient(app.Configuration) && app.Configuration.GetValue("GridGov:LoadDemoCity", true))
    await app.Services.LoadDemoCityAsync(DemoCityOptions.Default with { Cells = app.Configuration.GetValue("GridGov:DemoCells", 120) });
app.LogListeningAddresses();
await app.WaitForShutdownAsync();
