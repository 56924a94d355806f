using System.Text.RegularExpressions;

namespace GridGov.Citizens;

/// <summary>随手拍: who may register and report, and how often.</summary>
public static partial class CitizenRules
{
    [GeneratedRegex(@"^\+?[0-9][0-9 \-]{5,19}$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    public static void ValidateRegistration(RegisterCitizen command)
    {
        if (string.IsNullOrWhiteSpace(command.Name) || command.Name.Length > 100)
            throw GridGovException.Invalid("citizen.name", "A citizen needs a name of 1–100 characters.");
        if (string.IsNullOrWhiteSpace(command.Phone) && string.IsNullOrWhiteSpace(command.Email))
            throw GridGovException.Invalid("citizen.contact", "A citizen needs a phone number or an e-mail address.");
        if (!string.IsNullOrWhiteSpace(command.Phone) && !PhonePattern().IsMatch(command.Phone))
            throw GridGovException.Invalid("citizen.phone", $"'{command.Phone}' is not a phone number (6–20 digits, optional +).");
        if (command.Email is { } email && !EmailPattern().IsMatch(email))
            throw GridGovException.Invalid("citizen.email", $"'{email}' is not an e-mail address.");
    }

    /// <summary>The citizen registers themself; a platform (or GridGov) may register residents of its city on their behalf.</summary>
    public static string CityOfRegistrar(string citizenId, Actor by)
    {
        var own = by.Role == Role.Citizen && by.Id == citizenId;
        if (!own && by.Role is not (Role.Platform or Role.System))
            throw GridGovException.Forbidden(Fix.Citizen, "citizen.register", $"{by.Id} cannot register citizen {citizenId}.");
        if (JurisdictionCode.LevelOf(by.Scope) is null)
            throw GridGovException.Forbidden(Fix.Citizen, "citizen.register", $"{by.Id} does not act in a city.");
        return JurisdictionCode.CityOf(by.Scope);
    }

    public static void EnsureNotBlocked(CitizenProfile citizen)
    {
        if (citizen.Blocked)
            throw GridGovException.Forbidden(Fix.Citizen, "citizen.blocked",
                $"Citizen {citizen.Id} was blocked by a supervisor at {citizen.BlockedAt:u} ({citizen.BlockedReason}); reports are refused.");
    }

    /// <summary>Supervisors of the citizen's city (at any level) block and unblock.</summary>
    public static void EnsureCanBlock(CitizenProfile citizen, Actor by)
    {
        if (by.Role is not (Role.Supervisor or Role.System))
            throw GridGovException.Forbidden(Fix.Citizen, "citizen.block.role", $"Only a supervisor blocks citizens; {by.Id} is a {by.Role}.");
        if (by.Role == Role.Supervisor && (JurisdictionCode.LevelOf(by.Scope) is null || JurisdictionCode.CityOf(by.Scope) != citizen.City))
            throw GridGovException.Forbidden(Fix.Citizen, "citizen.block.jurisdiction", $"Citizen {citizen.Id} lives in city {citizen.City}, outside {by.Id}'s jurisdiction {by.Scope}.");
    }

    /// <summary>
    /// Per-citizen rate limit over rolling windows. <paramref name="recent"/> are the times of accepted reports.
    /// Refused with the time the next report will be allowed.
    /// </summary>
    public static void EnsureWithinRate(IReadOnlyList<DateTimeOffset> recent, DateTimeOffset now, int perHour, int perDay)
    {
        Check(TimeSpan.FromHours(1), perHour, "hour");
        Check(TimeSpan.FromDays(1), perDay, "24 hours");

        void Check(TimeSpan window, int limit, string name)
        {
            var inWindow = recent.Where(t => t > now - window).Order().ToList();
            if (inWindow.Count < limit) return;
            var nextAt = inWindow[inWindow.Count - limit] + window;
            throw GridGovException.Violation(Fix.Citizen, "citizen.rate-limit",
                $"At most {limit} reports per {name}; the next one is allowed from {nextAt:u}.");
        }
    }

    /// <summary>Times still relevant to the rate limit.</summary>
    public static List<DateTimeOffset> Prune(IEnumerable<DateTimeOffset> recent, DateTimeOffset now) =>
        recent.Where(t => t > now - TimeSpan.FromDays(1)).ToList();

    public static ReportIssue ToIssue(CitizenReport report) =>
        new(report.Category, report.Severity, TicketSource.Citizen, report.Location, report.Description, report.Evidence, null, report.Address);
}

/// <summary>随手拍 rewards (积分): a ledger that credits each reference once and never goes below zero.</summary>
public static class Rewards
{
    public const int MaxPoints = 100_000;

    /// <summary>The reference a ticket's acceptance credits under: one credit per ticket, ever.</summary>
    public static string TicketReference(string ticketId) => $"ticket:{ticketId}";

    public static string RedemptionReference(string redemptionId) => $"redeem:{redemptionId}";

    public static void ValidateAmount(int points)
    {
        if (points is <= 0 or > MaxPoints)
            throw GridGovException.Invalid("reward.points", $"Points must be 1–{MaxPoints}; got {points}.");
    }

    /// <summary>Redeeming must not take the balance below zero.</summary>
    public static void EnsureCanRedeem(int balance, int points)
    {
        if (points > balance)
            throw GridGovException.Violation(Fix.Citizen, "reward.overdraw", $"Redeeming {points} points needs a balance of {points}; the balance is {balance}.");
    }

    /// <summary>A retried reference must ask for the same thing it asked the first time.</summary>
    public static void EnsureSameRequest(LedgerEntry existing, LedgerKind kind, int points)
    {
        if (existing.Kind != kind || existing.Points != points)
            throw GridGovException.Conflict("reward.reference", $"Reference {existing.Reference} was already used for {existing.Kind} of {existing.Points} points.");
    }
}
