using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GridGov.Api.Auth;
using GridGov.DemoCity;

namespace GridGov.Faults.Tests;

/// <summary>A write the API acknowledged: HTTP 200 and no errors.</summary>
/// <param name="Kind">"checkIn" or a ticket action (REPORT, ACCEPT, DISPATCH, HANDLE).</param>
/// <param name="Subject">The point id (check-in) or the ticket id.</param>
/// <param name="At">The check-in's recorded time (check-ins only).</param>
/// <param name="Elapsed">When the acknowledgement arrived, since the workload began.</param>
public sealed record Ack(string Kind, string Subject, DateTimeOffset? At, TimeSpan Elapsed);

/// <summary>A call that did not succeed: its code (null when none), HTTP status, duration, when it started.</summary>
public sealed record Failure(string Operation, string? Code, int Status, TimeSpan Duration, TimeSpan Elapsed, string Body);

/// <summary>
/// The steady workload: each client is the primary inspector of its own demo cell, alternating a check-in at the
/// next point of the cell with the next step of its current ticket (report as the inspector → accept → dispatch as a
/// supervisor → handle as the unit's handler). Every acknowledged write and every failure is recorded.
/// </summary>
public sealed class Workload(Uri api, DemoCityPlan plan, int clients)
{
    /// <summary>No call may take longer than this: above the 5 s grain response timeout the processes run with, and the API's 10 s execution timeout.</summary>
    public static readonly TimeSpan CallBound = TimeSpan.FromSeconds(12);

    const string CheckInDoc = "mutation($p:String!,$pos:GeoPointInput!){ checkIn(pointId:$p, position:$pos){ pointId at counted } }";
    const string ReportDoc = "mutation($cat:String!,$loc:GeoPointInput!,$p:String!){ reportIssue(category:$cat, severity:NORMAL, source:INSPECTOR, location:$loc, pointId:$p, description:\"fault test\", evidence:[\"photo://fault.jpg\"]){ id stage unitId } }";
    const string AcceptDoc = "mutation($id:String!){ acceptTicket(id:$id){ id stage } }";
    const string DispatchDoc = "mutation($id:String!){ dispatchTicket(id:$id){ id stage } }";
    const string HandleDoc = "mutation($id:String!){ handleTicket(id:$id, evidence:[\"photo://fixed.jpg\"]){ id stage } }";

