using GridGov.Grains.Infrastructure;

namespace GridGov.Grains.Tests;

/// <summary>Embedded mode's journal: idempotent, read oldest first, and bounded to its most recent lines.</summary>
public sealed class InMemoryJournalTests
{
    static readonly DateTimeOffset T0 = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    static JournalLine Line(string id, string subject, int minute) =>
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

/// <summary>The embedded journal's byte form of a line, and its chunks.</summary>
public sealed class JournalBytesTests
{
    static readonly DateTimeOffset T0 = new(2026, 11, 23, 8, 30, 15, TimeSpan.FromHours(8));

    public static readonly TheoryData<JournalLine> Lines = new()
    {
        new("checkin:P1:1", "CheckIn", T0.AddTicks(1234567), "130101001001", "P1", "I0001", "counted", null, "window w1"),
        new("t:网格-7", "Ticket", new DateTimeOffset(2026, 3, 8, 2, 30, 0, TimeSpan.FromHours(-5)), "", "网格问题", "市民·张三", null, "Accepted", "井盖缺失 🚧"),
        new("", "", DateTimeOffset.MinValue, "", "", "", "", "", ""),
        new("long", "Ticket", DateTimeOffset.MaxValue, "c", "s", "a", "x", "y", new string('长', InMemoryEventJournal.ChunkBytes)),
    };

    [Theory, MemberData(nameof(Lines))]
    public void A_line_reads_back_as_written(JournalLine line)
    {
        var bytes = new byte[JournalLineCodec.Size(line)];
        JournalLineCodec.Write(line, bytes);

        var back = JournalLineCodec.Read(bytes);
        Assert.Equal(line, back);
        Assert.Equal(line.At.Offset, back.At.Offset);
        Assert.Equal(line.Id, JournalLineCodec.ReadId(bytes));
        Assert.Equal(line.Subject, JournalLineCodec.ReadSubject(bytes));
    }

    [Fact]
    public async Task Chunks_are_reused_so_memory_follows_the_capacity_not_the_lines_written()
    {
        var journal = new InMemoryEventJournal(capacity: 1_000);
        for (var i = 0; i < 200_000; i += 100)
            await journal.Append([.. Enumerable.Range(i, 100).Select(k =>
                new JournalLine($"checkin:P{k % 50}:{k}", "CheckIn", T0.AddSeconds(k), "130101001001", $"P{k % 50}", "I0001", "counted", null, "window w1"))]);

        // About 100 bytes a line: 1,000 lines fit in one chunk, so the journal holds the current chunk and the one before.
        Assert.InRange(journal.Chunks, 1, 3);
        Assert.Equal(1_000, journal.Count);
        Assert.Equal($"checkin:P49:199999", (await journal.Read("P49"))[^1].Id);
    }

    [Fact]
    public async Task A_line_longer_than_a_chunk_is_kept_then_let_go()
    {
        var journal = new InMemoryEventJournal(capacity: 2);
        var big = new JournalLine("big", "Ticket", T0, "c", "T1", "a", null, null, new string('x', 3 * InMemoryEventJournal.ChunkBytes));
        await journal.Append([big]);
        Assert.Equal(big, Assert.Single(await journal.Read("T1")));

        await journal.Append([new("a", "Ticket", T0, "c", "T2", "a", null, null, "small"), new("b", "Ticket", T0, "c", "T2", "a", null, null, "small")]);
        Assert.Empty(await journal.Read("T1"));
        Assert.Equal(["a", "b"], (await journal.Read("T2")).Select(l => l.Id));
        Assert.InRange(journal.Chunks, 1, 2);   // the big line's own chunk is gone
    }

    [Fact]
    public async Task Ids_with_equal_hashes_are_told_apart_by_the_ids_themselves()
    {
        var journal = new InMemoryEventJournal(capacity: 3, idHash: _ => 42);
        JournalLine L(string id) => new(id, "Ticket", T0, "c", "T1", "a", null, null, "");

        await journal.Append([L("a"), L("b"), L("a"), L("c"), L("b")]);
        Assert.Equal(["a", "b", "c"], (await journal.Read("T1")).Select(l => l.Id));

        await journal.Append([L("d")]);          // forgets "a", the line the hash pointed at
        await journal.Append([L("b"), L("c")]);  // still kept: not added again
        Assert.Equal(["b", "c", "d"], (await journal.Read("T1")).Select(l => l.Id));

        await journal.Append([L("a")]);          // forgotten before, so a new line now; "b" goes
        Assert.Equal(["c", "d", "a"], (await journal.Read("T1")).Select(l => l.Id));
        Assert.Equal(3, journal.Count);
    }
}
