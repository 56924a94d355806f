namespace GridGov.Fixes;

/// <summary>
/// 定责 (fixed duty): each cell's duty list maps categories to responsible units; each point type has a checklist
/// and each point its own responsible unit (包保单位). A ticket's category must be routable to a unit.
/// </summary>
public static class DutyFix
{
    public static void ValidateDutyList(IReadOnlyList<DutyEntry> entries, Func<string, bool> categoryExists, Func<string, bool> unitExists)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            if (!categoryExists(e.Category))
                throw GridGovException.Violation(Fix.Duty, "duty.unknown-category", $"Category '{e.Category}' is not in the city's catalog.");
            if (string.IsNullOrWhiteSpace(e.UnitId))
                throw GridGovException.Violation(Fix.Duty, "duty.category-without-unit", $"Category '{e.Category}' has no responsible unit.");
            if (!unitExists(e.UnitId))
                throw GridGovException.Violation(Fix.Duty, "duty.unknown-unit", $"Unit '{e.UnitId}' for category '{e.Category}' does not exist.");
            if (!seen.Add(e.Category))
                throw GridGovException.Violation(Fix.Duty, "duty.duplicate-category", $"Category '{e.Category}' appears twice in the duty list.");
        }
    }

    /// <summary>
    /// The unit a ticket goes to: the point's own unit when the category is on its type's checklist, otherwise
    /// the cell's duty list. Refused when neither names one.
    /// </summary>
    public static string ResolveUnit(string cellCode, string category, IReadOnlyDictionary<string, string> dutyList, PointSummary? point, PointType? pointType)
    {
        if (point is not null && pointType is not null && pointType.Checklist.Contains(category) && !string.IsNullOrEmpty(point.UnitId))
            return point.UnitId;
        if (dutyList.TryGetValue(category, out var unit) && !string.IsNullOrEmpty(unit))
            return unit;
        throw GridGovException.Violation(Fix.Duty, "duty.category-without-unit",
            $"Category '{category}' has no responsible unit in cell {cellCode}; add it to the cell's duty list.");
    }

    public static void ValidatePoint(CreatePoint point, Func<string, bool> typeExists, Func<string, bool> unitExists)
    {
        if (string.IsNullOrWhiteSpace(point.Id) || string.IsNullOrWhiteSpace(point.Name))
            throw GridGovException.Invalid("point.fields", "A point needs an id and a name.");
        if (!typeExists(point.TypeCode))
            throw GridGovException.Violation(Fix.Duty, "duty.unknown-point-type", $"Point type '{point.TypeCode}' is not in the city's catalog.");
        if (string.IsNullOrWhiteSpace(point.UnitId) || !unitExists(point.UnitId))
            throw GridGovException.Violation(Fix.Duty, "duty.point-without-unit", $"Point {point.Id} needs an existing responsible unit (包保单位); '{point.UnitId}' is unknown.");
    }
}
