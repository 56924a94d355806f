using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace GridGov.LoadSim.Tests;

/// <summary>
/// The simulator in-process on a tiny embedded city, about 1.2 s per operation: every operation is measured through
/// both drivers with non-zero throughput and ordered percentiles, and the check-ins it measured were counted.
/// </summary>
public sealed class LoadSimSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_tiny_embedded_day_reports_every_operation_with_counted_check_ins()
    {
        var watch = Stopwatch.StartNew();
        var dir = Path.Combine(Path.GetTempPath(), "gridgov-loadsim-smoke-" + Guid.NewGuid().ToString("N")[..8]);
        var options = new LoadSimOptions
        {
            Cells = [24],
            Modes = ["embedded"],
            Seconds = 1.2,
            WarmupSeconds = 0.3,
            Clients = 8,
            GrainWorkers = 16,
            MeasureLimits = false,
            Breakdown = false,
            Out = dir,
            Log = output.WriteLine,
        };

        var report = await Simulator.RunAsync(options);
        var (md, json) = report.Write(dir);

        var city = Assert.Single(report.Cities);
        Assert.Equal("embedded", city.Mode);
        Assert.True(city.ActivatedGrains >= city.Cells + city.Points, $"{city.ActivatedGrains} activations for {city.Cells} cells and {city.Points} points");
        Assert.True(city.BytesPerGrain > 0);
        foreach (var driver in new[] { "grains", "graphql" })
            foreach (var op in Ops.All)
            {
                var s = Assert.Single(city.Ops, x => x.Driver == driver && x.Op == op);
                Assert.True(s.Count > 0 && s.Throughput > 0, $"{driver} {op}: no successful operations ({s.Errors} errors: {string.Join("; ", city.ErrorSamples)})");
                Assert.Equal(0, s.Errors);
                Assert.True(s.P50Ms > 0 && s.P50Ms <= s.P95Ms && s.P95Ms <= s.P99Ms && s.P99Ms <= s.MaxMs, $"{driver} {op}: percentiles out of order");
            }
        foreach (var check in city.CheckIns)
        {
            Assert.True(check.Counted > 0, $"{check.Driver}: no counted check-ins");
            Assert.Equal(0, check.NotCounted);
            Assert.True(check.Sampled > 0 && check.SampledConfirmed == check.Sampled, $"{check.Driver}: {check.SampledConfirmed}/{check.Sampled} samples confirmed");
        }
        Assert.Contains(report.Targets, t => t.Target.StartsWith("check-ins are real", StringComparison.Ordinal) && t.Pass == true);

        var markdown = await File.ReadAllTextAsync(md);
        foreach (var op in Ops.All) Assert.Contains(op, markdown);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.Equal(10 + 1, doc.RootElement.GetProperty("Cities")[0].GetProperty("Ops").GetArrayLength());
        output.WriteLine(markdown);
        output.WriteLine($"smoke run took {watch.Elapsed.TotalSeconds:F1} s");
        Directory.Delete(dir, recursive: true);
    }
}
