namespace GridGov.Grains.Citizens;

[GenerateSerializer]
public sealed class RewardLedgerState
{
    [Id(0)] public List<LedgerEntry> Entries { get; set; } = new();
    public int Balance => Entries.Count == 0 ? 0 : Entries[^1].BalanceAfter;
}

/// <summary>
/// A citizen's reward points (积分). Each reference is applied once (a retry gets the first entry back), a
/// redemption never takes the balance below zero, and an entry is acknowledged only after it is saved.
/// </summary>
public sealed class RewardLedgerGrain(
    [PersistentState("ledger", GridGovStorage.Name)] IPersistentState<RewardLedgerState> state,
    AlarmClock alarms) : Grain, IRewardLedgerGrain
{
    Dictionary<string, LedgerEntry>? _byReference;

    Dictionary<string, LedgerEntry> ByReference => _byReference ??= state.State.Entries.ToDictionary(e => e.Reference);

    public Task<LedgerEntry> Credit(string reference, int points, string note)
    {
        if (string.IsNullOrWhiteSpace(reference)) throw GridGovException.Invalid("reward.reference", "A credit needs a reference.");
        Rewards.ValidateAmount(points);
        return Apply(reference, LedgerKind.Credit, points, note);
    }

    public Task<LedgerEntry> Redeem(string redemptionId, int points, string item)
    {
        if (string.IsNullOrWhiteSpace(redemptionId)) throw GridGovException.Invalid("reward.redemption-id", "A redemption needs an id (it makes retries safe).");
        if (string.IsNullOrWhiteSpace(item)) throw GridGovException.Invalid("reward.item", "Name what the points are redeemed for.");
        Rewards.ValidateAmount(points);
        return Apply(Rewards.RedemptionReference(redemptionId), LedgerKind.Debit, points, item.Trim());
    }

    async Task<LedgerEntry> Apply(string reference, LedgerKind kind, int points, string note)
    {
        if (ByReference.TryGetValue(reference, out var existing))
        {
            Rewards.EnsureSameRequest(existing, kind, points);
            return existing;
        }
        if (kind == LedgerKind.Debit) Rewards.EnsureCanRedeem(state.State.Balance, points);
        var balance = state.State.Balance + (kind == LedgerKind.Credit ? points : -points);
        var entry = new LedgerEntry(state.State.Entries.Count + 1, alarms.Now, kind, points, balance, reference, note);
        state.State.Entries.Add(entry);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Not saved: forget it in memory too, so the balance is never ahead of storage.
            state.State.Entries.RemoveAt(state.State.Entries.Count - 1);
            throw;
        }
        ByReference[reference] = entry;
        return entry;
    }

    public Task<RewardLedger> Get()
    {
        var entries = state.State.Entries;
        return Task.FromResult(new RewardLedger(this.GetPrimaryKeyString(), state.State.Balance,
            entries.Where(e => e.Kind == LedgerKind.Credit).Sum(e => e.Points),
            entries.Where(e => e.Kind == LedgerKind.Debit).Sum(e => e.Points),
            [.. entries]));
    }
}
