using GraphQL;
using GraphQL.Execution;
using GraphQL.Instrumentation;

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

/// <summary>Turns a grain's <see cref="GridGovException"/> into a typed GraphQL error for every field.</summary>
public sealed class GridGovErrorMiddleware : IFieldMiddleware
{

    /// <summary>The cluster or its database did not answer (a retry may succeed); also used by the Open311 endpoints.</summary>
    internal static bool IsUnavailable(Exception e) => e is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException
        or Orleans.Runtime.Messaging.ConnectionFailedException or System.Data.Common.DbException
        || (e is OrleansException && e.InnerException is { } inner && IsUnavailable(inner));

    public async ValueTask<object?> ResolveAsync(IResolveFieldContext context, FieldMiddlewareDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (GridGovException e)
        {
            throw new GridGovError(e);
        }
        catch (OrleansException e) when (e.InnerException is GridGovException inner)
        {
            throw new GridGovError(inner);
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            // The cluster or its database could not answer: nothing is known to be kept, and a retry may succeed.
            throw new GridGovError(ErrorCodes.Unavailable, "GridGov could not reach a silo or its database in time; retry shortly.", "service.unavailable");
        }
        catch (Orleans.Storage.InconsistentStateException)
        {
            // Optimistic concurrency: someone else changed this state first; nothing of this call was kept.
            throw new GridGovError(ErrorCodes.Conflict, "The state changed concurrently; read it again and retry.", "storage.version");
        }
    }
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
