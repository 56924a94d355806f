using GridGov.Grains.Tests;

namespace GridGov.Storage.Tests;

/// <summary>
/// A database failure reaches callers as a typed UNAVAILABLE refusal, also when it happens while a grain activates
/// and reads its state (outside any grain call filter), and the same calls succeed once the database answers again.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StorageFailureTests(PostgresFixture pg)
{
    [Fact]
    public async Task Failing_state_reads_and_writes_come_out_as_UNAVAILABLE_and_recover()
    {
        var db = await pg.CreateDatabaseAsync();
        await using var cluster = await DurabilityCluster.StartAsync(db, new DurabilityClock(DurabilityClock.Monday8));
        var registered = cluster.Grains.GetGrain<ICitizenGrain>("cit-storage-failure");
        var citizen = new Actor("cit-storage-failure", Role.Citizen, "1301");
        await registered.Register(new RegisterCitizen("Resident", "13800000000"), citizen);

        // Grain state lives in gridgov_grain_state; membership and reminders do not, so the cluster stays up.
        await Db.Rows(db, "ALTER TABLE gridgov_grain_state RENAME TO gridgov_grain_state_away");
        try
        {
            for (var i = 0; i < 6; i++)   // fresh grains on either silo: the failure is in their activation
            {
                // Orleans wraps an activation's storage failure; the API unwraps it (GridGovErrors).
                var e = Typed(await Assert.ThrowsAnyAsync<Exception>(() => cluster.Grains.GetGrain<IReportReceiptGrain>($"r-missing-{i}").Get()));
                Assert.Equal((ErrorCodes.Unavailable, "storage.unavailable"), (e.Code, e.Rule));
            }
            var write = Typed(await Assert.ThrowsAnyAsync<Exception>(() => registered.Register(new RegisterCitizen("Renamed", "13800000000"), citizen)));
            Assert.Equal(ErrorCodes.Unavailable, write.Code);
        }
        finally
        {
            await Db.Rows(db, "ALTER TABLE gridgov_grain_state_away RENAME TO gridgov_grain_state");
        }

        Assert.Equal("Renamed", (await registered.Register(new RegisterCitizen("Renamed", "13800000000"), citizen)).Name);
        var notFound = await Assert.ThrowsAsync<GridGovException>(() => cluster.Grains.GetGrain<IReportReceiptGrain>("r-missing-0").Get());
        Assert.Equal(ErrorCodes.NotFound, notFound.Code);
    }

    /// <summary>The typed refusal itself, or the one an Orleans exception carries (never a driver exception).</summary>
    static GridGovException Typed(Exception e) =>
        e as GridGovException ?? e.InnerException as GridGovException
        ?? throw new Xunit.Sdk.XunitException($"Not a typed refusal: {e.GetType().Name}: {e.Message}");
}
