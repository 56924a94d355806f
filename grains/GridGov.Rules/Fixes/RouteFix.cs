using GridGov.Geo;

namespace GridGov.Fixes;

/// <summary>
/// 定线 (fixed route): an inspector's ordered route through a cell's points must cover every point whose type
/// requires patrol. The system can propose a short one (nearest neighbour, then 2-opt).
/// </summary>
public static class RouteFix
{
    public static void Validate(string cellCode, PatrolRoute route, IReadOnlyDictionary<string, PointSummary> points)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in route.PointIds)
        {
            if (!points.ContainsKey(id))
                throw GridGovException.Violation(Fix.Route, "route.unknown-point", $"Point {id} is not an active point of cell {cellCode}.");
            if (!seen.Add(id))
                throw GridGovException.Violation(Fix.Route, "route.duplicate-point", $"Point {id} appears twice in the route.");
        }
        var missing = points.Values.Where(p => p.MustPatrol && !seen.Contains(p.Id)).Select(p => p.Id).OrderBy(id => id, StringComparer.Ordinal).ToArray();
        if (missing.Length > 0)
            throw GridGovException.Violation(Fix.Route, "route.missing-required-point",
                $"The route must cover every point that has to be patrolled; missing: {string.Join(", ", missing)}.");
        TimeFix.ValidateWindows(route.Windows);
    }

    /// <summary>A short open tour through the points: nearest neighbour from the westernmost point, improved by 2-opt.</summary>
    public static string[] Propose(IReadOnlyCollection<PointSummary> points)
    {
        var pts = points.OrderBy(p => p.Location.Lon).ThenBy(p => p.Id, StringComparer.Ordinal).ToArray();
        if (pts.Length <= 2) return pts.Select(p => p.Id).ToArray();
        var n = pts.Length;
        var d = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var j = i + 1; j < n; j++)
                d[i, j] = d[j, i] = GeoMath.DistanceMeters(pts[i].Location, pts[j].Location);

        var tour = new List<int> { 0 };
        var used = new bool[n];
        used[0] = true;
        for (var k = 1; k < n; k++)
        {
            var last = tour[^1];
            var next = -1;
            for (var j = 0; j < n; j++)
                if (!used[j] && (next < 0 || d[last, j] < d[last, next])) next = j;
            used[next] = true;
            tour.Add(next);
        }

        // 2-opt on an open path: reverse tour[i..j] when it shortens the path.
        for (var improved = true; improved;)
        {
            improved = false;
            for (var i = 1; i < n - 1; i++)
                for (var j = i + 1; j < n; j++)
                {
                    var before = d[tour[i - 1], tour[i]] + (j + 1 < n ? d[tour[j], tour[j + 1]] : 0);
                    var after = d[tour[i - 1], tour[j]] + (j + 1 < n ? d[tour[i], tour[j + 1]] : 0);
                    if (after + 1e-9 < before)
                    {
                        tour.Reverse(i, j - i + 1);
                        improved = true;
                    }
                }
        }
        return tour.Select(i => pts[i].Id).ToArray();
    }

    public static double LengthMeters(IReadOnlyList<string> order, IReadOnlyDictionary<string, PointSummary> points)
    {
        var total = 0.0;
        for (var i = 1; i < order.Count; i++)
            total += GeoMath.DistanceMeters(points[order[i - 1]].Location, points[order[i]].Location);
        return total;
    }
}
