using System.Collections.Concurrent;
using GraphQL;
using GraphQL.DI;
using GraphQLParser.AST;

namespace GridGov.Api.GraphQL.Transport;

/// <summary>
/// Parsed and validated documents by query text. Clients send the same few queries with different variables,
/// so a known query skips parsing and every validation rule that does not depend on variables (the executor's
/// <see cref="ExecutionOptions.CachedDocumentValidationRules"/> still run). Only documents that passed
/// validation are kept; at <see cref="Capacity"/> the cache starts over.
/// </summary>
public sealed class DocumentCache : IConfigureExecution
{
    public const int Capacity = 1_000;

    readonly ConcurrentDictionary<string, GraphQLDocument> _documents = new(StringComparer.Ordinal);

    public float SortOrder => 200;

    public int Count => _documents.Count;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        if (options.Document is not null || options.Query is not { } query) return await next(options);
        if (_documents.TryGetValue(query, out var document))
        {
            options.Document = document;
            options.ValidationRules = options.CachedDocumentValidationRules ?? [];
            return await next(options);
        }
        var result = await next(options);
        if (result.Executed && result.Document is { } validated)
        {
            if (_documents.Count >= Capacity) _documents.Clear();
            _documents.TryAdd(query, validated);
        }
        return result;
    }
}
