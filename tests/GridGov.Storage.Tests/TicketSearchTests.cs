using GridGov.Grains.Infrastructure;

namespace GridGov.Storage.Tests;

/// <summary>The PostgreSQL ticket search answers exactly as the in-memory one does.</summary>
[Collection(PostgresCollection.Name)]
public sealed class TicketSearchTests(PostgresFixture pg)
{
    static readonly DateTimeOffset T0 = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    static TicketSummary Ticket(int i) => new($"T{i:D3}", i % 3 == 0 ? "1301010010010001" : "1301020010010002", i % 2 == 0 ? "C1" : "C2",
        Severity.Normal, TicketSource.Inspector, (TicketStage)(i % 9), $"U{i % 4}", T0.AddMinutes(i / 2), T0.AddMinutes(i), null, i % 5 == 0, 0, 0);

    [Fact]
    public async Task Filters_and_keyset_pages_match_the_in_memory_search()
    {
        var db = await pg.CreateDatabaseAsync();
        await new Migrator(db).MigrateAsync();
        await using var postgres = new PostgresTicketSearch(db);
        var memory = new InMemoryTicketSearch();
        foreach (var t in Enumerable.Range(0, 60).Select(Ticket))
        {
            await postgres.Upsert(t);
            await memory.Upsert(t);
        }
        // A late, older update does not overwrite a newer one.
        await postgres.Upsert(Ticket(7) with { Stage = TicketStage.Reported, LastChangedAt = T0.AddDays(-1) });

        TicketFilter[] filters =
        [
            new(), new(Jurisdiction: "130101"), new(Stages: [TicketStage.Dispatched, TicketStage.Handled]), new(Category: "C1", Overdue: true),
            new(UnitId: "U2", Open: true), new(ReportedFrom: T0.AddMinutes(5), ReportedTo: T0.AddMinutes(20)),
        ];
        foreach (var filter in filters)
        {
            Assert.Equal(await Walk(memory, filter), await Walk(postgres, filter));
            Assert.Equal((await memory.Query(filter, null, 5)).Total, (await postgres.Query(filter, null, 5)).Total);
        }
        Assert.Equal(60, (await postgres.Query(new TicketFilter(), null, 0)).Total);
    }

    /// <summary>All matching ids, page by page of 7.</summary>
    static async Task<List<string>> Walk(ITicketSearch search, TicketFilter filter)
    {
        var ids = new List<string>();
        string? after = null;
        while (true)
        {
            var page = await search.Query(filter, after, 7);
            ids.AddRange(page.Items.Select(t => t.Id));
            if (!page.HasMore) return ids;
            after = TicketCursor.Of(page.Items[^1]);
        }
    }
}
