using System.Globalization;
using System.Text.Json;
using GridGov.DemoCity;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace GridGov.DemoCity.Tests;

/// <summary>Reads a plan's GeoJSON back the way the system would, and projects it to local metres for measuring.</summary>
public static class PlanGeometry
{
    static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory() } };
    static readonly GeometryFactory Factory = new();

    /// <summary>The polygon as parsed by NetTopologySuite.IO.GeoJSON4STJ (degrees).</summary>
    public static Polygon ParseDegrees(string geoJson) =>
        JsonSerializer.Deserialize<Geometry>(geoJson, GeoJson) as Polygon
        ?? throw new InvalidOperationException("Not a GeoJSON Polygon: " + geoJson);

    /// <summary>Checks the GeoJSON text itself: a Polygon with one closed ring of [lon,lat] pairs with at most 7 decimals.</summary>
    public static (double Lon, double Lat)[] ReadRing(string geoJson)
    {
        using var doc = JsonDocument.Parse(geoJson);
        Assert.Equal("Polygon", doc.RootElement.GetProperty("type").GetString());
        var rings = doc.RootElement.GetProperty("coordinates");
        Assert.Equal(1, rings.GetArrayLength());
        var ring = rings[0].EnumerateArray().Select(p =>
        {
            Assert.Equal(2, p.GetArrayLength());
            return (p[0].GetDouble(), p[1].GetDouble());
        }).ToArray();
        Assert.True(ring.Length >= 4, "A ring needs at least four positions.");
        Assert.Equal(ring[0], ring[^1]);
        foreach (var (lon, lat) in ring)
        {
            Assert.Equal(Math.Round(lon, 7), lon);
            Assert.Equal(Math.Round(lat, 7), lat);
        }
        return ring;
    }

    /// <summary>Equirectangular metres around the plan's centre.</summary>
    public sealed class Meters(DemoCityPlan plan)
    {
        readonly double lat0 = plan.Center.Lat;
        readonly double lon0 = plan.Center.Lon;
        readonly double perLon = 111_320.0 * Math.Cos(plan.Center.Lat * Math.PI / 180);

        public Coordinate Of(double lon, double lat) => new((lon - lon0) * perLon, (lat - lat0) * 110_574.0);
        public Coordinate Of(GeoPoint p) => Of(p.Lon, p.Lat);

        public Polygon Of(Polygon degrees) =>
            Factory.CreatePolygon(degrees.ExteriorRing.Coordinates.Select(c => Of(c.X, c.Y)).ToArray());

        public Polygon Of(DemoCityBounds b) => Factory.CreatePolygon(
        [
            Of(b.MinLon, b.MinLat), Of(b.MaxLon, b.MinLat), Of(b.MaxLon, b.MaxLat), Of(b.MinLon, b.MaxLat), Of(b.MinLon, b.MinLat),
        ]);
    }

    public static Point PointAt(GeoPoint p) => Factory.CreatePoint(new Coordinate(p.Lon, p.Lat));

    public static string Format(TimeSpan t) => t.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture) + " ms";
}
