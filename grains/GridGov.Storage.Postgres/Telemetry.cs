using GridGov.Grains.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Hosting;
using Orleans.Runtime;

namespace GridGov.Storage.Postgres;

/// <summary>
/// OpenTelemetry for every GridGov process (API and silo), in one place beside the other shared hosting code
/// (cluster mode, health): traces and metrics from ASP.NET Core, Orleans (grain calls, with activity propagation),
/// Npgsql and GridGov's own meter (<see cref="GridGovMetrics"/>).
/// </summary>
/// <remarks>
/// Exporters come from configuration: OTLP when <c>GridGov:Telemetry:OtlpEndpoint</c> or the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; the console when the environment is Development or
/// <c>GridGov:Telemetry:Console</c> is true (false turns it off in Development too); otherwise nothing is exported,
/// but the providers stay registered so a host (or a test) can add its own exporter through
/// <c>ConfigureOpenTelemetryTracerProvider</c>/<c>ConfigureOpenTelemetryMeterProvider</c>. A host that knows nobody adds
/// one passes <c>instrumentWithoutExporter: false</c>: with no exporter configured, nothing is then subscribed to
/// (no span per request and per grain call, no instrument recording), since every span and measurement would be thrown away.
/// </remarks>
public static class GridGovTelemetry
{
    public const string OtlpEndpointKey = "GridGov:Telemetry:OtlpEndpoint";
    public const string ConsoleKey = "GridGov:Telemetry:Console";

    /// <summary>Orleans' activity sources: system calls, and calls to our grains.</summary>
    public static readonly string[] ActivitySources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", "Npgsql"];

    /// <summary>The meters exported besides ASP.NET Core's: Orleans', Npgsql's and GridGov's.</summary>
    public static readonly string[] Meters = ["Microsoft.Orleans", "Npgsql", GridGovMetrics.MeterName];

    /// <summary>
    /// Registers OpenTelemetry for this host as <paramref name="serviceName"/>, and turns on Orleans' activity
    /// propagation on the silo or client this host configured: call it after <c>UseOrleans</c>/<c>UseOrleansClient</c>.
    /// </summary>
    /// <param name="builder">The host.</param>
    /// <param name="serviceName">The service name on every span and metric.</param>
    /// <param name="instrumentWithoutExporter">
    /// False: when configuration names no exporter, register the (empty) providers only and subscribe to nothing.
    /// </param>
    public static IHostApplicationBuilder AddGridGovTelemetry(this IHostApplicationBuilder builder, string serviceName, bool instrumentWithoutExporter = true)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var config = builder.Configuration;
        var otlp = config[OtlpEndpointKey];
        var useOtlp = !string.IsNullOrWhiteSpace(otlp) || !string.IsNullOrWhiteSpace(config["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var useConsole = config.GetValue<bool?>(ConsoleKey) ?? builder.Environment.IsDevelopment();

        if (!instrumentWithoutExporter && !useOtlp && !useConsole)
        {
            builder.Services.AddOpenTelemetry()
                .ConfigureResource(r => r.AddService(serviceName))
                .WithTracing(_ => { })
                .WithMetrics(_ => { });
            return builder;
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation().AddSource(ActivitySources);
                if (useOtlp) tracing.AddOtlpExporter(o => { if (!string.IsNullOrWhiteSpace(otlp)) o.Endpoint = new Uri(otlp); });
                if (useConsole) tracing.AddConsoleExporter();
            })
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation().AddMeter(Meters);
                if (useOtlp) metrics.AddOtlpExporter(o => { if (!string.IsNullOrWhiteSpace(otlp)) o.Endpoint = new Uri(otlp); });
                if (useConsole) metrics.AddConsoleExporter();
            });

        // Orleans' builders may be configured more than once; pick whichever one this host registered.
        if (builder.Services.Any(d => d.ServiceType == typeof(ILocalSiloDetails)))
            builder.UseOrleans(silo => silo.AddActivityPropagation());
        else if (builder.Services.Any(d => d.ServiceType == typeof(IClusterClient)))
            builder.UseOrleansClient(client => client.AddActivityPropagation());
        return builder;
    }
}
