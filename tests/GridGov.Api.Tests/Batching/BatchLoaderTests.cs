using GraphQL;
using GraphQL.SystemTextJson;
using GraphQL.Types;
using GridGov.Api.GraphQL.Schema;

namespace GridGov.Api.Tests.Batching;

/// <summary>N+1: a list whose items each load a linked object costs one batch, not one call per item.</summary>
public sealed class BatchLoaderTests
{
    sealed record Item(int Id, string Link);

    [Fact]
    public async Task A_list_of_items_resolves_their_links_in_one_batch_with_duplicates_folded()
    {
        var fetches = new List<string[]>();
        var loader = new BatchLoader<string, string>((keys, _) =>
        {
            fetches.Add(keys.ToArray());
            return Task.FromResult<IReadOnlyDictionary<string, string>>(keys.ToDictionary(k => k, k => k.ToUpperInvariant()));
        });

        var item = new ObjectGraphType<Item> { Name = "Item" };
        item.Field<IntGraphType>("id").Resolve(c => c.Source.Id);
        item.Field<StringGraphType>("link").Resolve(c => loader.Load(c.Source.Link));
        var query = new ObjectGraphType { Name = "Query" };
        query.Field<ListGraphType<ObjectGraphType<Item>>>("items").Type(new ListGraphType(item))
            .Resolve(_ => Enumerable.Range(0, 10).Select(i => new Item(i, $"cell-{i % 4}")).ToList());
        var schema = new global::GraphQL.Types.Schema { Query = query };

        var result = await new DocumentExecuter().ExecuteAsync(o =>
        {
            o.Schema = schema;
            o.Query = "{ items { id link } }";
        });

        Assert.Null(result.Errors);
        var json = new GraphQLSerializer().Serialize(result);
        Assert.Contains("\"link\":\"CELL-3\"", json);
        var batch = Assert.Single(fetches);
        Assert.Equal(["cell-0", "cell-1", "cell-2", "cell-3"], batch.Order());
        Assert.Equal(1, loader.Batches);
    }
}
