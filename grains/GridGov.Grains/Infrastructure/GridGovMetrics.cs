using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace GridGov.Grains.Infrastructure;

/// <summary>
/// GridGov's own metrics, on one static <see cref="Meter"/> named <see cref="MeterName"/> (exported by the
/// telemetry set-up in GridGov.Storage.Postgres). The grains call the one-line helpers below at the points where
/// the fact happens; tags are small closed sets (enums, outcomes), never ids, so cardinality stays bounded.
/// An instrument nobody listens to costs a branch.
/// </summary>
public static class GridGovMetrics
{
    public const string MeterName = "GridGov";

    public static readonly Meter Meter = new(MeterName, typeof(GridGovMetrics).Assembly.GetName().Version?.ToString());

    /// <summary>Check-ins recorded by a cell. Tags: <c>outcome</c> (counted, not-counted), <c>reason</c> (None, OutsideWindow, NotOnRoute).</summary>
    public static readonly Counter<long> CheckIns = Meter.CreateCounter<long>("gridgov.checkins", "{check-in}", "Check-ins recorded by cells");

    /// <summary>Tickets opened. Tags: <c>source</c> (Inspector, Citizen, Camera, Hotline, Platform), <c>severity</c>.</summary>
    public static readonly Counter<long> TicketsOpened = Meter.CreateCounter<long>("gridgov.tickets.opened", "{ticket}", "Tickets opened");

    /// <summary>Ticket transitions taken by people. Tags: <c>action</c> (Accept, Dispatch, ...), <c>stage</c> (the stage entered).</summary>
    public static readonly Counter<long> TicketTransitions = Meter.CreateCounter<long>("gridgov.tickets.transitions", "{transition}", "Ticket transitions by action and the stage entered");

    /// <summary>Stages that ran past their deadline and escalated by themselves. Tag: <c>stage</c>.</summary>
    public static readonly Counter<long> OverdueEscalations = Meter.CreateCounter<long>("gridgov.tickets.overdue_escalations", "{escalation}", "Ticket stages escalated because their deadline passed");

    /// <summary>Patrol windows closed. Tag: <c>outcome</c> (completed, missed).</summary>
    public static readonly Counter<long> WindowsClosed = Meter.CreateCounter<long>("gridgov.patrol.windows_closed", "{window}", "Patrol windows closed");

    /// <summary>Inspection points left unvisited when their window closed.</summary>
    public static readonly Counter<long> MissedPoints = Meter.CreateCounter<long>("gridgov.patrol.missed_points", "{point}", "Inspection points missed when a patrol window closed");

    public static void CheckIn(CheckInRecord record) =>
        CheckIns.Add(1, new TagList { { "outcome", record.Counted ? "counted" : "not-counted" }, { "reason", record.Reason.ToString() } });

    public static void TicketOpened(ReportIssue report) =>
        TicketsOpened.Add(1, new TagList { { "source", report.Source.ToString() }, { "severity", report.Severity.ToString() } });

    public static void TicketMoved(TicketAction action, TicketStage stage) =>
        TicketTransitions.Add(1, new TagList { { "action", action.ToString() }, { "stage", stage.ToString() } });

    public static void StageOverdue(TicketStage stage) =>
        OverdueEscalations.Add(1, new KeyValuePair<string, object?>("stage", stage.ToString()));

    public static void WindowClosed(WindowOutcome outcome)
    {
        WindowsClosed.Add(1, new KeyValuePair<string, object?>("outcome", outcome.MissedPointIds.Length == 0 ? "completed" : "missed"));
        if (outcome.MissedPointIds.Length > 0) MissedPoints.Add(outcome.MissedPointIds.Length);
    }
}
