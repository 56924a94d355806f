namespace GridGov.Fixes;

/// <summary>
/// 定人 (fixed person): exactly one primary per active cell at any moment, backups, a limit of primary cells per
/// inspector, history with effective times, and leave always covered by a backup.
/// </summary>
public static class PersonFix
{
    public static void EnsureInspectorId(string inspectorId)
    {
        if (string.IsNullOrWhiteSpace(inspectorId))
            throw GridGovException.Violation(Fix.Person, "person.primary-required", "An active cell needs a primary inspector.");
    }

    /// <summary>An inspector serves only cells inside the jurisdiction they are registered in.</summary>
    public static void EnsureWithinJurisdiction(string inspectorId, string jurisdiction, string cellCode)
    {
        if (!JurisdictionCode.Contains(jurisdiction, cellCode))
            throw GridGovException.Violation(Fix.Person, "person.outside-jurisdiction",
                $"Cell {cellCode} is outside inspector {inspectorId}'s jurisdiction {jurisdiction}.");
    }

    /// <summary>A cell has one primary: a new one must name the one it replaces, so two can never hold it at once.</summary>
    public static void EnsureReplacesPrimary(string cellCode, string currentPrimary, string replaces)
    {
        if (replaces != currentPrimary)
            throw GridGovException.Violation(Fix.Person, "person.one-primary",
                $"Cell {cellCode} already has primary {currentPrimary}; a second primary is refused. Name the primary being replaced.");
    }

    public static void EnsureUnderPrimaryLimit(string inspectorId, IReadOnlyCollection<string> primaryCells, string cellCode, int maxCells)
    {
        if (primaryCells.Contains(cellCode)) return;
        if (primaryCells.Count >= maxCells)
            throw GridGovException.Violation(Fix.Person, "person.primary-cell-limit",
                $"Inspector {inspectorId} is already primary for {primaryCells.Count} cell(s); the limit is {maxCells}.");
    }

    public static void EnsureCanAddBackup(string cellCode, string primaryId, IReadOnlyCollection<string> backups, string inspectorId)
    {
        if (inspectorId == primaryId)
            throw GridGovException.Violation(Fix.Person, "person.backup-is-primary", $"Inspector {inspectorId} is the primary of cell {cellCode}; a backup must be someone else.");
        if (backups.Contains(inspectorId))
            throw GridGovException.Violation(Fix.Person, "person.already-backup", $"Inspector {inspectorId} is already a backup of cell {cellCode}.");
    }

    public static void EnsureCanRemoveBackup(string cellCode, IReadOnlyCollection<string> backups, IEnumerable<Assignment> history, string inspectorId, DateTimeOffset now)
    {
        if (!backups.Contains(inspectorId))
            throw GridGovException.Violation(Fix.Person, "person.not-backup", $"Inspector {inspectorId} is not a backup of cell {cellCode}.");
        if (history.Any(a => a.Kind == AssignmentKind.Cover && a.InspectorId == inspectorId && (a.To is null || a.To > now)))
            throw GridGovException.Violation(Fix.Person, "person.backup-covering", $"Inspector {inspectorId} is covering a leave in cell {cellCode}; coverage would lapse.");
    }

    public static void ValidateLeave(Leave leave)
    {
        if (leave.To <= leave.From)
            throw GridGovException.Violation(Fix.Person, "person.leave-period", "A leave must end after it starts.");
    }

    public static bool Overlaps(DateTimeOffset aFrom, DateTimeOffset aTo, DateTimeOffset bFrom, DateTimeOffset bTo) => aFrom < bTo && bFrom < aTo;

    /// <summary>A backup cannot promise cover while on leave.</summary>
    public static void EnsureAvailableForCover(string inspectorId, IEnumerable<Leave> leaves, DateTimeOffset from, DateTimeOffset to)
    {
        if (leaves.Any(l => Overlaps(l.From, l.To, from, to)))
            throw GridGovException.Violation(Fix.Person, "person.backup-unavailable", $"Inspector {inspectorId} is on leave during {from:u} – {to:u}.");
    }

    /// <summary>An inspector cannot take leave while promised as cover.</summary>
    public static void EnsureNotCovering(string inspectorId, IEnumerable<CoverDuty> covers, Leave leave)
    {
        var clash = covers.FirstOrDefault(c => Overlaps(c.From, c.To, leave.From, leave.To));
        if (clash is not null)
            throw GridGovException.Violation(Fix.Person, "person.covering-during-leave",
                $"Inspector {inspectorId} covers cell {clash.CellCode} for {clash.ForInspectorId} during that time.");
    }

    public static GridGovException Uncovered(string cellCode, string primaryId) =>
        GridGovException.Violation(Fix.Person, "person.leave-uncovered",
            $"No backup of cell {cellCode} is free to cover {primaryId}'s leave; coverage may not lapse.");

    /// <summary>Who is on duty in a cell at a moment: the backup covering a leave, else the primary.</summary>
    public static string OnDuty(string primaryId, IEnumerable<Assignment> history, DateTimeOffset at)
    {
        foreach (var a in history)
            if (a.Kind == AssignmentKind.Cover && a.From <= at && (a.To is null || at < a.To)) return a.InspectorId;
        return primaryId;
    }

    /// <summary>Primary, backups and current covers are allowed to patrol and verify in the cell.</summary>
    public static bool IsAssigned(string inspectorId, string primaryId, IEnumerable<string> backups) =>
        inspectorId == primaryId || backups.Contains(inspectorId);

    public static void EnsureAssigned(string cellCode, string inspectorId, string primaryId, IEnumerable<string> backups)
    {
        if (!IsAssigned(inspectorId, primaryId, backups))
            throw GridGovException.Forbidden(Fix.Person, "person.not-assigned", $"Inspector {inspectorId} is not assigned to cell {cellCode}.");
    }
}
