using GridGov.Grains.City;
using GridGov.Grains.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.Storage;
using Orleans.TestingHost;

namespace GridGov.Grains.Tests;

/// <summary>The city's cell registry is stored per community: it survives the city grain's deactivation, and old cities move over.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CellRegistryShardTests(ClusterFixture fixture)
{
    IGrainStorage Storage => ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost.Services
        .GetRequiredKeyedService<IGrainStorage>(GridGovStorage.Name);

    async Task<T> Stored<T>(string stateName, string grainType, string key) where T : new()
    {
        var read = new GrainState<T>(new T());
        await Storage.ReadStateAsync(stateName, GrainId.Create(grainType, key), read);
        return read.State!;
    }

    /// <summary>Deactivates the city grain and waits until it is gone; its next call activates it afresh from storage.</summary>
    async Task Deactivate(TestCity city)
    {
        var before = await CityActivations();
        await city.CityGrain.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        Assert.Equal(before - 1, await ClusterFixture.Eventually(CityActivations, n => n == before - 1));
    }

    async Task<int> CityActivations() =>
        (await fixture.Grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics())
        .Where(s => s.GrainType.Contains("." + nameof(CityGrain), StringComparison.Ordinal)).Sum(s => s.ActivationCount);

    static string Community2(TestCity city) => city.City + "01001002";
    static string Cell2(TestCity city, int i) => $"{Community2(city)}{i:D4}";

    [Fact]
    public async Task Cells_of_two_communities_are_found_after_the_city_grain_deactivates()
    {
        var city = await new TestCity(fixture.Grains).Setup(maxPrimary: 3);
        await city.CityGrain.DefineJurisdiction(new JurisdictionNode(Community2(city), "Community 2", JurisdictionLevel.Community));
        var inspector7 = city.City + "-I7";
        await fixture.Grains.GetGrain<IInspectorGrain>(inspector7).Register(new RegisterInspector("Inspector 7", Community2(city)));
        await city.AddCell(1, primary: 1, points: false);
        await city.AddCell(2, primary: 1, points: false);
        await city.AddCell(3, primary: 2, points: false);
        for (var i = 1; i <= 2; i++) // community 2: cell 2-2 east of cell 3, then cell 2-1
            await fixture.Grains.GetGrain<ICellGrain>(Cell2(city, i)).Create(
                new CreateCell(Cell2(city, i), $"Cell 2-{i}", TestCity.Square(TestCity.CellLon(6 - i), TestCity.Lat), inspector7), city.Supervisor);
        await city.Cell(2).Retire(city.Supervisor, "merged");
        await fixture.Grains.GetGrain<ICellGrain>(Cell2(city, 1)).Retire(city.Supervisor, "merged");

        string[] active = [city.CellCode(1), city.CellCode(3), Cell2(city, 2)];
        await Deactivate(city);

        Assert.Equal(active, await city.CityGrain.CellsIn(city.City));
        Assert.Equal([Cell2(city, 2)], await city.CityGrain.CellsIn(Community2(city)));
        Assert.Equal(city.CellCode(3), await city.CityGrain.LocateCell(TestCity.Inside(3)));
        Assert.Equal(Cell2(city, 2), await city.CityGrain.LocateCell(TestCity.Inside(4)));
        await Refuse.With("cell.point-outside", () => city.CityGrain.LocateCell(TestCity.Inside(2)));
        await Refuse.With("cell.point-outside", () => city.CityGrain.LocateCell(TestCity.Inside(5)));
        // On the shared edge of cell 3 (community 1) and cell 2-2 (community 2), within 100 m: both.
        Assert.Equal([city.CellCode(3), Cell2(city, 2)], await city.CityGrain.CellsNear(TestCity.Inside(3, 0.95), 100));

        // The registry that came back still refuses overlaps, and a retired cell's place is free again.
        await Refuse.With("cell.no-overlap", () => city.CityGrain.RegisterCell(city.CellCode(9), TestCity.Square(TestCity.CellLon(4) + 0.005, TestCity.Lat)));
        await city.CityGrain.RegisterCell(city.CellCode(9), TestCity.Square(TestCity.CellLon(5), TestCity.Lat));

        // The city's own state holds no boundaries; each community's shard holds its own.
        Assert.Empty((await Stored<CityState>("city", "city", city.City)).ActiveCells);
        Assert.Equal([city.CellCode(1), city.CellCode(3), city.CellCode(9)],
            (await Stored<CellShardState>("cellshard", "cellshard", city.Community)).Cells.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([Cell2(city, 2)], (await Stored<CellShardState>("cellshard", "cellshard", Community2(city))).Cells.Keys);
    }

    [Fact]
    public async Task A_city_stored_with_the_old_dictionary_moves_it_into_shards_once()
    {
        var city = new TestCity(fixture.Grains); // a fresh code, never activated
        var cells = new Dictionary<string, string>
        {
            [city.CellCode(1)] = TestCity.Square(TestCity.CellLon(1), TestCity.Lat),
            [city.CellCode(2)] = TestCity.Square(TestCity.CellLon(2), TestCity.Lat),
            [Cell2(city, 1)] = TestCity.Square(TestCity.CellLon(3), TestCity.Lat),
        };
        var old = new CityState
        {
            Settings = new CitySettings($"Old City {city.City}", "Asia/Shanghai", 50, 2),
            Jurisdictions = new[]
            {
                new JurisdictionNode(city.City, "Old City", JurisdictionLevel.City),
                new JurisdictionNode(city.City + "01", "District", JurisdictionLevel.District),
                new JurisdictionNode(city.City + "01001", "Street", JurisdictionLevel.Street),
                new JurisdictionNode(city.Community, "Community", JurisdictionLevel.Community),
                new JurisdictionNode(Community2(city), "Community 2", JurisdictionLevel.Community),
            }.ToDictionary(n => n.Code),
            ActiveCells = new(cells),
        };
        await Storage.WriteStateAsync("city", GrainId.Create("city", city.City), new GrainState<CityState>(old));

        // First activation: the registry answers, and the dictionary has moved into the communities' shards.
        Assert.Equal(city.CellCode(2), await city.CityGrain.LocateCell(TestCity.Inside(2)));
        var stored = await Stored<CityState>("city", "city", city.City);
        Assert.Empty(stored.ActiveCells);
        Assert.Equal(old.Jurisdictions.Keys.Order(), stored.Jurisdictions.Keys.Order());
        Assert.Equal(old.Settings, stored.Settings);
        var shard1 = (await Stored<CellShardState>("cellshard", "cellshard", city.Community)).Cells;
        var shard2 = (await Stored<CellShardState>("cellshard", "cellshard", Community2(city))).Cells;
        Assert.Equal(cells.Where(kv => kv.Key.StartsWith(city.Community, StringComparison.Ordinal)).OrderBy(kv => kv.Key), shard1.OrderBy(kv => kv.Key));
        Assert.Equal([KeyValuePair.Create(Cell2(city, 1), cells[Cell2(city, 1)])], shard2);

        // Later activations read the shards only.
        await Deactivate(city);
        Assert.Equal(cells.Keys.Order(StringComparer.Ordinal), await city.CityGrain.CellsIn(city.City));
        Assert.Equal(Cell2(city, 1), await city.CityGrain.LocateCell(TestCity.Inside(3)));
        await Refuse.With("cell.no-overlap", () => city.CityGrain.RegisterCell(city.CellCode(4), TestCity.Square(TestCity.CellLon(1) + 0.005, TestCity.Lat)));
        await city.CityGrain.UnregisterCell(city.CellCode(1));
        await Deactivate(city);
        Assert.Equal([city.CellCode(2), Cell2(city, 1)], await city.CityGrain.CellsIn(city.City));
        Assert.Empty((await Stored<CityState>("city", "city", city.City)).ActiveCells);
    }

    [Fact]
    public async Task Jurisdictions_defined_in_a_batch_are_all_or_none()
    {
        var city = new TestCity(fixture.Grains);
        await city.CityGrain.Configure(new CitySettings($"Test City {city.City}", "Asia/Shanghai", 50, 2));
        await Refuse.With("cell.jurisdiction-parent", () => city.CityGrain.DefineJurisdictions(
        [
            new JurisdictionNode(city.City + "01", "District", JurisdictionLevel.District),
            new JurisdictionNode(city.City + "02001", "Orphan street", JurisdictionLevel.Street),
        ]));
        Assert.Equal([city.City], (await city.CityGrain.GetJurisdictions()).Select(n => n.Code));

        await city.CityGrain.DefineJurisdictions(
        [
            new JurisdictionNode(city.City + "01", "District", JurisdictionLevel.District),
            new JurisdictionNode(city.City + "01001", "Street", JurisdictionLevel.Street),
            new JurisdictionNode(city.Community, "Community", JurisdictionLevel.Community),
        ]);
        await Deactivate(city);
        Assert.Equal([city.City, city.City + "01", city.City + "01001", city.Community], (await city.CityGrain.GetJurisdictions()).Select(n => n.Code));
    }
}
