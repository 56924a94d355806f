namespace GridGov.Grains;

/// <summary>
/// A citizen account (随手拍, key: citizen id): profile and contact, block status, per-citizen rate limit and the
/// receipts of their reports. Every citizen report goes through here.
/// </summary>
public interface ICitizenGrain : IGrainWithStringKey
{
    /// <summary>Registers or updates the account: by the citizen, or by a platform on their behalf (Open311).</summary>
    Task<CitizenProfile> Register(RegisterCitizen command, Actor by);
    Task<CitizenProfile> Get();
    /// <summary>The profile, or null when this citizen has not registered.</summary>
    Task<CitizenProfile?> Find();
    /// <summary>Files a report as this citizen; refused when blocked or over the rate limit.</summary>
    Task<ReportReceipt> Submit(CitizenReport report);
    /// <summary>Receipts of this citizen's reports, newest first (none before registering).</summary>
    Task<ReportReceipt[]> GetReports();
    Task<CitizenProfile> Block(string reason, Actor by);
    Task<CitizenProfile> Unblock(Actor by);
}

/// <summary>
/// A citizen's reward ledger (key: citizen id). Each credit and redemption carries a reference and is applied
/// at most once; the balance never goes below zero.
/// </summary>
public interface IRewardLedgerGrain : IGrainWithStringKey
{
    /// <summary>Credits points once per reference (a retry returns the first entry).</summary>
    Task<LedgerEntry> Credit(string reference, int points, string note);
    /// <summary>Debits points once per redemption id; refused when the balance is short.</summary>
    Task<LedgerEntry> Redeem(string redemptionId, int points, string item);
    Task<RewardLedger> Get();
}
