namespace GridGov.Api.GraphQL.Schema;

/// <summary>The GridGov schema: queries, mutations and subscriptions over the grid's grains.</summary>
public sealed class GridGovSchema : global::GraphQL.Types.Schema
{
    public GridGovSchema(IServiceProvider services) : base(services)
    {
        Query = new QueryType();
        Mutation = new MutationType();
        Subscription = new SubscriptionType();
    }
}
