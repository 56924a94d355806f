namespace GridGov.Grains;

/// <summary>A ticket (工单/案卷, key: ticket id) going round the closed loop; every transition is appended to its history.</summary>
public interface ITicketGrain : IWakeable
{
    Task<TicketInfo> Open(OpenTicket command);
    Task<TicketInfo> Get();
    Task<TicketInfo> Accept(Actor by, string? note = null);
    Task<TicketInfo> Reject(Actor by, string reason);
    Task<TicketInfo> MergeInto(string ticketId, Actor by);
    /// <summary>Dispatches to the routed unit, or to <paramref name="unitId"/> when a supervisor re-routes.</summary>
    Task<TicketInfo> Dispatch(Actor by, string? unitId = null, string? note = null);
    Task<TicketInfo> Return(Actor by, string reason);
    Task<TicketInfo> Handle(Actor by, [Immutable] string[] evidence, string? note = null);
    Task<TicketInfo> Verify(Actor by, bool passed, [Immutable] string[] evidence, string? note = null);
    Task<TicketInfo> Close(Actor by, string? note = null);
    Task<TicketInfo> Escalate(Actor by, string reason);
    /// <summary>Attaches a later report of the same problem; refused when the ticket is no longer open.</summary>
    Task<TicketInfo> Attach(ReportAttachment report);
    /// <summary>Delivers a reward still owed to the reporter, if any (also done on activation and wake).</summary>
    Task DeliverReward();
}

/// <summary>
/// Entry point for reports from any source (key: city code): finds the cell, looks for an open duplicate nearby
/// (non-inspector sources), and opens a ticket or attaches the report to the duplicate. Every report gets a receipt.
/// </summary>
public interface ITicketIntakeGrain : IGrainWithStringKey
{
    Task<ReportReceipt> Report(ReportIssue report, Actor reporter);
}

/// <summary>A report's receipt (key: receipt id, the Open311 token).</summary>
public interface IReportReceiptGrain : IGrainWithStringKey
{
    Task Record(ReportReceipt receipt);
    Task<ReportReceipt> Get();
}

/// <summary>A responsible unit's work queue (key: unit id): the tickets dispatched to it.</summary>
public interface IResponsibleUnitGrain : IGrainWithStringKey
{
    Task Track(string ticketId, TicketStage stage);
    Task<Dictionary<string, TicketStage>> GetQueue();
}
