namespace GridGov.Grains.Tests;

static class Refuse
{
    /// <summary>Asserts the call is refused with the named rule, and returns the error.</summary>
    public static async Task<GridGovException> With(string rule, Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<GridGovException>(call);
        Assert.Equal(rule, e.Rule);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
        return e;
    }
}
