global using GridGov.Grains;
global using Orleans;
