using System.Collections;
using System.Diagnostics;
using GridGov.Api.Auth;
using GridGov.Api.Hosting;
using GridGov.Api.Tests.Api;
using GridGov.DemoCity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace GridGov.Api.Tests.Telemetry;

/// <summary>
/// The real GridGov web host (co-hosted silo, dashboard, a small demo city, fake clock) with OpenTelemetry's in-memory
/// exporters added next to whatever GridGov's own telemetry set-up registered: what reaches them is what
/// <c>AddGridGovTelemetry</c> subscribed to.
/// </summary>
public sealed class TelemetryFixture : IAsyncLifetime
{
    public readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 22, 23, 0, 0, TimeSpan.Zero));
    public static readonly DemoCityOptions City = DemoCityOptions.Default with { Cells = 12 };

    public WebApplication App { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;
    public DemoCityPlan Plan { get; private set; } = null!;
    public SynchronizedList<Activity> Spans { get; } = new();
    public SynchronizedList<OpenTelemetry.Metrics.Metric> Metrics { get; } = new();

    public async Task InitializeAsync()
    {
        App = GridGovApi.Build(ApiFixture.HostArgs("--GridGov:Telemetry:Console=false", "--GridGov:Dashboard:Enabled=true"), Clock, builder =>
        {
            builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(Spans));
            builder.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(Metrics));
        });
        await App.StartAsync();
        Plan = DemoCityGenerator.Generate(City);
        await App.Services.LoadDemoCityAsync(City);
        var address = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("0.0.0.0", "127.0.0.1"));
    }

    public async Task DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }

    public string Token(Actor actor) => App.Services.GetRequiredService<TokenService>().Mint(actor);

    /// <summary>Collects the metrics now (the periodic reader would wait a minute).</summary>
    public void FlushMetrics() => Assert.True(App.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000));
}

/// <summary>A list the exporters add to from many threads while a test reads it.</summary>
public sealed class SynchronizedList<T> : ICollection<T>
{
    readonly List<T> items = [];

    public T[] Snapshot() { lock (items) return [.. items]; }
    public void Add(T item) { lock (items) items.Add(item); }
    public void Clear() { lock (items) items.Clear(); }
    public bool Contains(T item) { lock (items) return items.Contains(item); }
    public void CopyTo(T[] array, int arrayIndex) { lock (items) items.CopyTo(array, arrayIndex); }
    public bool Remove(T item) { lock (items) return items.Remove(item); }
    public int Count { get { lock (items) return items.Count; } }
    public bool IsReadOnly => false;
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)Snapshot()).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

[CollectionDefinition(Name)]
public sealed class TelemetryCollection : ICollectionFixture<TelemetryFixture>
{
    public const string Name = "telemetry";
}
