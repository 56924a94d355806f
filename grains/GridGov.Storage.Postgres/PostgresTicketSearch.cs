using System.Text;
using GridGov.Grains.Infrastructure;
using GridGov.Tickets;
using Npgsql;

namespace GridGov.Storage.Postgres;

/// <summary>Ticket search on table gridgov_tickets: upserts from the tickets, keyset-paged queries for lists.</summary>
public sealed class PostgresTicketSearch(string connectionString) : ITicketSearch, IAsyncDisposable
{
    readonly NpgsqlDataSource _db = DataSources.Create(connectionString);

    public async Task Upsert(TicketSummary t)
    {
        await using var cmd = _db.CreateCommand("""
            INSERT INTO gridgov_tickets (id, cell_code, category, severity, source, stage, is_open, unit_id, reported_at, last_changed_at,
                                         stage_deadline, overdue, rework_count, escalation_level)
            VALUES (@id, @cell, @category, @severity, @source, @stage, @open, @unit, @reported, @changed, @deadline, @overdue, @rework, @escalation)
            ON CONFLICT (id) DO UPDATE SET
                stage = excluded.stage, is_open = excluded.is_open, unit_id = excluded.unit_id, last_changed_at = excluded.last_changed_at,
                stage_deadline = excluded.stage_deadline, overdue = excluded.overdue, rework_count = excluded.rework_count,
                escalation_level = excluded.escalation_level
            WHERE gridgov_tickets.last_changed_at <= excluded.last_changed_at
            """);
        var p = cmd.Parameters;
        p.AddWithValue("id", t.Id);
        p.AddWithValue("cell", t.CellCode);
        p.AddWithValue("category", t.Category);
        p.AddWithValue("severity", t.Severity.ToString());
        p.AddWithValue("source", t.Source.ToString());
        p.AddWithValue("stage", t.Stage.ToString());
        p.AddWithValue("open", !TicketLoop.IsFinal(t.Stage));
        p.AddWithValue("unit", t.UnitId);
        p.AddWithValue("reported", t.ReportedAt.UtcDateTime);
        p.AddWithValue("changed", t.LastChangedAt.UtcDateTime);
        p.AddWithValue("deadline", (object?)t.StageDeadline?.UtcDateTime ?? DBNull.Value);
        p.AddWithValue("overdue", t.Overdue);
        p.AddWithValue("rework", t.ReworkCount);
        p.AddWithValue("escalation", t.EscalationLevel);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<TicketPage> Query(TicketFilter f, string? after, int first)
    {
        TicketSearch.EnsureFirst(first);
        var where = new StringBuilder("TRUE");
        await using var count = _db.CreateCommand();
        await using var page = _db.CreateCommand();
        void Add(string clause, string name, object value)
        {
            where.Append(" AND ").Append(clause);
            count.Parameters.AddWithValue(name, value);
            page.Parameters.AddWithValue(name, value);
        }
        if (f.Jurisdiction is not null) Add("cell_code LIKE @jur", "jur", f.Jurisdiction + "%");
        if (f.Stages is { Length: > 0 }) Add("stage = ANY(@stages)", "stages", f.Stages.Select(s => s.ToString()).ToArray());
        if (f.Category is not null) Add("category = @category", "category", f.Category);
        if (f.UnitId is not null) Add("unit_id = @unit", "unit", f.UnitId);
        if (f.Overdue is not null) Add("overdue = @overdue", "overdue", f.Overdue.Value);
        if (f.Open is not null) Add("is_open = @open", "open", f.Open.Value);
        if (f.ReportedFrom is not null) Add("reported_at >= @from", "from", f.ReportedFrom.Value.UtcDateTime);
        if (f.ReportedTo is not null) Add("reported_at < @to", "to", f.ReportedTo.Value.UtcDateTime);
        if (f.Source is not null) Add("source = @source", "source", f.Source.Value.ToString());

        count.CommandText = $"SELECT count(*) FROM gridgov_tickets WHERE {where}";
        var total = (long)(await count.ExecuteScalarAsync())!;

        var keyset = "";
        if (after is not null)
        {
            var (at, id) = TicketCursor.Parse(after);
            keyset = " AND (reported_at, id) < (@afterAt, @afterId)";
            page.Parameters.AddWithValue("afterAt", at.UtcDateTime);
            page.Parameters.AddWithValue("afterId", id);
        }
        page.CommandText = $"""
            SELECT id, cell_code, category, severity, source, stage, unit_id, reported_at, last_changed_at, stage_deadline, overdue, rework_count, escalation_level
            FROM gridgov_tickets WHERE {where}{keyset} ORDER BY reported_at DESC, id DESC LIMIT {first + 1}
            """;
        var items = new List<TicketSummary>();
        await using var r = await page.ExecuteReaderAsync();
        while (await r.ReadAsync())
            items.Add(new TicketSummary(r.GetString(0), r.GetString(1), r.GetString(2), Enum.Parse<Severity>(r.GetString(3)), Enum.Parse<TicketSource>(r.GetString(4)),
                Enum.Parse<TicketStage>(r.GetString(5)), r.GetString(6), r.GetFieldValue<DateTimeOffset>(7), r.GetFieldValue<DateTimeOffset>(8),
                r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9), r.GetBoolean(10), r.GetInt32(11), r.GetInt32(12)));
        return new TicketPage(items.Take(first).ToArray(), items.Count > first, (int)total);
    }

    public ValueTask DisposeAsync() => _db.DisposeAsync();
}
