using GraphQL.DataLoader;

namespace GridGov.Api.GraphQL.Schema;

/// <summary>
/// Collects the keys one execution level asks for and fetches them in one batch when the first result is read,
/// so a list of N tickets costs one parallel round of grain calls for their cells, not N sequential ones.
/// </summary>
public sealed class BatchLoader<TKey, TValue>(Func<IReadOnlyCollection<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> fetch)
    where TKey : notnull
{
    readonly HashSet<TKey> _pending = new();
    readonly Dictionary<TKey, Task<TValue?>> _results = new();
    readonly Lock _gate = new();

    public int Batches { get; private set; }

    public IDataLoaderResult<TValue?> Load(TKey key)
    {
        lock (_gate)
        {
            if (!_results.ContainsKey(key)) _pending.Add(key);
        }
        return new Result(this, key);
    }

    async Task<TValue?> Get(TKey key, CancellationToken ct)
    {
        Task<IReadOnlyDictionary<TKey, TValue>>? batch = null;
        TKey[] keys = [];
        lock (_gate)
        {
            if (_pending.Count > 0)
            {
                keys = _pending.ToArray();
                _pending.Clear();
                Batches++;
                batch = fetch(keys, ct);
                foreach (var k in keys) _results[k] = Pick(batch, k);
            }
        }
        return await _results[key];
    }

    static async Task<TValue?> Pick(Task<IReadOnlyDictionary<TKey, TValue>> batch, TKey key) =>
        (await batch).TryGetValue(key, out var value) ? value : default;

    sealed class Result(BatchLoader<TKey, TValue> loader, TKey key) : IDataLoaderResult<TValue?>
    {
        public Task<TValue?> GetResultAsync(CancellationToken cancellationToken = default) => loader.Get(key, cancellationToken);
        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken);
    }
}
