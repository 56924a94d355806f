using GridGov.DemoCity;
using GridGov.Grains.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Configuration;

// The silo host: one localhost silo with in-memory storage and the demo city (embedded mode).
var builder = Host.CreateApplicationBuilder(args);
builder.UseOrleans(silo => silo.UseLocalhostClustering().AddGridGovEmbedded());
var host = builder.Build();
await host.StartAsync();
await host.Services.LoadDemoCityAsync(DemoCityOptions.Default with { Cells = builder.Configuration.GetValue("GridGov:DemoCells", 120) });
await host.WaitForShutdownAsync();
