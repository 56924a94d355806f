using System.Globalization;
using GraphQL;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;
using GridGov.Api.GraphQL.Transport;

namespace GridGov.Api.GraphQL.Protection;

/// <summary>
/// Refuses, before execution, an operation nested deeper than <see cref="QueryLimitsOptions.MaxDepth"/>
/// (<c>QUERY_TOO_DEEP</c>) or costlier than <see cref="QueryLimitsOptions.MaxComplexity"/> (<c>QUERY_TOO_COMPLEX</c>).
/// </summary>
/// <remarks>
/// Only the selected operation is measured, with fragments expanded and <c>@skip</c>/<c>@include</c> applied.
/// Depth: a root field is 1, its subfields 2, and so on. Complexity: every field costs 1 times the product of
/// the multipliers above it; a list field, or a connection field (type named <c>*Connection</c> or taking
/// <c>first</c>/<c>last</c>), multiplies its selections by its <c>first</c>/<c>last</c> argument (variables
/// included) or else by <see cref="QueryLimitsOptions.DefaultListSize"/>; lists directly inside a connection
/// that was given a size (edges, nodes) do not multiply again.
/// Introspection (<c>__typename</c> and everything under <c>__schema</c>/<c>__type</c>) costs nothing, since it reads
/// only the schema, and a <c>ofType</c> chain does not deepen, so the standard introspection query of GraphiQL
/// and other tools passes; its depth is still limited.
/// </remarks>
public sealed class QueryLimitsValidationRule : ValidationRuleBase, IDocumentOnlyValidationRule
{
    public const string TooDeepCode = "QUERY_TOO_DEEP";
    public const string TooComplexCode = "QUERY_TOO_COMPLEX";

    /// <summary>Most field selections measured (after fragment expansion) before the operation is refused outright.</summary>
    public const int MaxSelections = 10_000;

    private readonly QueryLimitsOptions _limits;

    public QueryLimitsValidationRule(QueryLimitsOptions limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (limits.MaxDepth < 1 || limits.MaxComplexity < 1 || limits.DefaultListSize < 0)
        {
            throw new ArgumentException(
                $"{QueryLimitsOptions.SectionName}: MaxDepth and MaxComplexity must be at least 1 and DefaultListSize at least 0.", nameof(limits));
        }

        _limits = limits;
    }

