using System.Collections.Concurrent;
using GraphQL;
using GraphQL.DI;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace GridGov.Api.GraphQL.Transport;

/// <summary>
/// Parsed and validated documents by query text and operation name. Clients send the same few queries with different
/// variables, so a known query skips parsing and every validation rule that does not depend on variables: the standard
/// rules, and each <see cref="ExecutionOptions.CachedDocumentValidationRules"/> rule that is an
/// <see cref="IDocumentOnlyValidationRule"/> and found no variable that could change its verdict. Only documents that
/// passed validation are kept; at <see cref="Capacity"/> the cache starts over.
/// </summary>
public sealed class DocumentCache : IConfigureExecution
{
    public const int Capacity = 1_000;

    readonly ConcurrentDictionary<(string Query, string? Operation), Entry> _documents = new();

    sealed record Entry(GraphQLDocument Document, IValidationRule[] Rerun);

    public float SortOrder => 200;

    public int Count => _documents.Count;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        if (options.Document is not null || options.Query is not { } query) return await next(options);
        var key = (query, options.OperationName);
        if (_documents.TryGetValue(key, out var entry))
        {
            options.Document = entry.Document;
            options.ValidationRules = entry.Rerun;
            return await next(options);
        }
        var cachedRules = options.CachedDocumentValidationRules ?? [];
        var result = await next(options);
        if (result.Executed && result.Document is { } validated)
        {
            if (_documents.Count >= Capacity) _documents.Clear();
            _documents.TryAdd(key, new Entry(validated, [.. cachedRules.Where(r => r is not IDocumentOnlyValidationRule d || d.DependsOnVariables(validated))]));
        }
        return result;
    }

    /// <summary>The rules a cached <paramref name="query"/> still runs on every request (for tests and diagnostics).</summary>
    public IReadOnlyList<IValidationRule>? RulesRerunFor(string query, string? operationName = null)
        => _documents.TryGetValue((query, operationName), out var entry) ? entry.Rerun : null;
}
