using GridGov.Api.Hosting;
using GridGov.DemoCity;

// The web host. In the embedded default it co-hosts a silo in-process and loads the demo city.
var builder = WebApplication.CreateBuilder(args);
builder.AddGridGovCluster();

var app = builder.Build();
app.MapHealth();
app.MapLiveStateEndpoints();

await app.StartAsync();
await app.Services.LoadDemoCityAsync(DemoCityOptions.Default with { Cells = app.Configuration.GetValue("GridGov:DemoCells", 120) });
app.LogListeningAddresses();
await app.WaitForShutdownAsync();
