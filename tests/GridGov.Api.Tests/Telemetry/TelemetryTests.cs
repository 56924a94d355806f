using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GridGov.Grains.Infrastructure;
using OpenTelemetry.Metrics;

namespace GridGov.Api.Tests.Telemetry;

/// <summary>Traces and metrics as the host's OpenTelemetry providers export them.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests(TelemetryFixture host)
{
    [Fact]
    public async Task A_GraphQL_request_is_one_trace_from_the_http_span_through_the_grain_calls()
    {
        var cell = host.Plan.Cells[0];
        var supervisor = new Actor("sup-otel", Role.Supervisor, host.Plan.CityCode);
        var traceId = ActivityTraceId.CreateRandom();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.BaseAddress, "/graphql"))
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query = "query($c:String!){ cell(code:$c){ name primaryInspector { name } } }", variables = new { c = cell.Code } }),
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", host.Token(supervisor));
        request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Null(body["errors"]);
        Assert.Equal(cell.Cell.Name, body["data"]!["cell"]!["name"]!.GetValue<string>());

        // The server span ends after the response is written: wait for it.
        Activity[] spans = [];
        for (var i = 0; i < 100; i++)
        {
            spans = host.Spans.Snapshot().Where(a => a.TraceId == traceId).ToArray();
            if (spans.Any(a => a.Source.Name == "Microsoft.AspNetCore") && spans.Any(a => a.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal))) break;
            await Task.Delay(50);
        }

        var server = Assert.Single(spans, a => a.Source.Name == "Microsoft.AspNetCore");
        Assert.Equal(ActivityKind.Server, server.Kind);
        Assert.Equal("/graphql", server.GetTagItem("url.path"));
        var grainCalls = spans.Where(a => a.Source.Name == "Microsoft.Orleans.Application").ToArray();
        Assert.NotEmpty(grainCalls);
        Assert.Contains(grainCalls, a => a.DisplayName.Contains("CellGrain", StringComparison.OrdinalIgnoreCase) || a.DisplayName.Contains("ICellGrain", StringComparison.OrdinalIgnoreCase));
        // Every grain call hangs off the request: following parents from any of them reaches the server span.
        var byId = spans.ToDictionary(a => a.SpanId);
        foreach (var call in grainCalls)
        {
            var at = call;
            while (at.SpanId != server.SpanId && byId.TryGetValue(at.ParentSpanId, out var parent)) at = parent;
            Assert.Equal(server.SpanId, at.SpanId);
        }
    }

    [Fact]
    public async Task A_check_in_counts_on_the_GridGov_meter()
    {
        var cell = host.Plan.Cells[1];
        var point = cell.Points[0];
        var inspector = host.Plan.Inspectors.Single(i => i.Id == cell.PrimaryInspectorId);
        var actor = new Actor(inspector.Id, Role.Inspector, inspector.Registration.Jurisdiction);

        long counted = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == GridGovMetrics.MeterName && instrument.Name == "gridgov.checkins") l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == "outcome" && tag.Value is "counted" or "not-counted") Interlocked.Add(ref counted, value);
        });
        listener.Start();
        host.FlushMetrics();
        var exportedBefore = ExportedCheckIns();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.BaseAddress, "/graphql"))
        {
            Content = new StringContent(JsonSerializer.Serialize(new
            {
                query = "mutation($p:String!,$pos:GeoPointInput!){ checkIn(pointId:$p, position:$pos){ pointId counted } }",
                variables = new { p = point.Id, pos = new { lat = point.Location.Lat, lon = point.Location.Lon } },
            }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", host.Token(actor));
        using var response = await http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(body["errors"] is null, body.ToJsonString());
        Assert.Equal(point.Id, body["data"]!["checkIn"]!["pointId"]!.GetValue<string>());

        Assert.True(Interlocked.Read(ref counted) >= 1, "the check-in did not add to gridgov.checkins");
        host.FlushMetrics();
        Assert.True(ExportedCheckIns() >= exportedBefore + 1, "gridgov.checkins did not reach the host's OpenTelemetry exporter");
    }

    /// <summary>The cumulative gridgov.checkins sum the host's meter provider exported last.</summary>
    long ExportedCheckIns()
    {
        var metric = host.Metrics.Snapshot().LastOrDefault(m => m.MeterName == GridGovMetrics.MeterName && m.Name == "gridgov.checkins");
        if (metric is null) return 0;
        long sum = 0;
        foreach (ref readonly var p in metric.GetMetricPoints()) sum += p.GetSumLong();
        return sum;
    }
}
