using GridGov.Grains.Tests;
using System.Diagnostics;
using Orleans.Storage;
using Xunit.Abstractions;

namespace GridGov.Storage.Tests;

/// <summary>Two writers on one grain's state never overwrite each other silently.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ConcurrencyTests(PostgresFixture pg, ITestOutputHelper output)
{
    /// <summary>
    /// The stored row of a grain state in gridgov_grain_state (grain_id is the grain id, "type/key"); the city test,
    /// with the only "city" row of its database, passes no key.
    /// </summary>
    static async Task<(long Version, byte[] Payload)> StoredRow(string db, string stateName, string? grainKey = null)
    {
        var row = Assert.Single(await Db.Rows(db,
            "SELECT version, payload FROM gridgov_grain_state WHERE service_id = @s AND state_name = @t AND (@k = '' OR grain_id LIKE '%/' || @k)",
            ("s", PostgresCluster.ServiceId), ("t", stateName), ("k", grainKey ?? "")));
        return ((long)row[0]!, (byte[])row[1]!);
    }

    [Fact]
    public async Task A_write_over_state_changed_behind_the_grains_back_is_refused_and_a_retry_on_fresh_state_succeeds()
    {
        var watch = Stopwatch.StartNew();
        var db = await pg.CreateDatabaseAsync();
        await using var cluster = await DurabilityCluster.StartAsync(db, new DurabilityClock(DurabilityClock.Monday8));
        const string code = "1399";
        var city = cluster.Grains.GetGrain<ICityGrain>(code);
        var v1 = new CitySettings("v1", "Asia/Shanghai", 50, 2);
        await city.Configure(v1);
        var (version, payload) = await StoredRow(db, "city");

        // Another writer (a second activation that should never exist, an operator, a restore) moves the row on
        // while the grain is active and still holds the old ETag.
        var rival = await Db.Rows(db,
            "UPDATE gridgov_grain_state SET version = version + 1 WHERE service_id = @s AND state_name = 'city' RETURNING version",
            ("s", PostgresCluster.ServiceId));
        var rivalVersion = (long)Assert.Single(rival)[0]!;
        Assert.Equal(version + 1, rivalVersion);

        // The grain's next write is refused, and the caller sees it.
        var v2 = v1 with { Name = "v2" };
        var e = await Assert.ThrowsAsync<InconsistentStateException>(() => city.Configure(v2));
        output.WriteLine($"refused: {e.GetType().Name}: {e.Message}");

        // Nothing was overwritten: the row is the rival's, byte for byte.
        var (storedVersion, storedPayload) = await StoredRow(db, "city");
        Assert.Equal(rivalVersion, storedVersion);
        Assert.Equal(payload, storedPayload);

        // Orleans deactivates an activation whose write hit a conflict; the next call reads the stored state afresh,
        // so the refused change is not visible and a retry succeeds on the new version.
        var read = await city.GetSettings();
        Assert.Equal(v1, read);
        Assert.Equal(v2, await city.Configure(v2));
        Assert.Equal(v2, await city.GetSettings());
        var (finalVersion, _) = await StoredRow(db, "city");
        Assert.Equal(rivalVersion + 1, finalVersion);
        output.WriteLine($"{watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Many_concurrent_callers_accepting_one_ticket_produce_exactly_one_accept()
    {
        var watch = Stopwatch.StartNew();
        var db = await pg.CreateDatabaseAsync();
        await using var cluster = await DurabilityCluster.StartAsync(db, new DurabilityClock(DurabilityClock.Monday8));
        var city = await new TestCity(cluster.Grains).Setup();
        await city.AddCell(1, primary: 1, backup: 2);
        var reported = await city.Report(city.Issue(1), city.InspectorActor(1));

        // 20 callers at once through the cluster client, released together.
        var ticket = cluster.Grains.GetGrain<ITicketGrain>(reported.Id);
        using var start = new SemaphoreSlim(0);
        var calls = Enumerable.Range(0, 20).Select(async i =>
        {
            await start.WaitAsync();
            try { return (Ok: await ticket.Accept(new Actor($"sup-{city.City}-{i}", Role.Supervisor, city.City), $"caller {i}"), Error: (GridGovException?)null); }
            catch (GridGovException e) { return (Ok: (TicketInfo?)null, Error: e); }
        }).ToArray();
        start.Release(calls.Length);
        var results = await Task.WhenAll(calls);

        var winner = Assert.Single(results, r => r.Ok is not null).Ok!;
        var refusals = results.Where(r => r.Error is not null).Select(r => r.Error!).ToArray();
        Assert.Equal(19, refusals.Length);
        Assert.All(refusals, e => Assert.Equal((ErrorCodes.RuleViolation, "ticket.accept"), (e.Code, e.Rule)));

        var after = await ticket.Get();
        Assert.Equal(TicketStage.Accepted, after.Stage);
        Assert.Equal([TicketAction.Report, TicketAction.Accept], after.History.Select(h => h.Action));
        Assert.Equal(winner.History[^1].Reason, after.History[^1].Reason);
        await using var journal = new PostgresEventJournal(db);
        Assert.Equal(["Report", "Accept"], (await journal.Read(reported.Id)).Select(l => l.Action));

        // The stored row holds the same: one version for the report, one for the accept.
        var (version, _) = await StoredRow(db, "ticket", reported.Id);
        Assert.Equal(2, version);
        output.WriteLine($"{watch.ElapsedMilliseconds} ms");
    }
}
