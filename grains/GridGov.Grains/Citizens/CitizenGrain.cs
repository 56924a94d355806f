namespace GridGov.Grains.Citizens;

[GenerateSerializer]
public sealed class CitizenState
{
    [Id(0)] public CitizenProfile? Profile { get; set; }
    /// <summary>When recent reports were accepted, for the rate limit.</summary>
    [Id(1)] public List<DateTimeOffset> Recent { get; set; } = new();
    [Id(2)] public List<ReportReceipt> Reports { get; set; } = new();
}

/// <summary>
/// A citizen (随手拍): registration, block status and rate limit are checked here before a report reaches the
/// intake; one report at a time per citizen, so the limit is exact.
/// </summary>
public sealed class CitizenGrain(
    [PersistentState("citizen", GridGovStorage.Name)] IPersistentState<CitizenState> state,
    AlarmClock alarms,
    IGrainFactory grains) : Grain, ICitizenGrain
{
    string? _id;
    string Id => _id ??= this.GetPrimaryKeyString();
    CitizenProfile Profile => state.State.Profile
        ?? throw GridGovException.Forbidden(Fix.Citizen, "citizen.not-registered", $"Citizen {Id} has not registered.");

    public async Task<CitizenProfile> Register(RegisterCitizen command, Actor by)
    {
        var city = CitizenRules.CityOfRegistrar(Id, by);
        CitizenRules.ValidateRegistration(command);
        if (state.State.Profile is { } existing && existing.City != city)
            throw GridGovException.Conflict("citizen.city", $"Citizen {Id} is registered in city {existing.City}, not {city}.");
        state.State.Profile = state.State.Profile is { } p
            ? p with { Name = command.Name.Trim(), Phone = command.Phone?.Trim() ?? "", Email = command.Email?.Trim() }
            : new CitizenProfile(Id, city, command.Name.Trim(), command.Phone?.Trim() ?? "", command.Email?.Trim(), alarms.Now);
        await state.WriteStateAsync();
        return state.State.Profile;
    }

    public Task<CitizenProfile> Get() => Task.FromResult(Profile);

    public Task<CitizenProfile?> Find() => Task.FromResult(state.State.Profile);

    public async Task<ReportReceipt> Submit(CitizenReport report)
    {
        var citizen = Profile;
        CitizenRules.EnsureNotBlocked(citizen);
        var settings = await grains.GetGrain<ICityGrain>(citizen.City).GetSettings();
        var now = alarms.Now;
        CitizenRules.EnsureWithinRate(state.State.Recent, now, settings.CitizenReportsPerHour, settings.CitizenReportsPerDay);
        var receipt = await grains.GetGrain<ITicketIntakeGrain>(citizen.City)
            .Report(CitizenRules.ToIssue(report), new Actor(Id, Role.Citizen, citizen.City));
        state.State.Recent = CitizenRules.Prune(state.State.Recent, now);
        state.State.Recent.Add(now);
        state.State.Reports.Add(receipt);
        await state.WriteStateAsync();
        return receipt;
    }

    public Task<ReportReceipt[]> GetReports() => Task.FromResult(Enumerable.Reverse(state.State.Reports).ToArray());

    public async Task<CitizenProfile> Block(string reason, Actor by)
    {
        CitizenRules.EnsureCanBlock(Profile, by);
        if (string.IsNullOrWhiteSpace(reason))
            throw GridGovException.Invalid("citizen.block.reason", "Blocking a citizen needs a reason.");
        state.State.Profile = Profile with { Blocked = true, BlockedReason = reason.Trim(), BlockedBy = by.Id, BlockedAt = alarms.Now };
        await state.WriteStateAsync();
        return Profile;
    }

    public async Task<CitizenProfile> Unblock(Actor by)
    {
        CitizenRules.EnsureCanBlock(Profile, by);
        if (!Profile.Blocked) return Profile;
        state.State.Profile = Profile with { Blocked = false, BlockedReason = null, BlockedBy = null, BlockedAt = null };
        await state.WriteStateAsync();
        return Profile;
    }
}