    readonly TokenService _tokens = new(new AuthOptions { SigningKey = GridGovProcesses.SigningKey });
    readonly ConcurrentDictionary<Actor, string> _tokenCache = new();
    readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) }) { Timeout = Timeout.InfiniteTimeSpan };
    readonly Stopwatch _clock = new();

    public ConcurrentQueue<Ack> Acks { get; } = new();
    public ConcurrentQueue<Failure> Failures { get; } = new();
    public TimeSpan Now => _clock.Elapsed;
    public Actor Supervisor => new("sup-faults", Role.Supervisor, plan.CityCode);

    /// <summary>Runs <see cref="Workload"/>'s clients until <paramref name="stop"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        _clock.Start();
        var cells = plan.Cells.Where(c => c.Points.Length > 0).Take(clients).ToArray();
        await Task.WhenAll(cells.Select(c => Task.Run(() => Client(c, stop))));
    }

    async Task Client(DemoCell cell, CancellationToken stop)
    {
        var inspectorInfo = plan.Inspectors.Single(i => i.Id == cell.PrimaryInspectorId);
        var inspector = new Actor(inspectorInfo.Id, Role.Inspector, inspectorInfo.Registration.Jurisdiction);
        var category = cell.DutyList[0].Category;
        var next = 0;
        string? ticket = null;
        string? unit = null;
        var step = 0; // 0 report, 1 accept, 2 dispatch, 3 handle
        while (!stop.IsCancellationRequested)
        {
            var point = cell.Points[next++ % cell.Points.Length];
            var position = new { lat = point.Location.Lat, lon = point.Location.Lon };
            var checkIn = await Call("checkIn", inspector, CheckInDoc, new { p = point.Id, pos = position });
            if (checkIn is not null)
            {
                var record = checkIn["checkIn"]!;
                Acks.Enqueue(new Ack("checkIn", record["pointId"]!.GetValue<string>(),
                    DateTimeOffset.Parse(record["at"]!.GetValue<string>(), CultureInfo.InvariantCulture), Now));
            }
            if (stop.IsCancellationRequested) break;

            JsonNode? done;
            switch (step)
            {
                case 0:
                    done = await Call("REPORT", inspector, ReportDoc, new { cat = category, loc = position, p = point.Id });
                    if (done is null) break;
                    ticket = done["reportIssue"]!["id"]!.GetValue<string>();
                    unit = done["reportIssue"]!["unitId"]!.GetValue<string>();
                    Acks.Enqueue(new Ack("REPORT", ticket, null, Now));
                    step = 1;
                    break;
                default:
                    var (action, doc, actor) = step switch
                    {
                        1 => ("ACCEPT", AcceptDoc, Supervisor),
                        2 => ("DISPATCH", DispatchDoc, Supervisor),
                        _ => ("HANDLE", HandleDoc, new Actor("handler-" + unit, Role.Handler, unit!)),
                    };
                    (done, var failure) = await Send(action, actor, doc, new { id = ticket });
                    if (done is not null)
                    {
                        Acks.Enqueue(new Ack(action, ticket!, null, Now));
                        step = step == 3 ? 0 : step + 1;
                    }
                    else if (failure?.Code is "RULE_VIOLATION" or "CONFLICT")
                    {
                        // The step was applied but not acknowledged (or the ticket is in another stage): start a new ticket.
                        step = 0;
                    }
                    break;
            }
        }
    }

    /// <summary>Sends one GraphQL request; the data when acknowledged, else null (the failure is recorded).</summary>
    async Task<JsonNode?> Call(string operation, Actor actor, string query, object variables) =>
        (await Send(operation, actor, query, variables)).Data;

    async Task<(JsonNode? Data, Failure? Failure)> Send(string operation, Actor actor, string query, object variables)
    {
        Failure failure;
        var started = Now;
        var watch = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(CallBound);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(api, "/graphql"))
            {
                Content = new StringContent(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json"),
            };
            request.Headers.Accept.ParseAdd("application/graphql-response+json");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tokenCache.GetOrAdd(actor, a => _tokens.Mint(a)));
            using var response = await _http.SendAsync(request, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            JsonObject? json = null;
            try { json = JsonNode.Parse(body) as JsonObject; } catch (JsonException) { }
            var errors = json?["errors"]?.AsArray();
            if ((int)response.StatusCode == 200 && json?["data"] is { } data && (errors is null || errors.Count == 0))
                return (data, null);
            var code = errors?.FirstOrDefault()?["extensions"]?["code"]?.GetValue<string>();
            failure = new Failure(operation, code, (int)response.StatusCode, watch.Elapsed, started, body.Length > 300 ? body[..300] : body);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            failure = new Failure(operation, "CLIENT_HANG", 0, watch.Elapsed, started, $"no answer within {CallBound.TotalSeconds} s");
        }
        catch (HttpRequestException e)
        {
            failure = new Failure(operation, null, 0, watch.Elapsed, started, "transport: " + e.Message);
        }
        Failures.Enqueue(failure);
        return (null, failure);
    }

    /// <summary>One GraphQL request outside the workload (reconciliation); throws on errors.</summary>
    public async Task<JsonNode> Query(Actor actor, string query, object variables)
    {
        var (data, failure) = await Send("query", actor, query, variables);
        return data ?? throw new Xunit.Sdk.XunitException($"query failed: {failure}");
    }

    /// <summary>A human-readable summary of what happened, for the test output.</summary>
    public string Summary(params (string Label, TimeSpan At)[] marks)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"acknowledged: {Acks.Count} ({string.Join(", ", Acks.GroupBy(a => a.Kind).Select(g => $"{g.Key}={g.Count()}"))})");
        sb.AppendLine($"failures: {Failures.Count} ({string.Join(", ", Failures.GroupBy(f => $"{f.Code ?? "NO-CODE"}/{f.Status}").Select(g => $"{g.Key}={g.Count()}"))})");
        if (!Failures.IsEmpty) sb.AppendLine($"slowest failure: {Failures.Max(f => f.Duration).TotalSeconds:F1} s; sample: {Failures.First().Body}");
        foreach (var (label, at) in marks) sb.AppendLine($"{label}: {at.TotalSeconds:F1} s");
        return sb.ToString();
    }
}
