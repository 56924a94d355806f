namespace GridGov;

/// <summary>Which of the eight fixes (八定), or the ticket loop, a rule belongs to.</summary>
public enum Fix
{
    /// <summary>定格: cells, codes, boundaries.</summary>
    Cell,
    /// <summary>定人: primary and backup inspectors.</summary>
    Person,
    /// <summary>定责: duty lists and responsible units.</summary>
    Duty,
    /// <summary>定线: patrol routes.</summary>
    Route,
    /// <summary>定时: patrol windows.</summary>
    Time,
    /// <summary>定量: quotas.</summary>
    Quantity,
    /// <summary>定质: distance, evidence, deadlines, verification.</summary>
    Quality,
    /// <summary>定考核: scores, weights, cards.</summary>
    Evaluation,
    /// <summary>闭环: the ticket loop's stage transitions.</summary>
    TicketLoop,
    /// <summary>随手拍: citizen accounts, duplicates, rewards and abuse control.</summary>
    Citizen,
    /// <summary>Shape of the input itself (missing fields, bad formats).</summary>
    Input,
}

/// <summary>Error codes a caller can branch on; the API maps them one to one.</summary>
public static class ErrorCodes
{
    public const string RuleViolation = "RULE_VIOLATION";
    public const string NotFound = "NOT_FOUND";
    public const string Conflict = "CONFLICT";
    public const string Validation = "VALIDATION";
    public const string Forbidden = "FORBIDDEN";
    public const string Unavailable = "UNAVAILABLE";
}

/// <summary>
/// A refused command. It names the rule it broke (e.g. <c>cell.no-overlap</c>) and the fix the rule
/// belongs to. A grain throws it before changing any state.
/// </summary>
[GenerateSerializer]
public sealed class GridGovException : Exception
{
    public GridGovException(string code, Fix fix, string rule, string message) : base(message)
    {
        Code = code;
        Fix = fix;
        Rule = rule;
    }

    [Id(0)] public string Code { get; }
    [Id(1)] public Fix Fix { get; }
    [Id(2)] public string Rule { get; }

    public static GridGovException Violation(Fix fix, string rule, string message) =>
        new(ErrorCodes.RuleViolation, fix, rule, message);

    public static GridGovException NotFound(string what, string id) =>
        new(ErrorCodes.NotFound, Fix.Input, "exists", $"{what} '{id}' does not exist.");

    public static GridGovException Invalid(string rule, string message) =>
        new(ErrorCodes.Validation, Fix.Input, rule, message);

    public static GridGovException Forbidden(Fix fix, string rule, string message) =>
        new(ErrorCodes.Forbidden, fix, rule, message);

    public static GridGovException Conflict(string rule, string message) =>
        new(ErrorCodes.Conflict, Fix.Input, rule, message);

    /// <summary>A dependency (the database) failed; nothing of the call is known to be kept, and a retry may succeed.</summary>
    public static GridGovException Unavailable(string rule, string message) =>
        new(ErrorCodes.Unavailable, Fix.Input, rule, message);

    public override string ToString() => $"{Code} [{Rule}] {Message}";
}
