using System.Threading.Channels;
using GridGov.Grains.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace GridGov.Storage.Postgres;

/// <summary>
/// The audit journal in PostgreSQL. Appends from all grains of a silo are grouped into one multi-row INSERT
/// (group commit): each caller's task completes when the transaction holding its lines has committed, so a
/// returned append is durable, and concurrent appends share one round trip.
/// </summary>
public sealed class PostgresEventJournal : IEventJournal, IAsyncDisposable
{
    const int MaxBatch = 1_000;

    readonly NpgsqlDataSource _db;
    readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    readonly Task _writer;

    sealed record Pending(IReadOnlyList<JournalLine> Records, TaskCompletionSource Done);

    public PostgresEventJournal(string connectionString)
    {
        _db = DataSources.Create(connectionString, genericPlans: true);
        _writer = Task.Run(WriteLoop);
    }

    /// <summary>Round trips made so far; with <see cref="Written"/> it shows how well appends were grouped.</summary>
    public long Batches { get; private set; }
    public long Written { get; private set; }

    public Task Append(IReadOnlyList<JournalLine> records)
    {
        if (records.Count == 0) return Task.CompletedTask;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Pending(records, done)))
            throw new InvalidOperationException("The journal is shut down.");
        return done.Task;
    }

    async Task WriteLoop()
    {
        var batch = new List<Pending>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            var lines = 0;
            while (lines < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
                lines += next.Records.Count;
            }
            try
            {
                await Insert(batch.SelectMany(p => p.Records).ToArray());
                Batches++;
                Written += lines;
                foreach (var p in batch) p.Done.TrySetResult();
            }
            catch (Exception e)
            {
                foreach (var p in batch) p.Done.TrySetException(e);
            }
        }
    }

    async Task Insert(JournalLine[] rs)
    {
        await using var cmd = _db.CreateCommand("""
            INSERT INTO gridgov_journal (id, kind, at, cell_code, subject, actor_id, action, stage, detail)
            SELECT * FROM unnest(@id, @kind, @at, @cell, @subject, @actor, @action, @stage, @detail)
            ON CONFLICT (id) DO NOTHING
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string[]>("id", rs.Select(r => r.Id).ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter<string[]>("kind", rs.Select(r => r.Kind).ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter<DateTime[]>("at", rs.Select(r => r.At.UtcDateTime).ToArray()) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter<string[]>("cell", rs.Select(r => r.CellCode).ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter<string[]>("subject", rs.Select(r => r.Subject).ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter<string[]>("actor", rs.Select(r => r.ActorId).ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter<string?[]>("action", rs.Select(r => r.Action).ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter<string?[]>("stage", rs.Select(r => r.Stage).ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter<string[]>("detail", rs.Select(r => r.Detail).ToArray()));
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyList<JournalLine>> Read(string subject)
    {
        await using var cmd = _db.CreateCommand(
            "SELECT id, kind, at, cell_code, subject, actor_id, action, stage, detail FROM gridgov_journal WHERE subject = @s ORDER BY at, seq");
        cmd.Parameters.AddWithValue("s", subject);
        await using var reader = await cmd.ExecuteReaderAsync();
        var lines = new List<JournalLine>();
        while (await reader.ReadAsync())
            lines.Add(new JournalLine(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3),
                reader.GetString(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetString(8)));
        return lines;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
        await _db.DisposeAsync();
    }
}
