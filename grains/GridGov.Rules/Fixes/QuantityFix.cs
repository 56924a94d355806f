namespace GridGov.Fixes;

/// <summary>
/// 定量 (fixed quantity): per-inspector daily quotas of windows completed, points visited and visits per point
/// type; live progress; the shortfall at the day's end.
/// </summary>
public static class QuantityFix
{
    public static void ValidateQuota(Quota quota)
    {
        if (quota.WindowsPerDay < 0 || quota.PointsPerDay < 0 || quota.VisitsPerType.Values.Any(v => v < 0))
            throw GridGovException.Violation(Fix.Quantity, "quantity.negative", "Quota targets cannot be negative.");
    }

    /// <summary>What is missing against the quota, or null when every target is met.</summary>
    public static QuotaShortfall? Shortfall(QuotaProgress progress)
    {
        var q = progress.Quota;
        var windows = Math.Max(0, q.WindowsPerDay - progress.WindowsCompleted);
        var points = Math.Max(0, q.PointsPerDay - progress.PointsVisited);
        var perType = q.VisitsPerType
            .Select(kv => (kv.Key, Short: Math.Max(0, kv.Value - progress.VisitsPerType.GetValueOrDefault(kv.Key))))
            .Where(x => x.Short > 0)
            .ToDictionary(x => x.Key, x => x.Short);
        return windows == 0 && points == 0 && perType.Count == 0 ? null : new QuotaShortfall(progress.Date, windows, points, perType);
    }
}
