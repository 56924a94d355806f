using GridGov.Api.GraphQL.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Api.Tests.Api;

/// <summary>A repeated query skips parsing and static validation, but never a rule that reads variables.</summary>
[Collection(ApiCollection.Name)]
public sealed class DocumentCacheTests(ApiFixture api)
{
    static readonly Actor Supervisor = new("sup-cache", Role.Supervisor, "1301");

    DocumentCache Cache => api.App.Services.GetRequiredService<DocumentCache>();

    [Fact]
    public async Task A_valid_query_is_kept_and_answers_the_same_an_invalid_one_is_not_kept()
    {
        var query = "query CacheProbe($code: String!) { jurisdictionLive(code: $code) { code overdue } }";
        var first = await api.Send(Supervisor, query, new { code = "1301" });
        Assert.True(first.Ok, first.Body.ToJsonString());
        var kept = Cache.Count;
        var second = await api.Send(Supervisor, query, new { code = "1301" });
        Assert.Equal(first.Body.ToJsonString(), second.Body.ToJsonString());
        Assert.Equal(kept, Cache.Count);

        var invalid = "{ jurisdictionLive(code: \"1301\") { noSuchField } }";
        for (var i = 0; i < 2; i++)
        {
            var refused = await api.Send(Supervisor, invalid);
            Assert.False(refused.Ok);
            Assert.Null(refused.Data?["jurisdictionLive"]);
        }
        Assert.Equal(kept, Cache.Count);
    }

    [Fact]
    public async Task The_complexity_limit_still_reads_the_variables_of_a_cached_query()
    {
        var query = "query Many($n: Int!) { cells(jurisdiction: \"1301\", first: $n) { edges { node { code name live { overdue } } } } }";
        var small = await api.Send(Supervisor, query, new { n = 2 });
        Assert.True(small.Ok, small.Body.ToJsonString());
        var again = await api.Send(Supervisor, query, new { n = 2 });
        Assert.True(again.Ok);
        var huge = await api.Send(Supervisor, query, new { n = 1_000_000 });
        Assert.Equal("QUERY_TOO_COMPLEX", huge.Code);
    }
}
