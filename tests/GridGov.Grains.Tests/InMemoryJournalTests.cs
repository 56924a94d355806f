using GridGov.Grains.Infrastructure;

namespace GridGov.Grains.Tests;

/// <summary>Embedded mode's journal: idempotent, read oldest first, and bounded to its most recent lines.</summary>
public sealed class InMemoryJournalTests
{
    static readonly DateTimeOffset T0 = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    static JournalRecord Line(string id, string subject, int minute) =>
        new(id, "Ticket", T0.AddMinutes(minute), "130101001001", subject, "sup-1", "Accept", "Accepted", "valid");

    [Fact]
    public async Task Appends_are_idempotent_and_read_back_oldest_first()
    {
        var journal = new InMemoryEventJournal();
        await journal.Append([Line("a", "T1", 2), Line("b", "T1", 1)]);
        await journal.Append([Line("a", "T1", 2), Line("c", "T2", 0)]); // "a" again: kept once

        Assert.Equal(["b", "a"], (await journal.Read("T1")).Select(l => l.Id));
        Assert.Equal(["c"], (await journal.Read("T2")).Select(l => l.Id));
        Assert.Empty(await journal.Read("T3"));
        Assert.Equal(3, journal.Count);
    }

    [Fact]
    public async Task Beyond_its_capacity_it_forgets_the_oldest_lines_first()
    {
        var journal = new InMemoryEventJournal(capacity: 3);
        await journal.Append([Line("a", "T1", 0), Line("b", "T2", 1), Line("c", "T1", 2)]);
        await journal.Append([Line("d", "T1", 3)]);
        Assert.Equal(3, journal.Count);
        Assert.Equal(["c", "d"], (await journal.Read("T1")).Select(l => l.Id));

        await journal.Append([Line("e", "T3", 4), Line("f", "T3", 5)]);
        Assert.Equal(3, journal.Count);
        Assert.Empty(await journal.Read("T2"));
        Assert.Equal(["d"], (await journal.Read("T1")).Select(l => l.Id));
        Assert.Equal(["e", "f"], (await journal.Read("T3")).Select(l => l.Id));

        await journal.Append([Line("f", "T3", 5)]); // still kept: not added twice
        Assert.Equal(["e", "f"], (await journal.Read("T3")).Select(l => l.Id));

        // A million lines later it still holds only its capacity.
        var big = new InMemoryEventJournal(capacity: 1_000);
        for (var i = 0; i < 1_000_000; i += 1_000)
            await big.Append([.. Enumerable.Range(i, 1_000).Select(k => Line($"l{k}", $"P{k % 37}", k))]);
        Assert.Equal(1_000, big.Count);
        Assert.Equal(1_000, Enumerable.Range(0, 37).Sum(p => big.Read($"P{p}").Result.Count));
        Assert.Equal("l999999", (await big.Read($"P{999_999 % 37}"))[^1].Id);
    }

    [Fact]
    public void A_journal_that_keeps_nothing_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryEventJournal(0));
}
