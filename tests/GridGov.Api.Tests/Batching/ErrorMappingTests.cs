using GridGov.Api.GraphQL.Schema;

namespace GridGov.Api.Tests.Batching;

/// <summary>Refusals from grains and storage come out as typed GraphQL errors.</summary>
public sealed class ErrorMappingTests
{
    static Task<GridGovError> Map(Exception thrown) => Task.FromResult(Assert.IsType<GridGovError>(GridGovErrors.FromException(thrown)));

    [Fact]
    public void A_fault_of_ours_is_not_mapped_and_stays_an_internal_error()
    {
        Assert.Null(GridGovErrors.FromException(new InvalidOperationException("bug")));
        Assert.Null(GridGovErrors.FromException(new NullReferenceException()));
    }

    [Fact]
    public async Task A_refusal_wrapped_by_Orleans_keeps_its_code()
    {
        var e = await Map(new OrleansException("wrapped", GridGovException.Forbidden(Fix.Person, "person.not-assigned", "not yours")));
        Assert.Equal((ErrorCodes.Forbidden, "person.not-assigned"), (e.Code, e.Rule));
    }

    [Fact]
    public async Task A_rule_violation_keeps_its_code_rule_and_fix()
    {
        var e = await Map(GridGovException.Violation(Fix.Route, "route.missing-required-point", "missing P1"));
        Assert.Equal((ErrorCodes.RuleViolation, "route.missing-required-point", Fix.Route, "missing P1"), (e.Code, e.Rule, e.Fix, e.Message));
    }

    [Fact]
    public async Task A_storage_version_conflict_is_a_CONFLICT_to_retry()
    {
        var e = await Map(new Orleans.Storage.InconsistentStateException("stale etag", "1", "2"));
        Assert.Equal((ErrorCodes.Conflict, "storage.version"), (e.Code, e.Rule));
    }

    [Fact]
    public async Task A_timed_out_or_unreachable_cluster_is_UNAVAILABLE()
    {
        Assert.Equal("UNAVAILABLE", (await Map(new TimeoutException("Response did not arrive on time"))).Code);
        Assert.Equal("UNAVAILABLE", (await Map(new SiloUnavailableException("silo is dead"))).Code);
    }
}
