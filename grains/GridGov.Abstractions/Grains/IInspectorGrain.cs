namespace GridGov.Grains;

/// <summary>An inspector (网格员, key: inspector id): cells held, leave, cover duties and quotas.</summary>
public interface IInspectorGrain : IWakeable
{
    Task<InspectorInfo> Register(RegisterInspector command);
    /// <summary>Answers at once, even while the inspector is saving a visit (it reads only memory).</summary>
    [AlwaysInterleave] Task<InspectorInfo> Get();

    /// <summary>Called by a cell: refused beyond the city's limit of primary cells.</summary>
    Task ClaimPrimary(string cellCode, int maxCells);
    Task ReleasePrimary(string cellCode);
    Task ClaimBackup(string cellCode);
    Task ReleaseBackup(string cellCode);
    /// <summary>Called by a cell arranging cover: refused when this inspector is on leave then.</summary>
    Task CommitCover(CoverDuty duty);
    Task ReleaseCover(CoverDuty duty);

    Task<LeaveGrant> RequestLeave(Leave leave);
    Task<InspectorInfo> SetQuota(Quota quota, Actor by);
    /// <summary>Counted check-ins, in the order they happened, as batched by a silo's InspectorVisits.</summary>
    [OneWay] Task RecordVisits([Immutable] InspectorVisit[] visits);
    /// <summary>A window this inspector was on duty for closed with every point visited.</summary>
    [OneWay] Task RecordWindowCompleted(string windowId, DateTimeOffset at);
    Task<QuotaProgress?> GetProgress();
    Task<QuotaShortfall[]> GetShortfalls();
}
