using GridGov.Grains.Tests;

namespace GridGov.Storage.Tests;

/// <summary>
/// 随手拍 rewards in PostgreSQL mode: an acceptance whose reward could not be paid (the ledger's storage refused
/// the write) keeps the reward owed, and after every silo stopped and a new cluster started, the ticket's reminder
/// pays it, exactly once, whatever is retried afterwards.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RewardDurabilityTests(PostgresFixture pg)
{
    const string Block = """
        CREATE FUNCTION refuse_ledger() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'ledger storage down'; END $$;
        CREATE TRIGGER refuse_ledger BEFORE INSERT OR UPDATE ON gridgov_grain_state
            FOR EACH ROW WHEN (NEW.state_name LIKE '%ledger%') EXECUTE FUNCTION refuse_ledger();
        """;

    [Fact]
    public async Task A_reward_owed_when_the_silos_stopped_is_paid_once_by_the_restarted_cluster()
    {
        var db = await pg.CreateDatabaseAsync();
        var clockA = new DurabilityClock(DurabilityClock.Monday8);
        string ticketId, citizenId;
        TestCity city;
        await using (var a = await DurabilityCluster.StartAsync(db, clockA))
        {
            city = await new TestCity(a.Grains).Setup();
            await city.Catalog.DefineCategory(new Category("C1", "暴露垃圾 exposed rubbish", RewardPoints: 25));
            await city.AddCell(1, primary: 1);
            citizenId = $"cit-{city.City}";
            var citizen = a.Grains.GetGrain<ICitizenGrain>(citizenId);
            await citizen.Register(new RegisterCitizen("Resident", "13800000000"), new Actor(citizenId, Role.Citizen, city.City));
            ticketId = (await citizen.Submit(new CitizenReport("C1", TestCity.Inside(1), "Rubbish by the kerb", ["photo://r.jpg"]))).TicketId;

            await Db.Rows(db, Block);
            var accepted = await a.Grains.GetGrain<ITicketGrain>(ticketId).Accept(city.Supervisor);
            Assert.Equal(TicketStage.Accepted, accepted.Stage);
            Assert.Empty((await a.Grains.GetGrain<IRewardLedgerGrain>(citizenId).Get()).Entries);
        }
        await Db.Rows(db, "DROP TRIGGER refuse_ledger ON gridgov_grain_state");
        Assert.Empty(await Db.Rows(db, "SELECT 1 FROM gridgov_grain_state WHERE state_name LIKE '%ledger%'"));

        // Nobody calls the ticket or the ledger: the ticket's stored reminder wakes it in the new cluster and it pays.
        await using var b = await DurabilityCluster.StartAsync(db, new DurabilityClock(clockA.GetUtcNow()));
        var ledger = b.Grains.GetGrain<IRewardLedgerGrain>(citizenId);
        var paid = await DurabilityCluster.Eventually(() => ledger.Get(), l => l.Entries.Length > 0, timeoutMs: 20_000);
        var entry = Assert.Single(paid.Entries);
        Assert.Equal((25, 25, $"ticket:{ticketId}"), (paid.Balance, entry.Points, entry.Reference));

        // Redelivery, a retried acceptance and a further restart do not pay again.
        var ticket = b.Grains.GetGrain<ITicketGrain>(ticketId);
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => ticket.DeliverReward()));
        var retry = await Assert.ThrowsAsync<GridGovException>(() => ticket.Accept(city.Supervisor));
        Assert.Equal("ticket.accept", retry.Rule);
        Assert.Equal(TicketStage.Accepted, (await ticket.Get()).Stage);
        Assert.Single((await ledger.Get()).Entries);
        var rows = await Db.Rows(db, "SELECT count(*) FROM gridgov_grain_state WHERE state_name LIKE '%ledger%'");
        Assert.Equal(1L, rows[0][0]);
    }
}
