using System.Collections.Immutable;
using GridGov.Grains.Cells;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace GridGov.Grains.Tests;

/// <summary>A cell's patrol state: per-point records, a shallow store copy, and the old layout read back.</summary>
public sealed class CellPatrolStateTests
{
    static readonly IServiceProvider Services = new ServiceCollection().AddSerializer().BuildServiceProvider();
    static readonly DateTimeOffset Eight = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero); // 08:00 in Shanghai
    static readonly DateOnly Monday = new(2026, 11, 23);

    static CheckInRecord At(string point, DateTimeOffset at, bool counted = true) =>
        new(point, "130101001001", "i-1", at, new GeoPoint(38.04, 114.51), 3, counted,
            counted ? NotCountedReason.None : NotCountedReason.OutsideWindow, counted ? "morning" : null);

    [Fact]
    public void A_counted_check_in_keeps_one_time_per_window_and_says_when_it_is_the_first_visit_of_the_day()
    {
        var state = new CellPatrolState();
        var keepSince = Eight.AddDays(-7);

        Assert.True(state.Record(At("p1", Eight.AddMinutes(5)), Eight, Monday, keepSince));
        Assert.False(state.Record(At("p1", Eight.AddMinutes(9)), Eight, Monday, keepSince)); // same window: no new time
        Assert.True(state.Record(At("p2", Eight.AddMinutes(10)), Eight, Monday, keepSince));
        var afternoon = Eight.AddHours(6);
        Assert.False(state.Record(At("p1", afternoon.AddMinutes(1)), afternoon, Monday, keepSince)); // new window, same day

        Assert.Equal([Eight.AddMinutes(5), afternoon.AddMinutes(1)], state.Of("p1").CountedTimes.ToArray());
        Assert.Equal(afternoon.AddMinutes(1), state.Of("p1").Last!.At);
        Assert.Equal(2, state.VisitedOn(Monday));

        var tuesday = Eight.AddDays(1);
        Assert.True(state.Record(At("p1", tuesday.AddMinutes(2)), tuesday, Monday.AddDays(1), tuesday.AddDays(-7)));
        Assert.Equal(1, state.VisitedOn(Monday.AddDays(1)));
        Assert.Equal(3, state.Of("p1").CountedTimes.Length);

        // A week on, the old times are dropped with the next counted check-in.
        var later = Eight.AddDays(9);
        state.Record(At("p1", later), later, Monday.AddDays(9), later.AddDays(-7));
        Assert.Equal([later], state.Of("p1").CountedTimes.ToArray());
    }

    [Fact]
    public void A_check_in_that_does_not_count_changes_only_the_last_check_in()
    {
        var state = new CellPatrolState();
        state.Record(At("p1", Eight.AddMinutes(5)), Eight, Monday, Eight.AddDays(-7));
        var outside = At("p1", Eight.AddHours(3), counted: false);

        Assert.False(state.Record(outside, default, Monday, Eight.AddDays(-7)));
        Assert.Same(outside, state.Of("p1").Last);
        Assert.Equal([Eight.AddMinutes(5)], state.Of("p1").CountedTimes.ToArray());
        Assert.Equal(1, state.VisitedOn(Monday));
        Assert.Empty(state.Of("p9").CountedTimes);
        Assert.Null(state.Of("p9").Last);
    }

    [Fact]
    public void Storing_the_state_copies_the_point_map_by_reference_and_a_later_check_in_leaves_the_copy_alone()
    {
        var copier = Services.GetRequiredService<DeepCopier>();
        var state = new CellPatrolState();
        state.Record(At("p1", Eight.AddMinutes(5)), Eight, Monday, Eight.AddDays(-7));

        var stored = copier.Copy(state);
        Assert.NotSame(state, stored);
        Assert.Same(state.Points, stored.Points); // immutable: nothing to copy

        state.Record(At("p2", Eight.AddMinutes(6)), Eight, Monday, Eight.AddDays(-7));
        Assert.Equal(["p1"], stored.Points.Keys);
        Assert.Equal(2, state.Points.Count);
    }

    [Fact]
    public void A_state_stored_in_the_old_layout_is_read_back_into_per_point_records()
    {
        var serializer = Services.GetRequiredService<Serializer>();
        var old = new CellPatrolState
        {
            Counted = new() { ["p1"] = [Eight.AddMinutes(5)], ["p2"] = [] },
            LastCheckIn = new() { ["p1"] = At("p1", Eight.AddMinutes(5)), ["p3"] = At("p3", Eight.AddHours(3), counted: false) },
            VisitedDay = Monday,
            VisitedToday = ["p1"],
        };
        var read = serializer.Deserialize<CellPatrolState>(serializer.SerializeToArray(old))!;

        Assert.True(read.Upgrade());
        Assert.Equal([Eight.AddMinutes(5)], read.Of("p1").CountedTimes.ToArray());
        Assert.Equal(Eight.AddMinutes(5), read.Of("p1").Last!.At);
        Assert.Equal(Monday, read.Of("p1").VisitedOn);
        Assert.False(read.Of("p3").Last!.Counted);
        Assert.Equal(1, read.VisitedOn(Monday));
        Assert.Null(read.Counted);
        Assert.Null(read.LastCheckIn);
        Assert.Null(read.VisitedToday);
        Assert.False(read.Upgrade()); // nothing left to fold

        // The new layout survives the binary serializer PostgreSQL mode stores it with.
        var again = serializer.Deserialize<CellPatrolState>(serializer.SerializeToArray(read))!;
        Assert.Equal(read.Points.OrderBy(p => p.Key).Select(p => (p.Key, p.Value.Last, p.Value.CountedTimes.ToArray(), p.Value.VisitedOn)),
            again.Points.OrderBy(p => p.Key).Select(p => (p.Key, p.Value.Last, p.Value.CountedTimes.ToArray(), p.Value.VisitedOn)),
            new TupleComparer());
        Assert.False(again.Upgrade());
    }

    sealed class TupleComparer : IEqualityComparer<(string, CheckInRecord?, DateTimeOffset[], DateOnly)>
    {
        public bool Equals((string, CheckInRecord?, DateTimeOffset[], DateOnly) x, (string, CheckInRecord?, DateTimeOffset[], DateOnly) y) =>
            x.Item1 == y.Item1 && Equals(x.Item2, y.Item2) && x.Item3.SequenceEqual(y.Item3) && x.Item4 == y.Item4;
        public int GetHashCode((string, CheckInRecord?, DateTimeOffset[], DateOnly) obj) => obj.Item1.GetHashCode(StringComparison.Ordinal);
    }
}
