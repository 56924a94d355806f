global using GridGov.Fixes;
global using GridGov.Grains.Infrastructure;
global using Microsoft.Extensions.DependencyInjection;
global using Orleans;
global using Orleans.Concurrency;
global using Orleans.Runtime;
global using GridGov.Citizens;
global using GridGov.Tickets;
