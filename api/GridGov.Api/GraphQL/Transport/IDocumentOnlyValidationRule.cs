using GraphQL.Validation;
using GraphQLParser.AST;

namespace GridGov.Api.GraphQL.Transport;

/// <summary>
/// A validation rule whose verdict on a document is fixed unless the document passes it something that varies per
/// request (variables). <see cref="DocumentCache"/> runs such a rule once per cached document and operation, and again
/// on every request only when <see cref="DependsOnVariables"/> says so.
/// </summary>
public interface IDocumentOnlyValidationRule : IValidationRule
{
    /// <summary>True when a variable can change this rule's verdict on <paramref name="document"/>.</summary>
    bool DependsOnVariables(GraphQLDocument document);
}
