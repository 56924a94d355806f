using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace GridGov.Geo;

/// <summary>Distances, areas and GeoJSON on WGS84 coordinates (x = longitude, y = latitude).</summary>
public static class GeoMath
{
    const double EarthRadiusMeters = 6_371_008.8;
    const double MetersPerDegreeLat = 110_574;
    const double MetersPerDegreeLonAtEquator = 111_320;

    public static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    static readonly JsonSerializerOptions GeoJsonOptions = CreateOptions();

    static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions();
        options.Converters.Add(new GeoJsonConverterFactory(Factory));
        return options;
    }

    /// <summary>Great-circle distance in metres.</summary>
    public static double DistanceMeters(GeoPoint a, GeoPoint b)
    {
        var dLat = ToRadians(b.Lat - a.Lat);
        var dLon = ToRadians(b.Lon - a.Lon);
        var h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) +
                Math.Cos(ToRadians(a.Lat)) * Math.Cos(ToRadians(b.Lat)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusMeters * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    /// <summary>A 32-gon approximating the circle of <paramref name="meters"/> around a position.</summary>
    public static Polygon Circle(GeoPoint center, double meters)
    {
        var dLat = meters / MetersPerDegreeLat;
        var dLon = meters / (MetersPerDegreeLonAtEquator * Math.Cos(ToRadians(center.Lat)));
        var ring = new Coordinate[33];
        for (var i = 0; i < 32; i++)
        {
            var a = 2 * Math.PI * i / 32;
            ring[i] = new Coordinate(center.Lon + dLon * Math.Cos(a), center.Lat + dLat * Math.Sin(a));
        }
        ring[32] = ring[0];
        return Factory.CreatePolygon(ring);
    }

    /// <summary>Square metres per square degree near a latitude (local equirectangular approximation).</summary>
    public static double SquareMetersPerSquareDegree(double lat) =>
        MetersPerDegreeLat * MetersPerDegreeLonAtEquator * Math.Cos(ToRadians(lat));

    public static double AreaSquareMeters(Geometry geometry) =>
        geometry.Area * SquareMetersPerSquareDegree(geometry.Centroid.Y);

    public static Point ToPoint(GeoPoint p) => Factory.CreatePoint(new Coordinate(p.Lon, p.Lat));

    /// <summary>Reads a GeoJSON Polygon or MultiPolygon; refuses anything else.</summary>
    public static Geometry ReadPolygon(string geoJson)
    {
        Geometry? geometry;
        try
        {
            geometry = JsonSerializer.Deserialize<Geometry>(geoJson, GeoJsonOptions);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw GridGovException.Invalid("geojson.parse", $"The boundary is not valid GeoJSON: {e.Message}");
        }
        if (geometry is not (Polygon or MultiPolygon))
            throw GridGovException.Invalid("geojson.type", "The boundary must be a GeoJSON Polygon or MultiPolygon.");
        return geometry;
    }

    public static string WriteGeoJson(Geometry geometry) => JsonSerializer.Serialize(geometry, GeoJsonOptions);

    static double ToRadians(double degrees) => degrees * Math.PI / 180;
}
