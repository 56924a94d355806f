namespace GridGov.Fixes;

/// <summary>
/// 定质 (fixed quality): check-ins only near the point, evidence on report and on rectification, stage deadlines
/// per category and severity, verification by an inspector who is not the handler.
/// </summary>
public static class QualityFix
{
    public static void EnsureWithinRadius(string pointId, double distanceMeters, double radiusMeters)
    {
        if (distanceMeters > radiusMeters)
            throw GridGovException.Violation(Fix.Quality, "quality.check-in-distance",
                $"The check-in is {distanceMeters:F0} m from point {pointId}; it must be within {radiusMeters:F0} m.");
    }

    /// <summary>Reports found on the ground (inspector, citizen, camera) need photo evidence.</summary>
    public static void EnsureReportEvidence(TicketSource source, IReadOnlyCollection<string> evidence)
    {
        if ((source is TicketSource.Inspector or TicketSource.Citizen or TicketSource.Camera) && !HasEvidence(evidence))
            throw GridGovException.Violation(Fix.Quality, "quality.report-evidence", $"A {source} report needs photo evidence.");
    }

    public static void EnsureRectificationEvidence(IReadOnlyCollection<string> evidence)
    {
        if (!HasEvidence(evidence))
            throw GridGovException.Violation(Fix.Quality, "quality.rectification-evidence", "A rectification needs photo evidence of the result.");
    }

    static bool HasEvidence(IReadOnlyCollection<string> evidence) => evidence.Count > 0 && evidence.All(e => !string.IsNullOrWhiteSpace(e));

    /// <summary>Rectification is verified by an inspector of the cell, never by whoever handled it.</summary>
    public static void EnsureVerifier(Actor verifier, string? handledBy)
    {
        if (verifier.Id == handledBy || verifier.Role == Role.Handler)
            throw GridGovException.Violation(Fix.Quality, "quality.verifier-is-handler", $"{verifier.Id} is a handler and cannot verify a rectification.");
        if (verifier.Role != Role.Inspector)
            throw GridGovException.Forbidden(Fix.Quality, "quality.verifier-role", "Only an inspector verifies a rectification.");
    }

    /// <summary>The deadline of a stage entered at <paramref name="enteredAt"/>, if the stage has a limit.</summary>
    public static DateTimeOffset? Deadline(StageDeadlines? deadlines, TicketStage stage, DateTimeOffset enteredAt) =>
        deadlines is not null && deadlines.Limits.TryGetValue(stage, out var limit) ? enteredAt + limit : null;

    public static void ValidateDeadlines(StageDeadlines deadlines)
    {
        if (deadlines.Limits.Values.Any(l => l <= TimeSpan.Zero))
            throw GridGovException.Violation(Fix.Quality, "quality.deadline-positive", "Every stage deadline must be positive.");
        if (deadlines.Limits.Keys.Any(s => s is TicketStage.Closed or TicketStage.Rejected or TicketStage.Merged))
            throw GridGovException.Violation(Fix.Quality, "quality.deadline-stage", "Final stages have no deadline.");
    }
}
