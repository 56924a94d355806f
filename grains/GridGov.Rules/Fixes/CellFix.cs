using GridGov.Geo;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Quadtree;

namespace GridGov.Fixes;

/// <summary>
/// 定格 (fixed cell): hierarchical codes, polygon boundaries, no overlap between active cells, every point in exactly
/// one cell, and no retirement while work remains.
/// </summary>
public static class CellFix
{
    /// <summary>Overlaps smaller than this are taken as rounding on a shared edge.</summary>
    public const double OverlapToleranceSquareMeters = 1.0;

    /// <summary>A cell code is 16 digits: its community's 12 plus a 4-digit serial.</summary>
    public static void ValidateCode(string code)
    {
        if (JurisdictionCode.LevelOf(code) != JurisdictionLevel.Cell)
            throw GridGovException.Violation(Fix.Cell, "cell.code-format",
                $"Cell code '{code}' must be 16 digits: district (6) + street (3) + community (3) + serial (4).");
        if (code.EndsWith("0000", StringComparison.Ordinal))
            throw GridGovException.Violation(Fix.Cell, "cell.code-format", $"Cell code '{code}' has serial 0000; serials start at 0001.");
    }

    /// <summary>Parses and checks a boundary; returns it with its area.</summary>
    public static (Geometry Boundary, double AreaSquareMeters) ValidateBoundary(string geoJson)
    {
        var boundary = GeoMath.ReadPolygon(geoJson);
        if (boundary.IsEmpty || !boundary.IsValid)
            throw GridGovException.Violation(Fix.Cell, "cell.polygon-invalid", "The cell boundary is empty or self-intersecting.");
        var env = boundary.EnvelopeInternal;
        if (env.MinX < -180 || env.MaxX > 180 || env.MinY < -90 || env.MaxY > 90)
            throw GridGovException.Violation(Fix.Cell, "cell.polygon-invalid", "The cell boundary is outside WGS84 longitude/latitude ranges.");
        var area = GeoMath.AreaSquareMeters(boundary);
        if (area < 1)
            throw GridGovException.Violation(Fix.Cell, "cell.polygon-invalid", "The cell boundary has no area.");
        return (boundary, area);
    }

    /// <summary>Square metres two boundaries share (0 when they only touch).</summary>
    public static double OverlapSquareMeters(Geometry a, Geometry b) =>
        a.EnvelopeInternal.Intersects(b.EnvelopeInternal) && a.Intersects(b) ? GeoMath.AreaSquareMeters(a.Intersection(b)) : 0;

    /// <summary>A redrawn boundary must keep every point of the cell inside (every point lies in exactly one cell).</summary>
    public static void EnsurePointsInside(string code, Geometry boundary, IEnumerable<PointSummary> points)
    {
        var outside = points.Where(p => !boundary.Covers(GeoMath.ToPoint(p.Location))).Select(p => p.Id).Order(StringComparer.Ordinal).ToArray();
        if (outside.Length > 0)
            throw GridGovException.Violation(Fix.Cell, "cell.points-outside-boundary",
                $"The new boundary of cell {code} would leave point(s) {string.Join(", ", outside)} outside it.");
    }

    /// <summary>A cell can retire only once its tickets are closed and its points and backups have moved.</summary>
    public static void EnsureCanRetire(string code, int openTickets, int activePoints, int backups)
    {
        if (openTickets > 0)
            throw GridGovException.Violation(Fix.Cell, "cell.retire-open-tickets", $"Cell {code} still has {openTickets} open ticket(s).");
        if (activePoints > 0)
            throw GridGovException.Violation(Fix.Cell, "cell.retire-points", $"Cell {code} still has {activePoints} inspection point(s); move or remove them first.");
        if (backups > 0)
            throw GridGovException.Violation(Fix.Cell, "cell.retire-people", $"Cell {code} still has {backups} backup inspector(s); move them first.");
    }

    public static void EnsureActive(string code, CellStatus status)
    {
        if (status != CellStatus.Active)
            throw GridGovException.Violation(Fix.Cell, "cell.retired", $"Cell {code} is retired.");
    }
}

/// <summary>
/// The spatial registry of a city's active cells: refuses overlapping boundaries and finds the one cell a
/// position lies in.
/// </summary>
public sealed class CellRegistry
{
    sealed record Entry(string Code, Geometry Boundary, IPreparedGeometry Prepared);

    readonly Quadtree<Entry> _index = new();
    readonly Dictionary<string, Entry> _byCode = new(StringComparer.Ordinal);

    public int Count => _byCode.Count;

    public IEnumerable<string> Codes => _byCode.Keys;

    /// <summary>Adds a boundary; refused with <c>cell.no-overlap</c> if it overlaps an active cell.</summary>
    public void Add(string code, Geometry boundary)
    {
        if (_byCode.TryGetValue(code, out var existing) && existing.Boundary.EqualsExact(boundary)) return;
        foreach (var other in _index.Query(boundary.EnvelopeInternal))
        {
            if (other.Code == code) continue;
            var shared = CellFix.OverlapSquareMeters(boundary, other.Boundary);
            if (shared > CellFix.OverlapToleranceSquareMeters)
                throw GridGovException.Violation(Fix.Cell, "cell.no-overlap",
                    $"Cell {code} overlaps active cell {other.Code} by {shared:F1} m².");
        }
        Remove(code);
        var entry = new Entry(code, boundary, PreparedGeometryFactory.Prepare(boundary));
        _index.Insert(boundary.EnvelopeInternal, entry);
        _byCode[code] = entry;
    }

    public void Remove(string code)
    {
        if (_byCode.Remove(code, out var entry)) _index.Remove(entry.Boundary.EnvelopeInternal, entry);
    }

    /// <summary>Cells whose boundary comes within <paramref name="meters"/> of the position (including the one containing it).</summary>
    public string[] Near(GeoPoint position, double meters)
    {
        var circle = GeoMath.Circle(position, meters);
        return _index.Query(circle.EnvelopeInternal).Where(e => e.Prepared.Intersects(circle))
            .Select(e => e.Code).Distinct().Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The one cell containing the position: refused when it is in none or on a border of several.</summary>
    public string Locate(GeoPoint position)
    {
        var point = GeoMath.ToPoint(position);
        string? found = null;
        foreach (var entry in _index.Query(point.EnvelopeInternal))
        {
            if (!entry.Prepared.Covers(point)) continue;
            if (found is not null && found != entry.Code)
                throw GridGovException.Violation(Fix.Cell, "cell.point-ambiguous",
                    $"Position ({position.Lat}, {position.Lon}) lies on the border of cells {found} and {entry.Code}; every point must lie in exactly one cell.");
            found = entry.Code;
        }
        return found ?? throw GridGovException.Violation(Fix.Cell, "cell.point-outside",
            $"Position ({position.Lat}, {position.Lon}) lies in no active cell.");
    }
}
