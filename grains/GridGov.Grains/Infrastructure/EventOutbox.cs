using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace GridGov.Grains.Infrastructure;

/// <summary>How often the <see cref="EventOutbox"/> publishes, and how many events go in one stream message.</summary>
public sealed class EventOutboxOptions
{
    /// <summary>
    /// 50 ms: the memory streams' pulling agents read their queues every 100 ms, so subscribers wait at most half as
    /// long again; and each district stream gets at most 20 publishes a second however many check-ins it carries.
    /// </summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Events per stream message. The memory stream cache stores one message in one 1 MB block, so a batch must stay
    /// well below that (a GridEvent is a few hundred bytes); a longer backlog goes out as several messages, in order.
    /// </summary>
    public int MaxBatch { get; set; } = 500;

    /// <summary>
    /// How long a stopping silo waits after its last publish, so that the pulling agents (which read the memory
    /// queues every 100 ms) can still hand those events to subscribers before they stop.
    /// </summary>
    public TimeSpan StopGrace { get; set; } = TimeSpan.FromMilliseconds(250);
}

/// <summary>
/// Grid events on their way to the district streams. <see cref="Signals.Publish"/> appends an event to the journal,
/// then leaves it here and returns, so a check-in's turn costs no stream call. Every <see cref="EventOutboxOptions.Interval"/>
/// the silo publishes what is pending per district stream as one batch (<see cref="IAsyncBatchProducer{T}.OnNextBatchAsync"/>:
/// subscribers still receive single <see cref="GridEvent"/>s), and sends what is pending when the silo stops.
/// <para>Order: events of one stream go out in the order they were handed in; a stream has at most one publish in
/// flight, and the next waits for it (retry included).</para>
/// <para>Failure: a failed publish is logged and retried once after an interval, then dropped and logged; it never
/// blocks a grain (grains only add to a list). Events handed in but not yet published (up to an interval's worth)
/// are lost if the silo dies, exactly as events in a dying silo's memory stream queues are today: the stream is a
/// live feed, the journal (appended, and awaited, before an event gets here) is the record.</para>
/// </summary>
public sealed class EventOutbox : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    readonly IServiceProvider _services;
    readonly ILogger<EventOutbox> _logger;
    readonly TimeSpan _interval;
    readonly int _maxBatch;
    readonly TimeSpan _stopGrace;
    readonly Lock _gate = new();
    readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    readonly Timer _timer;
    IStreamProvider? _streams;
    long _accepted, _published, _publishes, _dropped;

    /// <summary>One district stream: what waits, and whether a publish is in flight.</summary>
    sealed class Lane(string district)
    {
        public readonly string District = district;
        public List<GridEvent> Pending = new();
        public bool Busy;
        public IAsyncStream<GridEvent>? Stream;
    }

    public EventOutbox(IServiceProvider services, ILogger<EventOutbox> logger, IOptions<EventOutboxOptions> options)
    {
        _services = services;
        _logger = logger;
        _interval = options.Value.Interval;
        _maxBatch = Math.Max(1, options.Value.MaxBatch);
        _stopGrace = options.Value.StopGrace;
        _timer = new Timer(_ => Flush(), null, _interval, _interval);
    }

    /// <summary>Events handed in.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);
    /// <summary>Events published on their streams.</summary>
    public long Published => Interlocked.Read(ref _published);
    /// <summary>Stream publishes made (each carries up to <see cref="EventOutboxOptions.MaxBatch"/> events).</summary>
    public long Publishes => Interlocked.Read(ref _publishes);
    /// <summary>Events given up after a failed publish and its retry.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues an event for its district's stream.</summary>
    public void Add(GridEvent e)
    {
        var district = JurisdictionCode.AncestorAt(e.CellCode, JurisdictionLevel.District);
        lock (_gate)
        {
            if (!_lanes.TryGetValue(district, out var lane)) _lanes[district] = lane = new Lane(district);
            lane.Pending.Add(e);
        }
        Interlocked.Increment(ref _accepted);
    }

    /// <summary>Starts a publish on every stream with events pending and none in flight; completes when those end.</summary>
    public Task Flush()
    {
        List<(Lane Lane, List<GridEvent> Batch)>? due = null;
        lock (_gate)
            foreach (var lane in _lanes.Values)
            {
                if (lane.Busy || lane.Pending.Count == 0) continue;
                (due ??= new()).Add((lane, lane.Pending));
                lane.Pending = new();
                lane.Busy = true;
            }
        return due is null ? Task.CompletedTask : Task.WhenAll(due.Select(d => Send(d.Lane, d.Batch)));
    }

    async Task Send(Lane lane, List<GridEvent> events)
    {
        try
        {
            await Task.Yield();   // publish off the caller's thread (the timer's, or the stopping lifecycle's)
            lane.Stream ??= (_streams ??= _services.GetRequiredKeyedService<IStreamProvider>(GridStreams.Provider))
                .GetStream<GridEvent>(StreamId.Create(GridStreams.Namespace, lane.District));
            for (var start = 0; start < events.Count; start += _maxBatch)
                await SendBatch(lane, events.GetRange(start, Math.Min(_maxBatch, events.Count - start)));
        }
        catch (Exception e)
        {
            Interlocked.Add(ref _dropped, events.Count);
            _logger.LogError(e, "Could not publish {Count} event(s) on district stream {District}", events.Count, lane.District);
        }
        finally
        {
            lock (_gate) lane.Busy = false;
        }
    }

    async Task SendBatch(Lane lane, List<GridEvent> batch)
    {
        for (var attempt = 1; ; attempt++)
            try
            {
                await lane.Stream!.OnNextBatchAsync(batch);
                Interlocked.Increment(ref _publishes);
                Interlocked.Add(ref _published, batch.Count);
                return;
            }
            catch (Exception e) when (attempt == 1)
            {
                _logger.LogWarning(e, "Publishing {Count} event(s) on district stream {District} failed; retrying once", batch.Count, lane.District);
                await Task.Delay(_interval);
            }
            catch (Exception e)
            {
                Interlocked.Add(ref _dropped, batch.Count);
                _logger.LogError(e, "Publishing {Count} event(s) on district stream {District} failed twice; dropped (they are in the journal)",
                    batch.Count, lane.District);
                return;
            }
    }

    /// <summary>Publishes until nothing is pending or in flight, or <paramref name="ct"/> gives up.</summary>
    public async Task Drain(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await Flush();
            lock (_gate)
                if (_lanes.Values.All(l => l.Pending.Count == 0 && !l.Busy)) return;
            try { await Task.Delay(5, ct); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>
    /// Drains at the stop of the stage after <see cref="ServiceLifecycleStage.Active"/>: stages stop in reverse, so
    /// this runs while the streams' pulling agents (stopped at Active) and the queue grains still work; then gives
    /// the agents <see cref="EventOutboxOptions.StopGrace"/> to deliver what it published.
    /// </summary>
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(EventOutbox), ServiceLifecycleStage.Active + 1, _ => Task.CompletedTask, async ct =>
        {
            var published = Published;
            await Drain(ct);
            if (Published == published) return;
            try { await Task.Delay(_stopGrace, ct); }
            catch (OperationCanceledException) { }
        });

    public void Dispose() => _timer.Dispose();
}

public static class EventOutboxHosting
{
    public static IServiceCollection AddEventOutbox(this IServiceCollection services)
    {
        services.AddOptions<EventOutboxOptions>();
        services.AddSingleton<EventOutbox>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<EventOutbox>());
        return services;
    }
}
