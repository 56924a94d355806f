namespace GridGov.Fixes;

/// <summary>
/// 定时 (fixed time): patrol windows in the city's local time. A check-in counts for a window only inside it; when
/// a window closes the points nobody visited are missed.
/// </summary>
public static class TimeFix
{
    public static TimeZoneInfo Zone(string timeZoneId)
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById(timeZoneId); }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw GridGovException.Invalid("time.zone", $"Unknown time zone '{timeZoneId}'.");
        }
    }

    public static void ValidateWindows(IReadOnlyList<PatrolWindow> windows)
    {
        if (windows.Count == 0)
            throw GridGovException.Violation(Fix.Time, "time.window-required", "A route needs at least one patrol window.");
        foreach (var w in windows)
        {
            if (w.End <= w.Start)
                throw GridGovException.Violation(Fix.Time, "time.window-order", $"Window {w.Start:HH\\:mm}–{w.End:HH\\:mm} must end after it starts, on the same day.");
            if (w.Days.Length == 0)
                throw GridGovException.Violation(Fix.Time, "time.window-days", $"Window {w.Start:HH\\:mm}–{w.End:HH\\:mm} has no weekdays.");
        }
        for (var i = 0; i < windows.Count; i++)
            for (var j = i + 1; j < windows.Count; j++)
                if (windows[i].Days.Intersect(windows[j].Days).Any() && windows[i].Start < windows[j].End && windows[j].Start < windows[i].End)
                    throw GridGovException.Violation(Fix.Time, "time.window-overlap", "Two windows of one route overlap.");
    }

    public static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    public static DateTimeOffset LocalToUtc(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }

    public static WindowInstance Instance(DateOnly date, PatrolWindow w, TimeZoneInfo zone) =>
        new(Key(date, w), LocalToUtc(date, w.Start, zone), LocalToUtc(date, w.End, zone));

    /// <summary>A window occurrence's key: its local date and start, e.g. "2026-11-23@08:00".</summary>
    public static string Key(DateOnly date, PatrolWindow w) => $"{date:yyyy-MM-dd}@{w.Start:HH\\:mm}";

    /// <summary>Window occurrences on the local dates around [from, to], in start order.</summary>
    public static IEnumerable<WindowInstance> Instances(IEnumerable<PatrolWindow> windows, TimeZoneInfo zone, DateTimeOffset from, DateTimeOffset to)
    {
        var list = windows.ToList();
        var result = new List<WindowInstance>();
        for (var d = LocalDate(from, zone).AddDays(-1); d <= LocalDate(to, zone).AddDays(1); d = d.AddDays(1))
            foreach (var w in list)
                if (w.Days.Contains(d.DayOfWeek)) result.Add(Instance(d, w, zone));
        return result.OrderBy(i => i.Start);
    }

    /// <summary>The window open at the instant, if any. Start inclusive, end exclusive.</summary>
    /// <remarks>
    /// A window starts and ends on one local day (see <see cref="ValidateWindows"/>), so only the instant's own local
    /// date can have it open; this runs on every check-in, so it converts just those windows' bounds.
    /// </remarks>
    public static WindowInstance? OpenAt(IEnumerable<PatrolWindow> windows, TimeZoneInfo zone, DateTimeOffset at)
    {
        var date = LocalDate(at, zone);
        foreach (var w in windows)
        {
            if (Array.IndexOf(w.Days, date.DayOfWeek) < 0) continue;
            var start = LocalToUtc(date, w.Start, zone);
            if (at < start) continue;
            var end = LocalToUtc(date, w.End, zone);
            if (at < end) return new WindowInstance(Key(date, w), start, end); // windows of a route never overlap
        }
        return null;
    }

    /// <summary>Occurrences that ended in (after, until]: the ones to close now.</summary>
    public static IEnumerable<WindowInstance> EndedBetween(IEnumerable<PatrolWindow> windows, TimeZoneInfo zone, DateTimeOffset after, DateTimeOffset until) =>
        Instances(windows, zone, after, until).Where(i => i.End > after && i.End <= until);

    /// <summary>The next end of any window after the instant: when the system must wake to close it.</summary>
    public static DateTimeOffset? NextEnd(IEnumerable<PatrolWindow> windows, TimeZoneInfo zone, DateTimeOffset after) =>
        Instances(windows, zone, after, after.AddDays(8)).Select(i => i.End).Where(e => e > after).Cast<DateTimeOffset?>().FirstOrDefault();

    /// <summary>Points of the route that have no counted check-in inside the window.</summary>
    public static string[] Missed(IEnumerable<string> routePoints, WindowInstance window, Func<string, IEnumerable<DateTimeOffset>> countedCheckIns) =>
        routePoints.Where(p => !countedCheckIns(p).Any(t => window.Start <= t && t < window.End)).ToArray();
}
