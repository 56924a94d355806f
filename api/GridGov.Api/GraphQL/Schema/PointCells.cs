using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using GridGov.Grains;

namespace GridGov.Api.GraphQL.Schema;

/// <summary>
/// Which cell each inspection point lies in, remembered per grain factory for the life of the process, so a check-in
/// goes straight to its cell. A point's place (and so its cell) never changes while it exists; a point removed and
/// created again elsewhere leaves a stale entry, whose cell then answers NOT_FOUND: the caller forgets it and asks the
/// point again.
/// </summary>
public static class PointCells
{
    /// <summary>Past this many points the cache starts over (a 100,000-cell city's million points fit, ~150 MB).</summary>
    const int Capacity = 1_200_000;

    static readonly ConditionalWeakTable<IGrainFactory, ConcurrentDictionary<string, string>> ByFactory = new();

    static ConcurrentDictionary<string, string> Of(IGrainFactory grains) =>
        ByFactory.GetValue(grains, static _ => new ConcurrentDictionary<string, string>(StringComparer.Ordinal));

    /// <summary>The point's cell: remembered, or asked of the point (NOT_FOUND for an unknown point) and remembered.</summary>
    public static ValueTask<string> Get(IGrainFactory grains, string pointId) =>
        Of(grains).TryGetValue(pointId, out var cellCode) ? ValueTask.FromResult(cellCode) : Ask(grains, pointId);

    static async ValueTask<string> Ask(IGrainFactory grains, string pointId)
    {
        var cellCode = await grains.GetGrain<IInspectionPointGrain>(pointId).GetCellCode();
        var map = Of(grains);
        if (map.Count >= Capacity) map.Clear();
        map[pointId] = cellCode;
        return cellCode;
    }

    /// <summary>Forgets the point's cell if it is still remembered as <paramref name="cellCode"/>.</summary>
    public static void Forget(IGrainFactory grains, string pointId, string cellCode) =>
        Of(grains).TryRemove(new KeyValuePair<string, string>(pointId, cellCode));

    /// <summary>A grain's NOT_FOUND refusal, as thrown in-process or wrapped by the cluster client.</summary>
    public static bool IsNotFound(Exception e) =>
        e is GridGovException { Code: ErrorCodes.NotFound } || e is OrleansException { InnerException: GridGovException { Code: ErrorCodes.NotFound } };
}
