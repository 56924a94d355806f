using GraphQL;
using GraphQL.DataLoader;
using GridGov.Grains;

namespace GridGov.Api.GraphQL.Schema;

/// <summary>The batch loaders of one execution, kept in its user context.</summary>
public sealed class Loaders(IGrainFactory grains)
{
    const string Key = "gridgov.loaders";

    public readonly BatchLoader<string, CellInfo> Cells = new(async (codes, _) =>
        await Fetch(codes, code => grains.GetGrain<ICellGrain>(code).Get()));

    public readonly BatchLoader<string, TicketInfo> Tickets = new(async (ids, _) =>
        await Fetch(ids, id => grains.GetGrain<ITicketGrain>(id).Get()));

    public readonly BatchLoader<string, InspectorInfo> Inspectors = new(async (ids, _) =>
        await Fetch(ids, id => grains.GetGrain<IInspectorGrain>(id).Get()));

    /// <summary>Asks every grain of the batch at once; a missing one is left out (the field resolves to null).</summary>
    static async Task<IReadOnlyDictionary<string, T>> Fetch<T>(IReadOnlyCollection<string> keys, Func<string, Task<T>> get)
    {
        var results = await Task.WhenAll(keys.Select(async k =>
        {
            try { return (k, Value: await get(k), Found: true); }
            catch (GridGovException e) when (e.Code == ErrorCodes.NotFound) { return (k, Value: default(T)!, Found: false); }
        }));
        return results.Where(r => r.Found).ToDictionary(r => r.k, r => r.Value);
    }

    public static Loaders For(IResolveFieldContext context)
    {
        lock (context.UserContext)
        {
            if (context.UserContext.TryGetValue(Key, out var existing) && existing is Loaders loaders) return loaders;
            loaders = new Loaders(context.Grains());
            context.UserContext[Key] = loaders;
            return loaders;
        }
    }
}

public static class LoaderExtensions
{
    public static IDataLoaderResult<CellInfo?> LoadCell(this IResolveFieldContext context, string code) => Loaders.For(context).Cells.Load(code);
    public static IDataLoaderResult<TicketInfo?> LoadTicket(this IResolveFieldContext context, string id) => Loaders.For(context).Tickets.Load(id);
    public static IDataLoaderResult<InspectorInfo?> LoadInspector(this IResolveFieldContext context, string id) => Loaders.For(context).Inspectors.Load(id);

    /// <summary>A batched result transformed once it arrives (the batch still runs once for the whole level).</summary>
    public static IDataLoaderResult<TOut> Map<TIn, TOut>(this IDataLoaderResult<TIn> result, Func<TIn, TOut> map) => new Mapped<TIn, TOut>(result, map);

    sealed class Mapped<TIn, TOut>(IDataLoaderResult<TIn> inner, Func<TIn, TOut> map) : IDataLoaderResult<TOut>
    {
        public async Task<TOut> GetResultAsync(CancellationToken cancellationToken = default) => map(await inner.GetResultAsync(cancellationToken));
        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken);
    }
}
