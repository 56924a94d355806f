using Npgsql;

namespace GridGov.Faults.Tests;

/// <summary>
/// After the load: every acknowledged write is in the database, and nothing was applied twice. Reads the
/// journal (gridgov_journal) directly, and the tickets' histories through the API.
/// </summary>
public static class Reconciliation
{
    public static async Task<string> VerifyAsync(string connectionString, Workload workload)
    {
        var acks = workload.Acks.ToArray();
        await using var db = NpgsqlDataSource.Create(connectionString);

        // Check-ins: each acknowledged one is a 'CheckIn' line about its point, with the id the cell gives it.
        var checkIns = new HashSet<string>();
        await using (var cmd = db.CreateCommand("SELECT id FROM gridgov_journal WHERE kind = 'CheckIn'"))
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) checkIns.Add(reader.GetString(0));
        var ackedCheckIns = acks.Where(a => a.Kind == "checkIn").ToArray();
        var missing = ackedCheckIns.Where(a => !checkIns.Contains($"checkin:{a.Subject}:{a.At!.Value.UtcTicks}")).ToArray();
        Assert.True(missing.Length == 0, $"{missing.Length} acknowledged check-ins are not in the journal, e.g. {string.Join("; ", missing.Take(5))}");
        Assert.Equal(ackedCheckIns.Length, ackedCheckIns.Select(a => (a.Subject, a.At)).Distinct().Count());

        // Ticket transitions: one line per (ticket, action) at most — the workload never repeats an action on a ticket.
        var lines = new Dictionary<(string Ticket, string Action), int>();
        await using (var cmd = db.CreateCommand("SELECT subject, action, count(*) FROM gridgov_journal WHERE kind = 'Ticket' GROUP BY subject, action"))
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) lines[(reader.GetString(0), reader.GetString(1))] = (int)reader.GetInt64(2);
        var doubled = lines.Where(l => l.Value > 1).ToArray();
        Assert.True(doubled.Length == 0, $"transitions journalled twice: {string.Join(", ", doubled.Take(5).Select(d => $"{d.Key}×{d.Value}"))}");
        var ackedTransitions = acks.Where(a => a.Kind != "checkIn").ToArray();
        var notJournalled = ackedTransitions.Where(a => !lines.ContainsKey((a.Subject, JournalAction(a.Kind)))).ToArray();
        Assert.True(notJournalled.Length == 0, $"acknowledged transitions missing from the journal: {string.Join("; ", notJournalled.Take(5))}");

        // The same through the API: each ticket's history holds each acknowledged action exactly once, no action twice.
        var tickets = ackedTransitions.GroupBy(a => a.Subject).ToArray();
        foreach (var ticket in tickets)
        {
            var node = (await workload.Query(workload.Supervisor, "query($id:String!){ ticket(id:$id){ id stage history { seq action } } }", new { id = ticket.Key }))["ticket"]!;
            var history = node["history"]!.AsArray().Select(h => (Seq: h!["seq"]!.GetValue<int>(), Action: h["action"]!.GetValue<string>())).ToArray();
            Assert.True(history.Select(h => h.Action).Distinct().Count() == history.Length, $"ticket {ticket.Key} applied an action twice: {string.Join(",", history)}");
            Assert.True(history.Select(h => h.Seq).Distinct().Count() == history.Length, $"ticket {ticket.Key} has a sequence number twice: {string.Join(",", history)}");
            foreach (var acked in ticket)
                Assert.True(history.Count(h => h.Action == acked.Kind) == 1, $"ticket {ticket.Key}: acknowledged {acked.Kind} is not once in its history: {string.Join(",", history)}");
        }

        // Evaluation facts: each fact once per evaluation key, and each acknowledged accept counted (found:<ticket>).
        var facts = new Dictionary<(string Key, string Fact), int>();
        await using (var cmd = db.CreateCommand("SELECT subject, split_part(detail, ' ', 1), count(*) FROM gridgov_journal WHERE kind = 'Fact' GROUP BY 1, 2"))
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) facts[(reader.GetString(0), reader.GetString(1))] = (int)reader.GetInt64(2);
        var doubleFacts = facts.Where(f => f.Value > 1).ToArray();
        Assert.True(doubleFacts.Length == 0, $"facts counted twice: {string.Join(", ", doubleFacts.Take(5).Select(d => $"{d.Key}×{d.Value}"))}");
        var foundFacts = facts.Keys.Select(k => k.Fact).ToHashSet();
        var uncounted = acks.Where(a => a.Kind == "ACCEPT" && !foundFacts.Contains("found:" + a.Subject)).ToArray();
        Assert.True(uncounted.Length == 0, $"acknowledged accepts whose 'found' fact is missing: {string.Join("; ", uncounted.Take(5))}");

        return $"reconciled: {ackedCheckIns.Length} check-ins among {checkIns.Count} journalled; {ackedTransitions.Length} transitions over {tickets.Length} tickets " +
               $"({lines.Count} ticket lines journalled); {facts.Count} fact lines, none doubled";
    }

    static string JournalAction(string graphQLAction) => graphQLAction switch
    {
        "REPORT" => "Report",
        "ACCEPT" => "Accept",
        "DISPATCH" => "Dispatch",
        "HANDLE" => "Handle",
        _ => graphQLAction,
    };
}
