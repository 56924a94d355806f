using GraphQL;
using GraphQL.Execution;

namespace GridGov.Api.GraphQL.Schema;

/// <summary>A refusal as a GraphQL error: <c>extensions.code</c> plus, for rules, <c>extensions.rule</c> and <c>extensions.fix</c>.</summary>
public sealed class GridGovError : ExecutionError
{
    public GridGovError(string code, string message, string? rule = null, Fix? fix = null) : base(message)
    {
        Code = code;
        Rule = rule;
        Fix = fix;
    }

    public GridGovError(GridGovException e) : this(e.Code, e.Message, e.Rule, e.Fix) { }

    public string? Rule { get; }
    public Fix? Fix { get; }

    public static GridGovError Unauthenticated() => new("UNAUTHENTICATED", "Sign in: this field needs a bearer token.");
    public static GridGovError Forbidden(string message) => new(ErrorCodes.Forbidden, message, "access");
}

/// <summary>
/// Turns what a resolver threw into a typed GraphQL error: a grain's <see cref="GridGovException"/> (also wrapped by
/// Orleans), an unreachable cluster or database, a storage version conflict. Installed as the transport's
/// <see cref="Transport.GraphQLTransportOptions.MapException"/>, so it costs nothing on fields that do not throw.
/// </summary>
public static class GridGovErrors
{
    /// <summary>The cluster or its database did not answer (a retry may succeed); also used by the Open311 endpoints.</summary>
    internal static bool IsUnavailable(Exception e) => e is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException
        or Orleans.Runtime.Messaging.ConnectionFailedException or System.Data.Common.DbException
        || (e is OrleansException && e.InnerException is { } inner && IsUnavailable(inner));

    /// <summary>The client-facing error for <paramref name="e"/>, or null when it is a fault of ours (logged, "Internal error").</summary>
    public static ExecutionError? FromException(Exception e) => e switch
    {
        GridGovException g => new GridGovError(g),
        OrleansException { InnerException: GridGovException inner } => new GridGovError(inner),
        // The cluster or its database could not answer: nothing is known to be kept, and a retry may succeed.
        _ when IsUnavailable(e) => new GridGovError(ErrorCodes.Unavailable, "GridGov could not reach a silo or its database in time; retry shortly.", "service.unavailable"),
        // Optimistic concurrency: someone else changed this state first; nothing of this call was kept.
        Orleans.Storage.InconsistentStateException => new GridGovError(ErrorCodes.Conflict, "The state changed concurrently; read it again and retry.", "storage.version"),
        _ => null,
    };
}

/// <summary>Writes the rule and fix of a refusal beside its code.</summary>
public sealed class GridGovErrorInfoProvider() : ErrorInfoProvider(new ErrorInfoProviderOptions { ExposeExceptionDetails = false })
{
    public override ErrorInfo GetInfo(ExecutionError executionError)
    {
        var info = base.GetInfo(executionError);
        if (executionError is GridGovError { Rule: { } rule } e)
        {
            info.Extensions ??= new Dictionary<string, object?>();
            info.Extensions["rule"] = rule;
            if (e.Fix is { } fix && fix != Fix.Input) info.Extensions["fix"] = fix.ToString();
        }
        return info;
    }
}
