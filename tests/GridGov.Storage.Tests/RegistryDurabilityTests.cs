using GridGov.Grains.Tests;

namespace GridGov.Storage.Tests;

/// <summary>The city's cell registry, stored per community, comes back after the whole cluster stopped.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RegistryDurabilityTests(PostgresFixture pg)
{
    [Fact]
    public async Task Registered_and_retired_cells_of_two_communities_survive_a_cluster_restart()
    {
        var db = await pg.CreateDatabaseAsync();
        TestCity city;
        string community2, cell21, cell22;
        await using (var first = await PostgresCluster.StartAsync(db))
        {
            city = await new TestCity(first.Grains).Setup(maxPrimary: 3);
            community2 = city.City + "01001002";
            (cell21, cell22) = (community2 + "0001", community2 + "0002");
            await city.CityGrain.DefineJurisdiction(new JurisdictionNode(community2, "Community 2", JurisdictionLevel.Community));
            await first.Grains.GetGrain<IInspectorGrain>(city.City + "-I7").Register(new RegisterInspector("Inspector 7", community2));
            await city.AddCell(1, primary: 1, points: false);
            await city.AddCell(2, primary: 1, points: false);
            await first.Grains.GetGrain<ICellGrain>(cell21).Create(
                new CreateCell(cell21, "Cell 2-1", TestCity.Square(TestCity.CellLon(3), TestCity.Lat), city.City + "-I7"), city.Supervisor);
            await first.Grains.GetGrain<ICellGrain>(cell22).Create(
                new CreateCell(cell22, "Cell 2-2", TestCity.Square(TestCity.CellLon(4), TestCity.Lat), city.City + "-I7"), city.Supervisor);
            await city.Cell(2).Retire(city.Supervisor, "merged");
            await first.Grains.GetGrain<ICellGrain>(cell22).Retire(city.Supervisor, "merged");
        }

        await using var second = await PostgresCluster.StartAsync(db);
        city = city.On(second.Grains);
        Assert.Equal([city.CellCode(1), cell21], await city.CityGrain.CellsIn(city.City));
        Assert.Equal(city.CellCode(1), await city.CityGrain.LocateCell(TestCity.Inside(1)));
        Assert.Equal(cell21, await city.CityGrain.LocateCell(TestCity.Inside(3)));
        var outside = await Assert.ThrowsAsync<GridGovException>(() => city.CityGrain.LocateCell(TestCity.Inside(4)));
        Assert.Equal("cell.point-outside", outside.Rule);
        Assert.Equal([cell21], await city.CityGrain.CellsNear(TestCity.Inside(2, 0.95), 100));
        var overlap = await Assert.ThrowsAsync<GridGovException>(() =>
            city.CityGrain.RegisterCell(city.CellCode(5), TestCity.Square(TestCity.CellLon(3) + 0.005, TestCity.Lat)));
        Assert.Equal("cell.no-overlap", overlap.Rule);
    }
}
