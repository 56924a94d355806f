using System.Security.Claims;
using System.Text.Json;
using GraphQL;
using GraphQL.Execution;
using GraphQL.SystemTextJson;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQL.Validation.Rules.Custom;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using Microsoft.Extensions.Options;

namespace GridGov.Api.GraphQL.Transport;

/// <summary>
/// Runs one GraphQL operation for either transport: builds the <see cref="ExecutionOptions"/> (schema and
/// executer from DI, validation rules, timeout, error policy, host hook) and hides unhandled exceptions.
/// </summary>
internal sealed class GraphQLRequestExecutor(
    IOptions<GraphQLTransportOptions> options,
    ILogger<GraphQLRequestExecutor> logger)
{
    private static readonly GraphQLSerializer FallbackSerializer = new();

    /// <summary>The serializer registered by the host (e.g. <c>AddSystemTextJson()</c>), else a default one.</summary>
    public static IGraphQLSerializer GetSerializer(IServiceProvider services)
        => services.GetService<IGraphQLSerializer>() ?? FallbackSerializer;

    /// <summary>
    /// The type of the operation the request selects, or null when that cannot be told without executing
    /// (syntax error, unknown or ambiguous operation name): the executer then reports the request error.
    /// </summary>
    public static OperationType? SelectOperationType(string query, string? operationName)
    {
        if (OperationTypes.TryGetValue((query, operationName), out var known)) return known;
        var type = ParseOperationType(query, operationName);
        if (OperationTypes.Count >= DocumentCache.Capacity) OperationTypes.Clear();
        OperationTypes.TryAdd((query, operationName), type);
        return type;
    }

    /// <summary>Operation types already worked out, by query text and operation name.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Query, string? Operation), OperationType?> OperationTypes = new();

    private static OperationType? ParseOperationType(string query, string? operationName)
    {
        GraphQLDocument document;
        try
        {
            document = Parser.Parse(query, new ParserOptions { Ignore = IgnoreOptions.All });
        }
        catch (GraphQLParserException)
        {
            return null;
        }

        GraphQLOperationDefinition? selected = null;
        foreach (var operation in document.Definitions.OfType<GraphQLOperationDefinition>())
        {
            if (string.IsNullOrEmpty(operationName))
            {
                if (selected is not null)
                {
                    return null; // several operations and no name: the executer reports it
                }

                selected = operation;
            }
            else if (operation.Name is not null && operation.Name.StringValue == operationName)
            {
                selected = operation;
                break;
            }
        }

        return selected?.Operation;
    }

    public async Task<ExecutionResult> ExecuteAsync(
        HttpContext httpContext,
        GraphQLTransportRequest request,
        OperationType? operationType,
        ClaimsPrincipal user,
        IDictionary<string, object?>? userContext,
        CancellationToken cancellationToken)
    {
        var services = httpContext.RequestServices;
        var schema = services.GetService<ISchema>()
            ?? throw new InvalidOperationException("No ISchema is registered; register one, e.g. services.AddGraphQL(b => b.AddSchema<TSchema>()).");
        var executer = services.GetService<IDocumentExecuter>()
            ?? throw new InvalidOperationException("No IDocumentExecuter is registered; call services.AddGraphQL(...).");
        var serializer = GetSerializer(services);
        var settings = options.Value;
        var rules = RulesFor(settings);

        var executionOptions = new ExecutionOptions
        {
            Schema = schema,
            Query = request.Query,
            OperationName = request.OperationName,
            Variables = ToInputs(serializer, request.Variables),
            Extensions = ToInputs(serializer, request.Extensions),
            RequestServices = services,
            User = user,
            CancellationToken = cancellationToken,
            ThrowOnUnhandledException = false,
            UnhandledExceptionDelegate = HandleUnhandledExceptionAsync,
            ValidationRules = rules.Full,
            CachedDocumentValidationRules = rules.Cached,
        };

        if (settings.ExecutionTimeout is { } timeout && operationType != OperationType.Subscription)
        {
            executionOptions.Timeout = timeout;
            executionOptions.TimeoutAction = TimeoutAction.ReturnTimeoutError;
        }

        if (userContext is not null)
        {
            foreach (var (key, value) in userContext)
            {
                executionOptions.UserContext[key] = value;
            }
        }

        if (settings.ConfigureExecution is { } configure)
        {
            await configure(httpContext, executionOptions).ConfigureAwait(false);
        }

        var result = await executer.ExecuteAsync(executionOptions).ConfigureAwait(false);
        HideUnhandledErrors(result);
        return result;
    }

    /// <summary>
    /// Replaces any <see cref="UnhandledError"/> still present (e.g. when a host hook swapped the delegate)
    /// by <see cref="GraphQLInternalError"/>, so exception messages and types never reach the client.
    /// </summary>
    public static void HideUnhandledErrors(ExecutionResult result)
    {
        if (result.Errors is not { Count: > 0 } errors || !errors.Any(e => e is UnhandledError))
        {
            return;
        }

        var cleaned = new ExecutionErrors();
        foreach (var error in errors)
        {
            cleaned.Add(error is UnhandledError unhandled ? GraphQLInternalError.Replacing(unhandled) : error);
        }

        result.Errors = cleaned;
    }

    private Task HandleUnhandledExceptionAsync(UnhandledExceptionContext context)
    {
        if (options.Value.MapException?.Invoke(context.OriginalException) is { } mapped)
        {
            context.Exception = mapped;
            return Task.CompletedTask;
        }

        logger.LogError(
            context.OriginalException,
            "Unhandled exception while executing GraphQL operation {OperationName} (field {Field})",
            context.ExecutionOptions?.OperationName,
            context.FieldContext?.FieldDefinition.Name);
        context.Exception = new GraphQLInternalError();
        return Task.CompletedTask;
    }

    /// <summary>
    /// The rule lists for <paramref name="settings"/>, built once per options instance (options are a singleton; rules
    /// added later, before the first request, are still picked up since the list is built on first use and whenever the
    /// options' rule count or introspection switch changes).
    /// </summary>
    private (IEnumerable<IValidationRule> Full, IEnumerable<IValidationRule> Cached) RulesFor(GraphQLTransportOptions settings)
    {
        var built = _rules;
        if (built is null || !ReferenceEquals(built.Settings, settings) || built.RuleCount != settings.ValidationRules.Count
            || built.Introspection != settings.EnableIntrospection)
        {
            built = new BuiltRules(settings, settings.ValidationRules.Count, settings.EnableIntrospection,
                BuildValidationRules(settings, core: true), BuildValidationRules(settings, core: false));
            _rules = built;
        }

        return (built.Full, built.Cached);
    }

    private BuiltRules? _rules;

    private sealed record BuiltRules(
        GraphQLTransportOptions Settings, int RuleCount, bool Introspection, IValidationRule[] Full, IValidationRule[] Cached);

    private static IValidationRule[] BuildValidationRules(GraphQLTransportOptions settings, bool core)
    {
        var rules = core ? new List<IValidationRule>(DocumentValidator.CoreRules) : [];
        if (!settings.EnableIntrospection)
        {
            rules.Add(core ? NoIntrospectionValidationRule.Instance : NoIntrospectionOnce.Instance);
        }

        rules.AddRange(settings.ValidationRules);
        return [.. rules];
    }

    /// <summary>GraphQL.NET's no-introspection rule, which reads only the document: a cached document runs it once.</summary>
    private sealed class NoIntrospectionOnce : IDocumentOnlyValidationRule
    {
        public static readonly NoIntrospectionOnce Instance = new();

        public bool DependsOnVariables(GraphQLDocument document) => false;

        public ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
            => NoIntrospectionValidationRule.Instance.GetPreNodeVisitorAsync(context);

        public ValueTask<IVariableVisitor?> GetVariableVisitorAsync(ValidationContext context)
            => NoIntrospectionValidationRule.Instance.GetVariableVisitorAsync(context);

        public ValueTask<INodeVisitor?> GetPostNodeVisitorAsync(ValidationContext context)
            => NoIntrospectionValidationRule.Instance.GetPostNodeVisitorAsync(context);
    }

    private static Inputs? ToInputs(IGraphQLSerializer serializer, JsonElement? element)
        => element is { } value ? serializer.ReadNode<Inputs>(value) ?? Inputs.Empty : null;
}

/// <summary>
/// What an unhandled exception looks like to clients: "Internal error", <c>extensions.code = "INTERNAL"</c>.
/// The exception itself is logged, never serialized.
/// </summary>
internal sealed class GraphQLInternalError : ExecutionError
{
    public const string ErrorCode = "INTERNAL";

    public GraphQLInternalError()
        : base("Internal error")
    {
        Code = ErrorCode;
    }

    public static GraphQLInternalError Replacing(ExecutionError original)
    {
        var replacement = new GraphQLInternalError { Path = original.Path };
        if (original.Locations is { } locations)
        {
            foreach (var location in locations)
            {
                replacement.AddLocation(location);
            }
        }

        return replacement;
    }
}
