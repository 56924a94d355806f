using GridGov.Geo;
using GridGov.Citizens;

namespace GridGov.Tickets;

/// <summary>An open ticket as duplicate detection sees it.</summary>
public readonly record struct OpenReport(string TicketId, string Category, GeoPoint Location, DateTimeOffset ReportedAt);

/// <summary>
/// Duplicates (立案 merges them): a report from anyone but an inspector, of the same category within the
/// category's radius (default 30 m) and window (default 24 h) of an open ticket, attaches to that ticket.
/// </summary>
public static class Duplicates
{
    public const double MaxRadiusMeters = 1_000;
    public const double MaxWindowHours = 24 * 30;

    /// <summary>Inspectors' reports count as their own finds; every other source is checked for duplicates.</summary>
    public static bool Applies(TicketSource source) => source != TicketSource.Inspector;

    public static void ValidatePolicy(Category category)
    {
        if (category.DuplicateRadiusMeters is < 0 or > MaxRadiusMeters || double.IsNaN(category.DuplicateRadiusMeters))
            throw GridGovException.Invalid("category.duplicate-radius", $"Duplicate radius must be 0–{MaxRadiusMeters} m; got {category.DuplicateRadiusMeters}.");
        if (category.DuplicateWindowHours is < 0 or > MaxWindowHours || double.IsNaN(category.DuplicateWindowHours))
            throw GridGovException.Invalid("category.duplicate-window", $"Duplicate window must be 0–{MaxWindowHours} h; got {category.DuplicateWindowHours}.");
        if (category.RewardPoints is < 0 or > Rewards.MaxPoints)
            throw GridGovException.Invalid("category.reward", $"Reward points must be 0–{Rewards.MaxPoints}; got {category.RewardPoints}.");
    }

    /// <summary>The nearest open ticket the report duplicates (ties: the earliest reported), or null.</summary>
    public static DuplicateMatch? Find(IEnumerable<OpenReport> open, Category category, GeoPoint at, DateTimeOffset now)
    {
        var window = TimeSpan.FromHours(category.DuplicateWindowHours);
        DuplicateMatch? best = null;
        foreach (var t in open)
        {
            if (t.Category != category.Code || t.ReportedAt < now - window || t.ReportedAt > now) continue;
            var meters = GeoMath.DistanceMeters(t.Location, at);
            if (meters > category.DuplicateRadiusMeters) continue;
            if (best is null || meters < best.DistanceMeters || (meters == best.DistanceMeters && t.ReportedAt < best.ReportedAt))
                best = new DuplicateMatch(t.TicketId, meters, t.ReportedAt);
        }
        return best;
    }

    /// <summary>The nearer of two matches (the first on a tie).</summary>
    public static DuplicateMatch? Nearer(DuplicateMatch? a, DuplicateMatch? b) =>
        a is null ? b : b is null ? a : b.DistanceMeters < a.DistanceMeters ? b : a;
}
