using GridGov.DemoCity;
using GridGov.Storage.Postgres;
using Orleans.Dashboard;

// A silo. Embedded by default; joins a PostgreSQL-mode cluster when ConnectionStrings:GridGov is set.
// It answers health probes on its own URL (GridGov:HealthUrls, default http://127.0.0.1:8081).
var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls(builder.Configuration.GetValue("GridGov:HealthUrls", "http://127.0.0.1:8081")!);
builder.UseOrleans(silo => silo.UseGridGovCluster(builder.Configuration));
if (DashboardSwitch.Enabled(builder.Configuration)) builder.UseOrleans(silo => silo.AddDashboard()); // its UI is served by the API, to supervisors
builder.AddGridGovTelemetry("gridgov-silo");

var app = builder.Build();
app.MapGridGovHealth();

await app.StartAsync();
if (builder.Configuration.GetValue("GridGov:LoadDemoCity", true))
    await app.Services.LoadDemoCityAsync(DemoCityOptions.Default with { Cells = builder.Configuration.GetValue("GridGov:DemoCells", 120) });
await app.WaitForShutdownAsync();
