using GridGov.Api.GraphQL.Protection;
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

    [Fact]
    public async Task A_document_that_gives_the_limits_no_variable_is_measured_once()
    {
        var literal = "query LiteralSize($code: String!) { cells(jurisdiction: $code, first: 3) { edges { node { code } } } }";
        var sized = "query VariableSize($n: Int!) { cells(jurisdiction: \"1301\", first: $n) { edges { node { code } } } }";
        var included = "query Included($deep: Boolean!) { jurisdictionLive(code: \"1301\") { code } "
            + "cells(jurisdiction: \"1301\", first: 1000) @include(if: $deep) { edges { node { code name live { overdue pointsDue } } } } }";
        Assert.True((await api.Send(Supervisor, literal, new { code = "1301" })).Ok);
        Assert.True((await api.Send(Supervisor, sized, new { n = 2 })).Ok);
        var shallow = await api.Send(Supervisor, included, new { deep = false });
        Assert.True(shallow.Ok, shallow.Body.ToJsonString());

        Assert.DoesNotContain(Cache.RulesRerunFor(literal)!, r => r is QueryLimitsValidationRule);
        Assert.Contains(Cache.RulesRerunFor(sized)!, r => r is QueryLimitsValidationRule);
        Assert.Contains(Cache.RulesRerunFor(included)!, r => r is QueryLimitsValidationRule);

        // A variable that switches on a costly part is still measured on a cached document.
        var deep = await api.Send(Supervisor, included, new { deep = true });
        Assert.Equal("QUERY_TOO_COMPLEX", deep.Code);
        var literalAgain = await api.Send(Supervisor, literal, new { code = "1301" });
        Assert.True(literalAgain.Ok, literalAgain.Body.ToJsonString());
    }
}
