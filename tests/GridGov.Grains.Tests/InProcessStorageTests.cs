using GridGov.Grains.Citizens;
using GridGov.Grains.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace GridGov.Grains.Tests;

/// <summary>Embedded mode's storage behaves like a real store: copies, versions, stale writes refused.</summary>
public sealed class InProcessStorageTests
{
    static readonly InProcessGrainStorage Storage =
        new(new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<DeepCopier>());

    static readonly GrainId Id = GrainId.Create("citizen", "c-storage");

    [Fact]
    public async Task Writes_are_copies_with_versions_and_a_stale_write_is_refused()
    {
        var missing = new GrainState<CitizenState>(new CitizenState());
        await Storage.ReadStateAsync("citizen", Id, missing);
        Assert.False(missing.RecordExists);

        var a = new GrainState<CitizenState>(new CitizenState());
        a.State!.Recent.Add(DateTimeOffset.UnixEpoch);
        await Storage.WriteStateAsync("citizen", Id, a);
        Assert.Equal("1", a.ETag);
        a.State!.Recent.Add(DateTimeOffset.MaxValue); // not saved: the store holds a copy

        var b = new GrainState<CitizenState>(new CitizenState());
        await Storage.ReadStateAsync("citizen", Id, b);
        Assert.True(b.RecordExists);
        Assert.Equal([DateTimeOffset.UnixEpoch], b.State!.Recent);
        Assert.NotSame(a.State, b.State);

        await Storage.WriteStateAsync("citizen", Id, b);
        Assert.Equal("2", b.ETag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("citizen", Id, a));
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearStateAsync("citizen", Id, a));

        await Storage.ClearStateAsync("citizen", Id, b);
        var cleared = new GrainState<CitizenState>(new CitizenState());
        await Storage.ReadStateAsync("citizen", Id, cleared);
        Assert.False(cleared.RecordExists);
        var fresh = new GrainState<CitizenState>(new CitizenState());
        await Storage.WriteStateAsync("citizen", Id, fresh);
        Assert.Equal("1", fresh.ETag);
    }
}
