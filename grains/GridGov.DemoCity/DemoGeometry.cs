using System.Globalization;
using System.Text;
using NetTopologySuite.Geometries;
using NetTopologySuite.Triangulate;
using NetTopologySuite.Triangulate.QuadEdge;

namespace GridGov.DemoCity;

/// <summary>A point in local metres: x east, y north of the city centre.</summary>
internal readonly record struct Vec(double X, double Y);

/// <summary>
/// Local metres ↔ WGS84 degrees (equirectangular around the centre), rounded to 7 decimals (about 1 cm).
/// Every vertex goes through the same function, so vertices shared by two cells stay identical.
/// </summary>
internal sealed class Projection(double centerLat, double centerLon)
{
    public const int Decimals = 7;
    const double MetersPerDegreeLat = 110_574.0;
    readonly double metersPerDegreeLon = 111_320.0 * Math.Cos(centerLat * Math.PI / 180.0);

    public double Lon(double x) => Math.Round(centerLon + x / metersPerDegreeLon, Decimals, MidpointRounding.ToEven);
    public double Lat(double y) => Math.Round(centerLat + y / MetersPerDegreeLat, Decimals, MidpointRounding.ToEven);
    public GeoPoint ToGeo(Vec v) => new(Lat(v.Y), Lon(v.X));
}

/// <summary>Voronoi cells clipped to a rectangle, points inside convex cells, and GeoJSON output.</summary>
internal static class DemoGeometry
{
    /// <summary>
    /// The Voronoi cell of every site, convex and counter-clockwise, clipped to the rectangle. Result i belongs to site i.
    /// Clipping is done here (not by NTS) so that an edge crossing the rectangle is cut at the same point from both sides.
    /// </summary>
    public static Vec[][] VoronoiCells(Vec[] sites, double minX, double minY, double maxX, double maxY)
    {
        var index = new Dictionary<(double, double), int>(sites.Length + 4);
        var coords = new List<Coordinate>(sites.Length + 4);
        for (var i = 0; i < sites.Length; i++)
        {
            if (!index.TryAdd((sites[i].X, sites[i].Y), i)) throw new InvalidOperationException("Duplicate Voronoi site.");
            coords.Add(new Coordinate(sites[i].X, sites[i].Y));
        }

        // Four far guard sites: a city of one or two cells still triangulates, and no real cell reaches them.
        var far = 4 * (maxX - minX + maxY - minY);
        var (cx, cy) = ((minX + maxX) / 2, (minY + maxY) / 2);
        foreach (var (gx, gy) in new[] { (cx - far, cy), (cx + far, cy), (cx, cy - far), (cx, cy + far) })
        {
            index.TryAdd((gx, gy), -1);
            coords.Add(new Coordinate(gx, gy));
        }

        // Triangulate in the given order (the builder would sort by x, which makes each insertion walk far).
        var env = new Envelope();
        foreach (var c in coords) env.ExpandToInclude(c);
        var subdivision = new QuadEdgeSubdivision(env, 0);
        new IncrementalDelaunayTriangulator(subdivision).InsertSites(coords.Select(c => new Vertex(c.X, c.Y)).ToList());
        var polygons = subdivision.GetVoronoiCellPolygons(new GeometryFactory());

        var cells = new Vec[sites.Length][];
        foreach (var polygon in polygons)
        {
            var site = (Coordinate)polygon.UserData;
            var i = index[(site.X, site.Y)];
            if (i < 0) continue;
            var ring = ((Polygon)polygon).ExteriorRing.Coordinates;
            var pts = new List<Vec>(ring.Length);
            for (var k = 0; k < ring.Length - 1; k++) pts.Add(new Vec(ring[k].X, ring[k].Y));
            if (SignedArea(pts) < 0) pts.Reverse();
            pts = Clip(pts, true, minX, keepGreater: true);
            pts = Clip(pts, true, maxX, keepGreater: false);
            pts = Clip(pts, false, minY, keepGreater: true);
            pts = Clip(pts, false, maxY, keepGreater: false);
            cells[i] = [.. pts];
        }
        for (var i = 0; i < cells.Length; i++)
            if (cells[i] is null || cells[i].Length < 3) throw new InvalidOperationException($"Voronoi cell {i} is missing or empty.");
        return cells;
    }

