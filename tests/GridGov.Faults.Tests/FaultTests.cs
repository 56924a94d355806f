using System.Diagnostics;
using GridGov.DemoCity;
using GridGov.Storage.Tests;
using Xunit.Abstractions;

namespace GridGov.Faults.Tests;

/// <summary>
/// Faults with real processes on loopback: two silo processes and a client-mode API on one throwaway PostgreSQL,
/// under a steady workload of check-ins and ticket transitions. The tests run one after the other (one collection):
/// the database restart must not hit the other test.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class FaultTests(PostgresFixture postgres, ITestOutputHelper output)
{
    const int Clients = 8;
    static readonly DemoCityPlan Plan = DemoCityGenerator.Generate(DemoCityOptions.Default);

    [Fact]
    public async Task A_silo_killed_mid_load_loses_no_acknowledged_write_and_applies_none_twice()
    {
        var connection = await postgres.CreateDatabaseAsync();
        await using var processes = await GridGovProcesses.StartAsync(connection, "silo-kill");
        output.WriteLine($"processes ready in {processes.StartupTime.TotalSeconds:F1} s; logs in {processes.LogDirectory}");

        var workload = new Workload(processes.ApiAddress, Plan, Clients);
        using var stop = new CancellationTokenSource();
        var run = workload.RunAsync(stop.Token);

        await Task.Delay(TimeSpan.FromSeconds(6));
        var killedAt = workload.Now;
        var acksBeforeKill = workload.Acks.Count;
        processes.Silo2.Kill();
        Assert.True(processes.Silo2.HasExited);
        // Calls caught in flight on the dead silo fail after the 5 s response timeout; run well past that.
        await Task.Delay(TimeSpan.FromSeconds(20));
        stop.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(45));

        var summary = workload.Summary(("killed silo 2 at", killedAt)) + Timeline(workload, killedAt, killedAt + TimeSpan.FromSeconds(10));
        output.WriteLine(summary);
        Assert.True(acksBeforeKill > 0, "nothing was acknowledged before the kill:\n" + summary);
        AssertFailuresAreClear(workload, summary);
        // Resumed: writes of both kinds acknowledged well after the cluster noticed (failure detection takes a few seconds).
        var after = workload.Acks.Where(a => a.Elapsed > killedAt + TimeSpan.FromSeconds(10)).ToArray();
        Assert.True(after.Count(a => a.Kind == "checkIn") > 0 && after.Any(a => a.Kind != "checkIn"),
            "the workload did not resume after the kill:\n" + summary);
        Assert.False(processes.Silo1.HasExited, "silo 1 died too:\n" + processes.Silo1.Tail());
        Assert.False(processes.Api.HasExited, "the API died:\n" + processes.Api.Tail());

        output.WriteLine(await Reconciliation.VerifyAsync(connection, workload));
    }

    [Fact]
    public async Task PostgreSQL_restarted_under_load_gives_coded_errors_then_recovers_with_nothing_acknowledged_lost()
    {
        Assert.True(postgres.IsLocal, $"this test stops the database server; unset {PostgresFixture.ExternalVariable} to run it on a local one");
        var connection = await postgres.CreateDatabaseAsync();
        await using var processes = await GridGovProcesses.StartAsync(connection, "pg-restart");
        output.WriteLine($"processes ready in {processes.StartupTime.TotalSeconds:F1} s; logs in {processes.LogDirectory}");

        var workload = new Workload(processes.ApiAddress, Plan, Clients);
        using var stop = new CancellationTokenSource();
        var run = workload.RunAsync(stop.Token);

        await Task.Delay(TimeSpan.FromSeconds(5));
        var acksBeforeStop = workload.Acks.Count;
        var stoppedAt = workload.Now;
        await postgres.Stop();
        var down = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await postgres.Start();
        var startedAt = workload.Now;
        output.WriteLine($"database down for {down.Elapsed.TotalSeconds:F1} s");
        await Task.Delay(TimeSpan.FromSeconds(14));
        stop.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(45));

        var summary = workload.Summary(("database stopped at", stoppedAt), ("database back at", startedAt)) + Timeline(workload, stoppedAt, startedAt);
        output.WriteLine(summary);
        Assert.True(acksBeforeStop > 0, "nothing was acknowledged before the stop:\n" + summary);
        Assert.True(workload.Failures.Any(f => f.Elapsed >= stoppedAt && f.Elapsed <= startedAt + TimeSpan.FromSeconds(1)),
            "no caller noticed the database was down:\n" + summary);
        AssertFailuresAreClear(workload, summary);
        var after = workload.Acks.Where(a => a.Elapsed > startedAt).ToArray();
        Assert.True(after.Count(a => a.Kind == "checkIn") > 0 && after.Any(a => a.Kind != "checkIn"),
            "the workload did not recover after the database came back:\n" + summary);
        foreach (var p in new[] { processes.Silo1, processes.Silo2, processes.Api })
            Assert.False(p.HasExited, $"{p.Name} died:\n{p.Tail()}");

        output.WriteLine(await Reconciliation.VerifyAsync(connection, workload));
    }

    /// <summary>
    /// Every failure says what happened and came back within the bound: UNAVAILABLE (retry), or a rule refusal for a
    /// retried transition that had already been applied. No hangs, no bare transport or internal errors.
    /// </summary>
    static void AssertFailuresAreClear(Workload workload, string summary)
    {
        var unclear = workload.Failures.Where(f => f.Code is not ("UNAVAILABLE" or "RULE_VIOLATION" or "CONFLICT") || f.Duration > Workload.CallBound).ToArray();
        Assert.True(unclear.Length == 0, $"{unclear.Length} failures without a code or beyond {Workload.CallBound.TotalSeconds} s, e.g. {string.Join("; ", unclear.Take(3))}\n{summary}");
    }

    /// <summary>When the fault began, the first and last failures after it, the first acknowledgement after it, and the longest silence.</summary>
    static string Timeline(Workload workload, TimeSpan faultAt, TimeSpan recoveryFrom)
    {
        var failures = workload.Failures.Where(f => f.Elapsed >= faultAt - TimeSpan.FromSeconds(1)).OrderBy(f => f.Elapsed).ToArray();
        var acks = workload.Acks.Select(a => a.Elapsed).Order().ToArray();
        var firstAckAfter = acks.FirstOrDefault(t => t > recoveryFrom);
        var lastFailure = failures.LastOrDefault();
        var gap = acks.Zip(acks.Skip(1), (a, b) => b - a).DefaultIfEmpty().Max();
        var lastCheckInFailure = workload.Failures.Where(f => f.Operation == "checkIn").Select(f => f.Elapsed + f.Duration).DefaultIfEmpty().Max();
        return $"failures from the fault on: {failures.Length}; first at {failures.FirstOrDefault()?.Elapsed.TotalSeconds:F1} s, last ended at {(lastFailure is null ? 0 : (lastFailure.Elapsed + lastFailure.Duration).TotalSeconds):F1} s\n" +
               $"last check-in failure ended at {lastCheckInFailure.TotalSeconds:F1} s; first ack after {recoveryFrom.TotalSeconds:F1} s at {firstAckAfter.TotalSeconds:F1} s; longest pause between acks {gap.TotalSeconds:F1} s\n";
    }
}
