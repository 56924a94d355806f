using System.Collections.Concurrent;
using System.Globalization;
using Orleans.Serialization;
using Orleans.Storage;

namespace GridGov.Grains.Infrastructure;

/// <summary>
/// Embedded mode's grain storage: a deep copy of each state in this process's memory, with ETags checked like a real
/// store. Unlike Orleans' memory storage it needs no storage-grain call per write, so it is one silo only.
/// </summary>
public sealed class InProcessGrainStorage(DeepCopier copier) : IGrainStorage
{
    sealed record Entry(object? State, long Version);

    readonly ConcurrentDictionary<(string State, GrainId Grain), Entry> _entries = new();

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_entries.TryGetValue((stateName, grainId), out var entry))
        {
            grainState.State = copier.Copy((T)entry.State!);
            grainState.ETag = ETag(entry.Version);
            grainState.RecordExists = true;
        }
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId);
        var copy = copier.Copy(grainState.State);
        while (true)
        {
            var current = _entries.GetValueOrDefault(key);
            EnsureExpected(current, grainState.ETag, stateName, grainId);
            var next = new Entry(copy, (current?.Version ?? 0) + 1);
            var stored = current is null ? _entries.TryAdd(key, next) : _entries.TryUpdate(key, next, current);
            if (!stored) continue;
            grainState.ETag = ETag(next.Version);
            grainState.RecordExists = true;
            return Task.CompletedTask;
        }
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId);
        var current = _entries.GetValueOrDefault(key);
        EnsureExpected(current, grainState.ETag, stateName, grainId);
        if (current is not null && !_entries.TryRemove(new KeyValuePair<(string, GrainId), Entry>(key, current)))
            throw new InconsistentStateException($"{stateName} of {grainId} changed while being cleared.");
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    static void EnsureExpected(Entry? current, string? etag, string stateName, GrainId grainId)
    {
        var expected = current is null ? null : ETag(current.Version);
        if (etag != expected)
            throw new InconsistentStateException($"{stateName} of {grainId}: stored version {expected ?? "none"}, the grain had {etag ?? "none"}.", expected, etag);
    }

    static string ETag(long version) => version.ToString(CultureInfo.InvariantCulture);
}
