namespace GridGov.Tickets;

/// <summary>
/// The closed loop (闭环): which action may move a ticket from which stage to which, and who may take it.
/// reported → accepted | rejected | merged; accepted → dispatched; dispatched → handled | returned;
/// returned → dispatched; handled → verified | dispatched (rework, 返工); verified → closed.
/// </summary>
public static class TicketLoop
{
    static readonly Dictionary<(TicketAction, TicketStage), TicketStage> Transitions = new()
    {
        [(TicketAction.Accept, TicketStage.Reported)] = TicketStage.Accepted,
        [(TicketAction.Reject, TicketStage.Reported)] = TicketStage.Rejected,
        [(TicketAction.Merge, TicketStage.Reported)] = TicketStage.Merged,
        [(TicketAction.Dispatch, TicketStage.Accepted)] = TicketStage.Dispatched,
        [(TicketAction.Dispatch, TicketStage.Returned)] = TicketStage.Dispatched,
        [(TicketAction.Return, TicketStage.Dispatched)] = TicketStage.Returned,
        [(TicketAction.Handle, TicketStage.Dispatched)] = TicketStage.Handled,
        [(TicketAction.VerifyPass, TicketStage.Handled)] = TicketStage.Verified,
        [(TicketAction.VerifyFail, TicketStage.Handled)] = TicketStage.Dispatched,
        [(TicketAction.Close, TicketStage.Verified)] = TicketStage.Closed,
    };

    static readonly Dictionary<TicketAction, Role[]> Roles = new()
    {
        [TicketAction.Accept] = [Role.Supervisor],
        [TicketAction.Reject] = [Role.Supervisor],
        [TicketAction.Merge] = [Role.Supervisor],
        [TicketAction.Dispatch] = [Role.Supervisor],
        [TicketAction.Return] = [Role.Handler],
        [TicketAction.Handle] = [Role.Handler],
        [TicketAction.VerifyPass] = [Role.Inspector],
        [TicketAction.VerifyFail] = [Role.Inspector],
        [TicketAction.Close] = [Role.Supervisor],
        [TicketAction.Escalate] = [Role.Supervisor, Role.System],
    };

    public static bool IsFinal(TicketStage stage) => stage is TicketStage.Closed or TicketStage.Rejected or TicketStage.Merged;

    /// <summary>The stage an action leads to; refused with the transition named when it is not allowed.</summary>
    public static TicketStage Next(string ticketId, TicketStage stage, TicketAction action, Actor by)
    {
        if (Roles.TryGetValue(action, out var roles) && !roles.Contains(by.Role))
            throw GridGovException.Forbidden(Fix.TicketLoop, $"ticket.{Name(action)}.role",
                $"A {by.Role} cannot {Name(action)} a ticket; allowed: {string.Join(", ", roles)}.");
        if (action == TicketAction.Escalate)
            return IsFinal(stage)
                ? throw GridGovException.Violation(Fix.TicketLoop, "ticket.escalate", $"Ticket {ticketId} is {stage}; only open tickets escalate.")
                : stage;
        return Transitions.TryGetValue((action, stage), out var next)
            ? next
            : throw GridGovException.Violation(Fix.TicketLoop, $"ticket.{Name(action)}",
                $"Ticket {ticketId} is {stage}; {Name(action)} is allowed only from {string.Join(" or ", From(action))}.");
    }

    static IEnumerable<TicketStage> From(TicketAction action) => Transitions.Keys.Where(k => k.Item1 == action).Select(k => k.Item2);

    static string Name(TicketAction action) => action switch
    {
        TicketAction.VerifyPass or TicketAction.VerifyFail => "verify",
        _ => action.ToString().ToLowerInvariant(),
    };

    public static void EnsureReason(TicketAction action, string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw GridGovException.Violation(Fix.TicketLoop, $"ticket.{Name(action)}.reason", $"{action} needs a reason.");
    }
}
