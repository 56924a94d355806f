using GridGov.Api.GraphQL.Transport;

namespace GridGov.Api.GraphQL.Protection;

/// <summary>Limits on what one GraphQL operation may ask for; bound from <c>GridGov:QueryLimits</c>.</summary>
public sealed class QueryLimitsOptions
{
    public const string SectionName = "GridGov:QueryLimits";

    /// <summary>Deepest allowed nesting of fields (a root field is depth 1). Default 12.</summary>
    public int MaxDepth { get; set; } = 12;

    /// <summary>Highest allowed complexity (see <see cref="QueryLimitsValidationRule"/>). Default 2,000.</summary>
    public int MaxComplexity { get; set; } = 2_000;

    /// <summary>The assumed size of a list or connection whose <c>first</c>/<c>last</c> is not given. Default 20.</summary>
    public int DefaultListSize { get; set; } = 20;

    /// <summary>
    /// Longest run time of a query or mutation, in seconds, applied to <see cref="GraphQLTransportOptions.ExecutionTimeout"/>;
    /// 0 or less turns the limit off; null (default) keeps the transport's default (30 s).
    /// </summary>
    public double? ExecutionTimeoutSeconds { get; set; }

    /// <summary>Reads the options from <paramref name="configuration"/> (section <see cref="SectionName"/>).</summary>
    public static QueryLimitsOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new QueryLimitsOptions();
        configuration.GetSection(SectionName).Bind(options);
        return options;
    }
}

public static class QueryLimitsExtensions
{
    /// <summary>
    /// Appends <see cref="QueryLimitsValidationRule"/> (QUERY_TOO_DEEP, QUERY_TOO_COMPLEX) to the transport's
    /// validation rules and applies <see cref="QueryLimitsOptions.ExecutionTimeoutSeconds"/> (TIMEOUT).
    /// </summary>
    public static GraphQLTransportOptions AddQueryLimits(this GraphQLTransportOptions options, QueryLimitsOptions limits)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(limits);
        options.ValidationRules.Add(new QueryLimitsValidationRule(limits));
        if (limits.ExecutionTimeoutSeconds is { } seconds)
        {
            options.ExecutionTimeout = seconds > 0 ? TimeSpan.FromSeconds(seconds) : null;
        }

        return options;
    }
}
