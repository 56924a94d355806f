using System.Data.Common;
using Orleans.Storage;

namespace GridGov.Grains.Infrastructure;

/// <summary>
/// Wraps a grain storage so a database failure comes out as a typed UNAVAILABLE refusal. The call filter
/// (<see cref="StorageFailureFilter"/>) cannot see a failure while a grain activates and reads its state; such a
/// failure would otherwise travel to the caller as a driver exception no other process can deserialize.
/// </summary>
public sealed class StorageFailureMapping(IGrainStorage inner) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Mapped(() => inner.ReadStateAsync(stateName, grainId, grainState));

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Mapped(() => inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Mapped(() => inner.ClearStateAsync(stateName, grainId, grainState));

    static async Task Mapped(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (Exception e) when (StorageFailureFilter.IsDatabaseFailure(e))
        {
            throw StorageFailureFilter.Unavailable();
        }
    }
}