    /// <summary>One Sutherland–Hodgman pass of a convex polygon against an axis-parallel line.</summary>
    static List<Vec> Clip(List<Vec> poly, bool xAxis, double bound, bool keepGreater)
    {
        var result = new List<Vec>(poly.Count + 2);
        var n = poly.Count;
        for (var i = 0; i < n; i++)
        {
            var prev = poly[(i + n - 1) % n];
            var cur = poly[i];
            var curIn = Inside(cur, xAxis, bound, keepGreater);
            var prevIn = Inside(prev, xAxis, bound, keepGreater);
            if (curIn)
            {
                if (!prevIn) result.Add(Cut(prev, cur, xAxis, bound));
                result.Add(cur);
            }
            else if (prevIn)
            {
                result.Add(Cut(prev, cur, xAxis, bound));
            }
        }
        return result;
    }

    static bool Inside(Vec v, bool xAxis, double bound, bool keepGreater)
    {
        var c = xAxis ? v.X : v.Y;
        return keepGreater ? c >= bound : c <= bound;
    }

    /// <summary>Where segment p–q crosses the line; endpoints are put in a fixed order so both neighbours get the same point.</summary>
    static Vec Cut(Vec p, Vec q, bool xAxis, double bound)
    {
        if (q.X < p.X || (q.X == p.X && q.Y < p.Y)) (p, q) = (q, p);
        if (xAxis)
        {
            var t = (bound - p.X) / (q.X - p.X);
            return new Vec(bound, p.Y + t * (q.Y - p.Y));
        }
        else
        {
            var t = (bound - p.Y) / (q.Y - p.Y);
            return new Vec(p.X + t * (q.X - p.X), bound);
        }
    }

    public static double SignedArea(IReadOnlyList<Vec> ring)
    {
        var sum = 0.0;
        for (int i = 0, n = ring.Count; i < n; i++)
        {
            var a = ring[i];
            var b = ring[(i + 1) % n];
            sum += a.X * b.Y - b.X * a.Y;
        }
        return sum / 2;
    }

    /// <summary>Area centroid of a simple polygon.</summary>
    public static Vec Centroid(Vec[] ring)
    {
        double cx = 0, cy = 0, a2 = 0;
        for (int i = 0, n = ring.Length; i < n; i++)
        {
            var p = ring[i];
            var q = ring[(i + 1) % n];
            var cross = p.X * q.Y - q.X * p.Y;
            a2 += cross;
            cx += (p.X + q.X) * cross;
            cy += (p.Y + q.Y) * cross;
        }
        return a2 == 0 ? ring[0] : new Vec(cx / (3 * a2), cy / (3 * a2));
    }

    /// <summary>
    /// Distance from <paramref name="p"/> to the boundary of a convex counter-clockwise polygon: the smallest distance
    /// to an edge line; negative when outside.
    /// </summary>
    public static double InnerDistance(Vec[] ring, Vec p)
    {
        var min = double.MaxValue;
        for (int i = 0, n = ring.Length; i < n; i++)
        {
            var a = ring[i];
            var b = ring[(i + 1) % n];
            double dx = b.X - a.X, dy = b.Y - a.Y;
            var len = Math.Sqrt(dx * dx + dy * dy);
            if (len == 0) continue;
            var d = (dx * (p.Y - a.Y) - dy * (p.X - a.X)) / len;
            if (d < min) min = d;
        }
        return min;
    }

    /// <summary>
    /// The polygon as a GeoJSON Polygon: degrees rounded to 7 decimals, repeated vertices dropped, closed,
    /// counter-clockwise exterior, invariant culture.
    /// </summary>
    public static string ToGeoJson(Vec[] ring, Projection projection)
    {
        var pts = new List<(double Lon, double Lat)>(ring.Length + 1);
        foreach (var v in ring)
        {
            var p = (projection.Lon(v.X), projection.Lat(v.Y));
            if (pts.Count == 0 || pts[^1] != p) pts.Add(p);
        }
        while (pts.Count > 1 && pts[^1] == pts[0]) pts.RemoveAt(pts.Count - 1);
        if (pts.Count < 3) throw new InvalidOperationException("A cell collapsed when rounded.");

        var sb = new StringBuilder(40 + 28 * (pts.Count + 1));
        sb.Append("{\"type\":\"Polygon\",\"coordinates\":[[");
        for (var i = 0; i <= pts.Count; i++)
        {
            var (lon, lat) = pts[i % pts.Count];
            if (i > 0) sb.Append(',');
            sb.Append('[').Append(lon.ToString("R", CultureInfo.InvariantCulture))
              .Append(',').Append(lat.ToString("R", CultureInfo.InvariantCulture)).Append(']');
        }
        sb.Append("]]}");
        return sb.ToString();
    }
}
