global using GridGov;
global using GridGov.Grains;
global using GridGov.Storage.Postgres;
global using Orleans;
global using Orleans.Runtime;