    /// <inheritdoc />
    /// <remarks>Runs after the standard rules (and only when they passed), when argument values are known.</remarks>
    public override ValueTask<INodeVisitor?> GetPostNodeVisitorAsync(ValidationContext context)
    {
        if (!context.HasErrors && context.Operation is { } operation)
        {
            Check(context, operation);
        }

        return default;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The measure reads variables in two places only: a <c>first</c>/<c>last</c> argument and an <c>@skip</c>/<c>@include</c>
    /// condition. A document that puts no variable there gets the same verdict on every request.
    /// </remarks>
    public bool DependsOnVariables(GraphQLDocument document)
        => document.Definitions.Any(d => VariableInMeasure((d as IHasSelectionSetNode)?.SelectionSet));

    private static bool VariableInMeasure(GraphQLSelectionSet? set)
    {
        if (set is null) return false;
        foreach (var selection in set.Selections)
        {
            if (selection is IHasDirectivesNode { Directives: { } directives }
                && directives.Items.Any(d => d.Name.StringValue is "skip" or "include" && HasVariable(d.Arguments, null)))
            {
                return true;
            }

            if (selection is GraphQLField field && HasVariable(field.Arguments, SizeArguments)) return true;
            if (VariableInMeasure((selection as IHasSelectionSetNode)?.SelectionSet)) return true;
        }

        return false;
    }

    private static readonly string[] SizeArguments = ["first", "last"];

    /// <summary>Whether an argument (any, or one of <paramref name="names"/>) is given a variable.</summary>
    private static bool HasVariable(GraphQLArguments? arguments, string[]? names)
    {
        if (arguments is null) return false;
        foreach (var argument in arguments.Items)
        {
            if (argument.Value is GraphQLVariable && (names is null || names.Contains(argument.Name.StringValue))) return true;
        }

        return false;
    }

    private void Check(ValidationContext context, GraphQLOperationDefinition operation)
    {
        var measure = new Measure(context, _limits);
        var root = operation.Operation switch
        {
            OperationType.Mutation => context.Schema.Mutation,
            OperationType.Subscription => context.Schema.Subscription,
            _ => context.Schema.Query,
        };
        measure.Selections(operation.SelectionSet, root, depth: 1, multiplier: 1, insideSizedConnection: false, introspection: false);

        if (measure.Overflowed)
        {
            Report(context, TooComplexCode, operation, string.Create(CultureInfo.InvariantCulture,
                $"Query is too complex: it selects more than {MaxSelections:N0} fields once fragments are expanded."));
            return;
        }

        if (measure.MaxDepth > _limits.MaxDepth)
        {
            Report(context, TooDeepCode, measure.DeepestField ?? (ASTNode)operation, string.Create(CultureInfo.InvariantCulture,
                $"Query is too deep: depth {measure.MaxDepth} exceeds the limit of {_limits.MaxDepth}."));
        }

        if (measure.Complexity > _limits.MaxComplexity)
        {
            Report(context, TooComplexCode, operation, string.Create(CultureInfo.InvariantCulture,
                $"Query is too complex: complexity {measure.Complexity:N0} exceeds the limit of {_limits.MaxComplexity:N0} (each field costs 1; list and connection fields multiply their selections by first/last, or by {_limits.DefaultListSize} when not given)."));
        }
    }

    private static void Report(ValidationContext context, string code, ASTNode node, string message)
        => context.ReportError(new ValidationError(context.Document.Source, number: null, message, node) { Code = code });

    /// <summary>One walk over the selected operation.</summary>
    private sealed class Measure(ValidationContext context, QueryLimitsOptions limits)
    {
        private readonly HashSet<string> _fragmentPath = new(StringComparer.Ordinal);
        private Dictionary<string, GraphQLFragmentDefinition>? _fragments;
        private int _selections;

        public int MaxDepth { get; private set; }

        public GraphQLField? DeepestField { get; private set; }

        public double Complexity { get; private set; }

        public bool Overflowed => _selections > MaxSelections;

        public void Selections(GraphQLSelectionSet? set, IGraphType? parentType, int depth, double multiplier, bool insideSizedConnection, bool introspection)
        {
            if (set is null)
            {
                return;
            }

            foreach (var selection in set.Selections)
            {
                if (Overflowed || !context.ShouldIncludeNode(selection))
                {
                    continue;
                }

                switch (selection)
                {
                    case GraphQLField field:
                        Field(field, parentType, depth, multiplier, insideSizedConnection, introspection);
                        break;
                    case GraphQLInlineFragment inline:
                        Selections(inline.SelectionSet, TypeOf(inline.TypeCondition?.Type) ?? parentType, depth, multiplier, insideSizedConnection, introspection);
                        break;
                    case GraphQLFragmentSpread spread:
                        var name = spread.FragmentName.Name.StringValue;
                        if (Fragment(name) is { } fragment && _fragmentPath.Add(name))
                        {
                            Selections(fragment.SelectionSet, TypeOf(fragment.TypeCondition.Type) ?? parentType, depth, multiplier, insideSizedConnection, introspection);
                            _fragmentPath.Remove(name);
                        }

                        break;
                }
            }
        }

        private void Field(GraphQLField field, IGraphType? parentType, int depth, double multiplier, bool insideSizedConnection, bool introspection)
        {
            _selections++;
            if (depth > MaxDepth)
            {
                MaxDepth = depth;
                DeepestField = field;
            }

            var name = field.Name.StringValue;
            var schema = context.Schema;
            introspection |= name is "__typename" or "__schema" or "__type";
            var definition = name switch
            {
                "__typename" => schema.TypeNameMetaFieldType,
                "__schema" => schema.SchemaMetaFieldType,
                "__type" => schema.TypeMetaFieldType,
                _ => (parentType as IComplexGraphType)?.GetField(name),
            };

            if (!introspection)
            {
                Complexity += multiplier;
            }

            if (field.SelectionSet is null || definition?.ResolvedType is not { } type)
            {
                return;
            }

            var childDepth = introspection && name == "ofType" ? depth : depth + 1;
            var unwrapped = type is NonNullGraphType nonNull ? nonNull.ResolvedType : type;
            var size = SizeArgument(field);
            var childMultiplier = 1d;
            var sizedConnection = false;
            if (unwrapped is ListGraphType)
            {
                childMultiplier = size ?? (insideSizedConnection ? 1 : limits.DefaultListSize);
            }
            else if (IsConnection(definition, type))
            {
                childMultiplier = size ?? limits.DefaultListSize;
                sizedConnection = true;
            }

            Selections(field.SelectionSet, type.GetNamedType(), childDepth, multiplier * childMultiplier, sizedConnection, introspection);
        }

        private static bool IsConnection(FieldType definition, IGraphType type)
            => type.GetNamedType()?.Name.EndsWith("Connection", StringComparison.Ordinal) == true
               || definition.Arguments?.Find("first") is not null
               || definition.Arguments?.Find("last") is not null;

        /// <summary>The field's first (else last) argument, from a literal or a variable, when it is a non-negative int.</summary>
        private int? SizeArgument(GraphQLField field)
        {
            if (context.ArgumentValues?.TryGetValue(field, out var arguments) != true || arguments is null)
            {
                return null;
            }

            foreach (var name in (ReadOnlySpan<string>)["first", "last"])
            {
                if (arguments.TryGetValue(name, out var argument) && argument.Value is int value)
                {
                    return Math.Max(value, 0);
                }
            }

            return null;
        }

        private IGraphType? TypeOf(GraphQLNamedType? typeCondition)
            => typeCondition is null ? null : context.Schema.AllTypes[typeCondition.Name.Value];

        private GraphQLFragmentDefinition? Fragment(string name)
        {
            _fragments ??= context.Document.Definitions.OfType<GraphQLFragmentDefinition>()
                .GroupBy(f => f.FragmentName.Name.StringValue, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            return _fragments.GetValueOrDefault(name);
        }
    }
}
