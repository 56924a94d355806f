using GraphQL;
using GraphQL.Types;
using GridGov.Api.Auth;

namespace GridGov.Api.Tests.Auth;

/// <summary>
/// query { hello me actor node nodes(first,last) cells(first) } where
/// Node { id children(first) parent } and cells is a Relay-style NodeConnection { totalCount edges { node } }.
/// Lists resolve to at most 3 items, so even costly-looking queries run fast when the limits let them through.
/// </summary>
public sealed class SecuredToySchema : Schema
{
    public SecuredToySchema(IServiceProvider services)
        : base(services)
    {
        Query = new SecuredQuery();
    }
}

public sealed record ToyNode(int Id);

public sealed class SecuredQuery : ObjectGraphType
{
    public SecuredQuery()
    {
        Name = "Query";
        Field<StringGraphType>("hello").Resolve(_ => "hello");
        Field<StringGraphType>("me").Resolve(ctx => ctx.User.ToActor()?.Id);
        Field<StringGraphType>("actor").Resolve(ctx => ctx.User.ToActor() is { } a ? $"{a.Role} {a.Id} @{a.Scope}" : null);
        Field<ToyNodeType>("node").Resolve(_ => new ToyNode(1));
        Field<ListGraphType<ToyNodeType>>("nodes")
            .Argument<IntGraphType>("first")
            .Argument<IntGraphType>("last")
            .Resolve(ctx => ToyNodeType.Some(ctx.GetArgument<int?>("first") ?? ctx.GetArgument<int?>("last")));
        Field<NodeConnectionType>("cells")
            .Argument<IntGraphType>("first")
            .Resolve(ctx => ToyNodeType.Some(ctx.GetArgument<int?>("first")));
    }
}

public sealed class ToyNodeType : ObjectGraphType<ToyNode>
{
    public ToyNodeType()
    {
        Name = "Node";
        Field(n => n.Id);
        Field<ListGraphType<ToyNodeType>>("children")
            .Argument<IntGraphType>("first")
            .Resolve(ctx => Some(ctx.GetArgument<int?>("first")));
        Field<ToyNodeType>("parent").Resolve(ctx => new ToyNode(ctx.Source.Id + 1));
    }

    public static ToyNode[] Some(int? first) => [.. Enumerable.Range(1, Math.Clamp(first ?? 2, 0, 3)).Select(i => new ToyNode(i))];
}

public sealed class NodeConnectionType : ObjectGraphType<ToyNode[]>
{
    public NodeConnectionType()
    {
        Name = "NodeConnection";
        Field<IntGraphType>("totalCount").Resolve(ctx => ctx.Source.Length);
        Field<ListGraphType<NodeEdgeType>>("edges").Resolve(ctx => ctx.Source);
    }
}

public sealed class NodeEdgeType : ObjectGraphType<ToyNode>
{
    public NodeEdgeType()
    {
        Name = "NodeEdge";
        Field<ToyNodeType>("node").Resolve(ctx => ctx.Source);
    }
}
