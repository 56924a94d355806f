using System.Collections.Concurrent;
using GridGov.Grains;

namespace GridGov.Api.GraphQL.Schema;

/// <summary>
/// Which cell each inspection point lies in, remembered for the life of the API process, so a check-in goes straight
/// to its cell. A point's place (and so its cell) never changes while it exists; a point removed and
/// created again elsewhere leaves a stale entry, whose cell then answers NOT_FOUND: the caller forgets it and asks the
/// point again.
/// </summary>
public sealed class PointCells(IGrainFactory grains)
{
    /// <summary>Past this many points the cache starts over (a 100,000-cell city's million points fit, ~150 MB).</summary>
    const int Capacity = 1_200_000;

    readonly ConcurrentDictionary<string, string> _cells = new(StringComparer.Ordinal);

    /// <summary>The point's cell: remembered, or asked of the point (NOT_FOUND for an unknown point) and remembered.</summary>
    public ValueTask<string> Get(string pointId) =>
        _cells.TryGetValue(pointId, out var cellCode) ? ValueTask.FromResult(cellCode) : Ask(pointId);

    async ValueTask<string> Ask(string pointId)
    {
        var cellCode = await grains.GetGrain<IInspectionPointGrain>(pointId).GetCellCode();
        if (_cells.Count >= Capacity) _cells.Clear();
        _cells[pointId] = cellCode;
        return cellCode;
    }

    /// <summary>Forgets the point's cell if it is still remembered as <paramref name="cellCode"/>.</summary>
    public void Forget(string pointId, string cellCode) => _cells.TryRemove(new KeyValuePair<string, string>(pointId, cellCode));

    /// <summary>A grain's NOT_FOUND refusal, as thrown in-process or wrapped by the cluster client.</summary>
    public static bool IsNotFound(Exception e) =>
        e is GridGovException { Code: ErrorCodes.NotFound } || e is OrleansException { InnerException: GridGovException { Code: ErrorCodes.NotFound } };
}
