using GridGov.DemoCity;
using GridGov.Storage.Postgres;

// A silo. Embedded by default; joins a PostgreSQL-mode cluster when ConnectionStrings:GridGov is set.
// It answers health probes on its own URL (GridGov:HealthUrls, default http://127.0.0.1:8081).
var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls(builder.Configuration.GetValue("GridGov:HealthUrls", "http://127.0.0.1:8081")!);
builder.UseOrleans(silo => silo.UseGridGovCluster(builder.Configuration));

var app = builder.Build();
app.MapGet("/health/live", () => Results.Ok(new { status = "live" }));
app.MapGet("/health/ready", async (IGrainFactory grains) =>
{
    var report = await Readiness.Check(grains, builder.Configuration);
    return Results.Json(new { status = report.Ready ? "ready" : "not-ready", checks = report.Checks }, statusCode: report.Ready ? 200 : 503);
});

await app.StartAsync();
if (builder.Configuration.GetValue("GridGov:LoadDemoCity", true))
    await app.Services.LoadDemoCityAsync(DemoCityOptions.Default with { Cells = builder.Configuration.GetValue("GridGov:DemoCells", 120) });
await app.WaitForShutdownAsync();
