using System.Collections.Concurrent;
using GridGov.Grains.Hosting;
using GridGov.Grains.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Streams;
using Orleans.TestingHost;

namespace GridGov.Grains.Tests;

/// <summary>A check-in's side effects leave the silo in batches: the event outbox and the inspector visits.</summary>
[Collection(ClusterCollection.Name)]
public sealed class OutboxTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_thousand_check_ins_reach_a_subscriber_complete_and_in_order_in_far_fewer_publishes()
    {
        ClusterFixture.AdvanceToLocal(new TimeOnly(8, 10));
        var city = await new TestCity(fixture.Grains).Setup();
        await city.AddCell(1, primary: 1);
        await city.SetRoute(1, 1, city.PointId(1, 1), city.PointId(1, 2));
        var points = new[] { await city.Point(1, 1).Get(), await city.Point(1, 2).Get() };

        var received = new ConcurrentQueue<GridEvent>();
        var stream = fixture.Cluster.Client.GetStreamProvider(GridStreams.Provider)
            .GetStream<GridEvent>(StreamId.Create(GridStreams.Namespace, city.City + "01"));
        var handle = await stream.SubscribeAsync((e, _) => { received.Enqueue(e); return Task.CompletedTask; });
        try
        {
            var outbox = fixture.SiloService<EventOutbox>();
            var (publishes, dropped) = (outbox.Publishes, outbox.Dropped);
            var sent = new List<(string, DateTimeOffset)>();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < 1000; i++)
            {
                ClusterFixture.Clock.Advance(TimeSpan.FromMilliseconds(1));
                var point = points[i % 2];
                var record = await city.Point(1, i % 2 + 1).CheckIn(new CheckIn(city.Inspector(1), point.Location));
                sent.Add((record.PointId, record.At));
            }

            await ClusterFixture.Eventually(() => Task.FromResult(received.Count(e => e.Kind == GridEventKind.CheckIn)), n => n >= 1000);
            Assert.Equal(sent, received.Where(e => e.Kind == GridEventKind.CheckIn).Select(e => (e.Subject, e.At)));
            // At most one publish per stream per interval, whatever the machine's speed (+1 for the tick in progress).
            var ticks = (long)(watch.Elapsed / new EventOutboxOptions().Interval) + 1;
            var used = outbox.Publishes - publishes;
            Assert.InRange(used, 1, Math.Min(ticks, 999));
            Assert.Equal(dropped, outbox.Dropped);
        }
        finally
        {
            await handle.UnsubscribeAsync();
        }
    }

    [Fact]
    public async Task Counted_check_ins_reach_the_inspectors_quota_in_batches()
    {
        ClusterFixture.AdvanceToLocal(new TimeOnly(8, 20));
        var city = await new TestCity(fixture.Grains).Setup();
        await city.AddCell(1, primary: 1);
        await city.SetRoute(1, 1, city.PointId(1, 1), city.PointId(1, 2));
        await city.InspectorGrain(1).SetQuota(new Quota(2, 2, new() { ["market"] = 2 }), city.Supervisor);
        var market = await city.Point(1, 1).Get();
        var lane = await city.Point(1, 2).Get();

        // Through a cell: three check-ins at the market, one at the lane.
        for (var i = 0; i < 3; i++) Assert.True((await city.Point(1, 1).CheckIn(new CheckIn(city.Inspector(1), market.Location))).Counted);
        Assert.True((await city.Point(1, 2).CheckIn(new CheckIn(city.Inspector(1), lane.Location))).Counted);
        var progress = await ClusterFixture.Eventually(() => city.InspectorGrain(1).GetProgress(), p => p!.VisitsPerType.GetValueOrDefault("lane") == 1);
        Assert.Equal(2, progress!.PointsVisited);
        Assert.Equal(3, progress.VisitsPerType["market"]);
        Assert.Equal(1, progress.VisitsPerType["lane"]);

        // Straight into the batcher: 100 visits of inspector 2 go out in one message (two if a tick falls in between).
        var batcher = fixture.SiloService<InspectorVisits>();
        await city.InspectorGrain(2).SetQuota(new Quota(2, 2, new()), city.Supervisor);
        var messages = batcher.Messages;
        var now = ClusterFixture.Clock.GetUtcNow();
        for (var i = 0; i < 100; i++) batcher.Add(city.Inspector(2), new InspectorVisit($"{city.PointId(1, 1)}-v{i}", "market", now));
        var second = await ClusterFixture.Eventually(() => city.InspectorGrain(2).GetProgress(), p => p!.PointsVisited == 100);
        Assert.Equal(100, second!.PointsVisited);
        Assert.Equal(100, second.VisitsPerType["market"]);
        Assert.InRange(batcher.Messages - messages, 1, 3);
    }
}

/// <summary>
/// A silo of its own whose outbox never ticks: an event gets out only through the flush at stop, and reaches a
/// subscriber in that silo in the grace the stop leaves the pulling agents (1 s here, for slow test machines).
/// (A cluster client's subscription did not receive it in trials: the client loses its gateway as the silo stops.)
/// </summary>
public sealed class OutboxStopTests
{
    /// <summary>Monday 2026-11-23 08:30 in Asia/Shanghai, inside the morning window.</summary>
    static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 23, 0, 30, 0, TimeSpan.Zero));

    sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.AddGridGovEmbedded(Clock);
            silo.Services.Configure<EventOutboxOptions>(o => { o.Interval = TimeSpan.FromHours(1); o.StopGrace = TimeSpan.FromSeconds(1); });
        }
    }

    [Fact]
    public async Task An_event_left_pending_is_published_when_the_silo_stops()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        try
        {
            var city = await new TestCity(cluster.GrainFactory).Setup();
            await city.AddCell(1, primary: 1);
            await city.SetRoute(1, 1, city.PointId(1, 1));
            var received = new ConcurrentQueue<GridEvent>();
            var silo = ((InProcessSiloHandle)cluster.Primary!).SiloHost.Services;
            await silo.GetRequiredService<IClusterClient>().GetStreamProvider(GridStreams.Provider)
                .GetStream<GridEvent>(StreamId.Create(GridStreams.Namespace, city.City + "01"))
                .SubscribeAsync((e, _) => { received.Enqueue(e); return Task.CompletedTask; });

            var outbox = silo.GetRequiredService<EventOutbox>();
            var market = await city.Point(1, 1).Get();
            Assert.True((await city.Point(1, 1).CheckIn(new CheckIn(city.Inspector(1), market.Location))).Counted);
            Assert.Equal((1L, 0L), (outbox.Accepted, outbox.Published));

            await cluster.StopSiloAsync(cluster.Primary!);
            Assert.Equal((1L, 1L, 1L, 0L), (outbox.Accepted, outbox.Published, outbox.Publishes, outbox.Dropped));
            var got = await ClusterFixture.Eventually(() => Task.FromResult(received.ToArray()), r => r.Length > 0, 3000);
            Assert.Equal(GridEventKind.CheckIn, Assert.Single(got).Kind);
        }
        finally
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }
    }
}
