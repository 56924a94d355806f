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
        new($"{date:yyyy-MM-dd}@{w.Start:HH\\:mm}", LocalToUtc(date, w.Start, zone), LocalToUtc(date, w.End, zone));

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
    public static WindowInstance? OpenAt(IEnumerable<PatrolWindow> windows, TimeZoneInfo zone, DateTimeOffset at) =>
        Instances(windows, zone, at, at).FirstOrDefault(i => i.Start <= at && at < i.End);

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
