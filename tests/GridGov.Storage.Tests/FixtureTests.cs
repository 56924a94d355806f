using System.Diagnostics;
using Xunit.Abstractions;

namespace GridGov.Storage.Tests;

[Collection(PostgresCollection.Name)]
public sealed class FixtureTests(PostgresFixture pg, ITestOutputHelper output)
{
    [Fact]
    public async Task The_server_answers_and_comes_back_after_a_restart()
    {
        output.WriteLine($"PostgreSQL fixture ready in {pg.StartupTime.TotalMilliseconds:F0} ms ({(pg.IsLocal ? "local initdb" : PostgresFixture.ExternalVariable)})");
        Assert.Equal(1, (await Db.Rows(pg.ConnectionString, "SELECT 1")).Single()[0]);
        if (!pg.IsLocal) return; // an external server is not ours to stop

        var clock = Stopwatch.StartNew();
        await pg.Restart();
        output.WriteLine($"Restart took {clock.ElapsedMilliseconds} ms");
        Assert.Equal(1, (await Db.Rows(pg.ConnectionString, "SELECT 1")).Single()[0]);
    }
}
