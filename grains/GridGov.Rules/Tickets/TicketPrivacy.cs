namespace GridGov.Tickets;

/// <summary>
/// Who sees a citizen reporter: their identity and contact are for supervisors only (and the reporter themself).
/// Everyone else sees the ticket with every citizen's id replaced by <see cref="Hidden"/>; the public sees
/// <see cref="Public"/>: status, stage history without names, and the result with evidence references.
/// </summary>
public static class TicketPrivacy
{
    public const string Hidden = "citizen";

    public static bool SeesReporters(Actor viewer) => viewer.Role is Role.Supervisor or Role.System;

    /// <summary>The ticket as <paramref name="viewer"/> may see it (jurisdiction is checked by the caller).</summary>
    public static TicketInfo ForViewer(TicketInfo t, Actor viewer) => SeesReporters(viewer)
        ? t
        : t with { ReporterId = ReporterIdFor(t, viewer), History = HistoryFor(t, viewer), Attachments = AttachmentsFor(t, viewer) };

    public static string ReporterIdFor(TicketInfo t, Actor viewer) =>
        Mask(t.ReporterId, t.Source == TicketSource.Citizen ? Role.Citizen : t.History.Length > 0 ? t.History[0].ActorRole : Role.System, viewer);

    public static TicketTransition[] HistoryFor(TicketInfo t, Actor viewer) =>
        SeesReporters(viewer) ? t.History : t.History.Select(h => h with { ActorId = Mask(h.ActorId, h.ActorRole, viewer) }).ToArray();

    public static ReportAttachment[] AttachmentsFor(TicketInfo t, Actor viewer) =>
        SeesReporters(viewer) ? t.Attachments : t.Attachments.Select(a => a with { ReporterId = Mask(a.ReporterId, a.ReporterRole, viewer) }).ToArray();

    static string Mask(string id, Role role, Actor viewer) =>
        role == Role.Citizen && id != viewer.Id && !SeesReporters(viewer) ? Hidden : id;

    /// <summary>The id to publish on events and the journal: never a citizen's.</summary>
    public static string PublicActor(string actorId, Role role) => role == Role.Citizen ? Hidden : actorId;

    public static PublicTicket Public(TicketInfo t)
    {
        var history = t.History.Where(h => h.From != h.To || h.Action == TicketAction.Report)
            .Select(h => new PublicStage(h.At, h.Action, h.From, h.To)).ToArray();
        return new PublicTicket(t.Id, t.Category, t.Description, t.Location, t.Address, t.Source, t.Stage, t.IsOpen,
            t.History[0].At, t.History[^1].At, t.IsOpen ? t.StageDeadline : null, t.UnitId, t.History[0].Evidence, history, Result(t),
            t.Attachments.Length);
    }

    /// <summary>How the ticket ended: the last rectification and its verification, or why it was rejected or merged.</summary>
    static PublicResult? Result(TicketInfo t)
    {
        var end = t.History.LastOrDefault(h => h.Action is TicketAction.Reject or TicketAction.Merge);
        if (end is not null)
            return new PublicResult(end.At, end.To, end.Action == TicketAction.Merge ? $"duplicate of {t.DuplicateOf}" : $"rejected: {end.Reason}", []);
        var handled = t.History.LastOrDefault(h => h.Action == TicketAction.Handle);
        if (handled is null) return null;
        var verified = t.History.LastOrDefault(h => h.Action == TicketAction.VerifyPass && h.Seq > handled.Seq);
        var evidence = verified is null ? handled.Evidence : [.. handled.Evidence, .. verified.Evidence];
        var summary = verified is null ? "rectified, awaiting verification" : t.Stage == TicketStage.Closed ? "rectified, verified and closed" : "rectified and verified";
        return new PublicResult(verified?.At ?? handled.At, t.Stage, summary, evidence);
    }
}
