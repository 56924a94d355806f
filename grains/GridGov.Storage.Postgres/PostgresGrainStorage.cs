using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using GridGov.Grains.Infrastructure;
using Npgsql;
using Orleans.Storage;

namespace GridGov.Storage.Postgres;

/// <summary>
/// GridGov's grain storage in PostgreSQL (gridgov_grain_state) with group commit. Writes from all grains of a silo
/// queue on one channel; one statement writes whatever queued while the previous batch was in flight (up to
/// <see cref="MaxBatch"/> rows), and each caller's task completes when that statement has committed. Reads are
/// grouped the same way (one SELECT per batch), so an activation storm costs few round trips.
/// </summary>
/// <remarks>
/// The ETag is the row's version. Each row of a batch is checked on its own: a write naming a version that is no
/// longer stored (or a first write over an existing row) fails with <see cref="InconsistentStateException"/> for that
/// grain only while the rest of the batch commits. A driver or connection failure fails every caller of the batch
/// (wrap in <see cref="StorageFailureMapping"/> for the typed UNAVAILABLE); a server error that may belong to one row
/// (a trigger, a deadlock, bad data) is retried row by row so it fails only its own caller. State is serialized by
/// the callers with Orleans' serializer, so [Id]-tagged state classes stay version tolerant. A state with no row here
/// is looked up in the previous version's storage (<see cref="LegacyGrainState"/>), one read per miss.
/// </remarks>
public sealed class PostgresGrainStorage : IGrainStorage, IAsyncDisposable
{
    public const int DefaultMaxBatch = 512;

    /// <summary>Rows per grain-state statement. Tag: <c>op</c> (read, write).</summary>
    static readonly Histogram<int> BatchSizes = GridGovMetrics.Meter.CreateHistogram<int>(
        "gridgov.storage.batch_size", "{row}", "Rows per grain-state statement (group commit)");

    const string WriteSql = """
        WITH input AS (
            SELECT * FROM unnest(@names, @ids, @expected, @payloads) WITH ORDINALITY
                AS i(state_name, grain_id, expected, payload, ord)),
        updated AS (
            UPDATE gridgov_grain_state s
            SET payload = i.payload, version = s.version + 1, updated_at = now()
            FROM input i
            WHERE i.expected IS NOT NULL AND s.service_id = @service AND s.state_name = i.state_name
              AND s.grain_id = i.grain_id AND s.version = i.expected
            RETURNING i.ord, s.version),
        inserted AS (
            INSERT INTO gridgov_grain_state (service_id, state_name, grain_id, version, payload)
            SELECT @service, i.state_name, i.grain_id, 1, i.payload FROM input i WHERE i.expected IS NULL
            ON CONFLICT DO NOTHING
            RETURNING state_name, grain_id, version)
        SELECT i.ord, COALESCE(u.version, n.version) AS written, s.version AS stored
        FROM input i
        LEFT JOIN updated u ON u.ord = i.ord
        LEFT JOIN inserted n ON n.state_name = i.state_name AND n.grain_id = i.grain_id
        LEFT JOIN gridgov_grain_state s ON s.service_id = @service AND s.state_name = i.state_name AND s.grain_id = i.grain_id
        """;

    const string ReadSql = """
        SELECT k.ord, s.version, s.payload
        FROM unnest(@names, @ids) WITH ORDINALITY AS k(state_name, grain_id, ord)
        JOIN gridgov_grain_state s ON s.service_id = @service AND s.state_name = k.state_name AND s.grain_id = k.grain_id
        """;

    readonly NpgsqlDataSource _db;
    readonly string _serviceId;
    readonly IGrainStorageSerializer _serializer;
    readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    readonly Channel<PendingRead> _reads = Channel.CreateUnbounded<PendingRead>(new UnboundedChannelOptions { SingleReader = true });
    readonly Task _writer;
    readonly Task _reader;
    long _batches, _written, _conflicts, _readBatches, _read;

    /// <summary>What a row holds: its version and payload (null when cleared).</summary>
    readonly record struct Stored(long Version, byte[]? Payload);

    sealed record PendingWrite(string State, string Grain, long? Expected, byte[] Payload, TaskCompletionSource<long> Done);

    sealed record PendingRead(string State, string Grain, TaskCompletionSource<Stored?> Done);

    /// <param name="legacy">Where a state this table has no row for is looked up (the previous ADO.NET storage); none: nowhere.</param>
    public PostgresGrainStorage(string connectionString, string serviceId, IGrainStorageSerializer serializer, int maxBatch = DefaultMaxBatch,
        LegacyGrainState? legacy = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _db = DataSources.Create(connectionString, genericPlans: true);
        _serviceId = serviceId;
        _serializer = serializer;
        Legacy = legacy;
        MaxBatch = maxBatch;
        _writer = Task.Run(WriteLoop);
        _reader = Task.Run(ReadLoop);
    }

    /// <summary>The read-through to the previous ADO.NET storage, if configured.</summary>
    public LegacyGrainState? Legacy { get; }

    /// <summary>Most rows one statement carries.</summary>
    public int MaxBatch { get; }

    /// <summary>Write statements that committed; with <see cref="Written"/> it shows how well writes were grouped.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Grain states written (committed rows).</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Writes refused for a stale ETag.</summary>
    public long Conflicts => Interlocked.Read(ref _conflicts);

    /// <summary>Read statements made; with <see cref="Read"/> it shows how well reads were grouped.</summary>
    public long ReadBatches => Interlocked.Read(ref _readBatches);

    /// <summary>Grain state reads answered by a read statement.</summary>
    public long Read => Interlocked.Read(ref _read);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var done = new TaskCompletionSource<Stored?>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_reads.Writer.TryWrite(new PendingRead(stateName, grainId.ToString(), done)))
            throw new InvalidOperationException("The grain storage is shut down.");
        if (await done.Task is not { } stored)
        {
            // Not in this table: state the previous version stored comes back with no ETag (the next write inserts it).
            if (Legacy is { } legacy && await legacy.TryReadAsync(stateName, grainId, grainState)) return;
            // Nothing stored: the state keeps the fresh instance Orleans created for it.
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }
        grainState.ETag = ETag(stored.Version);
        grainState.RecordExists = stored.Payload is not null;
        if (stored.Payload is { } payload)
            grainState.State = _serializer.Deserialize<T>(new BinaryData(payload));
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var expected = Version(grainState.ETag, stateName, grainId);
        var data = _serializer.Serialize(grainState.State).ToMemory();
        var payload = MemoryMarshal.TryGetArray(data, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : data.ToArray();
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_writes.Writer.TryWrite(new PendingWrite(stateName, grainId.ToString(), expected, payload, done)))
            throw new InvalidOperationException("The grain storage is shut down.");
        var version = await done.Task;
        grainState.ETag = ETag(version);
        grainState.RecordExists = true;
    }

    /// <summary>Keeps the row with no payload and the next version (unbatched: GridGov's grains do not clear state).</summary>
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var expected = Version(grainState.ETag, stateName, grainId);
        var grain = grainId.ToString();
        await using var cmd = _db.CreateCommand(expected is null
            ? "SELECT version FROM gridgov_grain_state WHERE service_id = @service AND state_name = @name AND grain_id = @id"
            : """
              UPDATE gridgov_grain_state SET payload = NULL, version = version + 1, updated_at = now()
              WHERE service_id = @service AND state_name = @name AND grain_id = @id AND version = @expected
              RETURNING version
              """);
        cmd.Parameters.Add(new NpgsqlParameter<string>("service", _serviceId));
        cmd.Parameters.Add(new NpgsqlParameter<string>("name", stateName));
        cmd.Parameters.Add(new NpgsqlParameter<string>("id", grain));
        if (expected is { } v) cmd.Parameters.Add(new NpgsqlParameter<long>("expected", v));
        var result = await cmd.ExecuteScalarAsync();
        if (expected is null)
        {
            // Nothing was ever stored: nothing to clear. A row the grain has not seen is someone else's.
            if (result is long stored) throw Conflict(stateName, grain, stored, null);
        }
        else if (result is long cleared)
        {
            grainState.ETag = ETag(cleared);
        }
        else
        {
            throw Conflict(stateName, grain, await StoredVersion(stateName, grain), expected);
        }
        grainState.RecordExists = false;
    }

    async Task<long?> StoredVersion(string stateName, string grain)
    {
        await using var cmd = _db.CreateCommand("SELECT version FROM gridgov_grain_state WHERE service_id = @service AND state_name = @name AND grain_id = @id");
        cmd.Parameters.Add(new NpgsqlParameter<string>("service", _serviceId));
        cmd.Parameters.Add(new NpgsqlParameter<string>("name", stateName));
        cmd.Parameters.Add(new NpgsqlParameter<string>("id", grain));
        return await cmd.ExecuteScalarAsync() as long?;
    }

    async Task WriteLoop()
    {
        var carried = new List<PendingWrite>();
        var batch = new List<PendingWrite>(MaxBatch);
        var keys = new HashSet<(string, string)>();
        while (carried.Count > 0 || await _writes.Reader.WaitToReadAsync())
        {
            batch.Clear();
            keys.Clear();
            // A key may appear once per batch: a second write of the same state waits for the next batch, in order.
            var deferred = new List<PendingWrite>();
            foreach (var w in carried)
                (batch.Count < MaxBatch && keys.Add((w.State, w.Grain)) ? batch : deferred).Add(w);
            while (batch.Count < MaxBatch && _writes.Reader.TryRead(out var next))
                (keys.Add((next.State, next.Grain)) ? batch : deferred).Add(next);
            carried = deferred;
            await Commit(batch);
        }
    }

    /// <summary>Writes one batch and completes its callers; never throws.</summary>
    async Task Commit(IReadOnlyList<PendingWrite> batch)
    {
        try
        {
            var results = await Write(batch);
            Interlocked.Increment(ref _batches);
            BatchSizes.Record(batch.Count, new KeyValuePair<string, object?>("op", "write"));
            var written = 0;
            for (var i = 0; i < batch.Count; i++)
            {
                var (version, stored) = results[i];
                if (version is { } v)
                {
                    written++;
                    batch[i].Done.TrySetResult(v);
                }
                else
                {
                    Interlocked.Increment(ref _conflicts);
                    batch[i].Done.TrySetException(Conflict(batch[i].State, batch[i].Grain, stored, batch[i].Expected));
                }
            }
            Interlocked.Add(ref _written, written);
        }
        catch (Exception e) when (batch.Count > 1 && MayBelongToOneRow(e))
        {
            // The statement changed nothing; find the row it was about so only that caller fails.
            foreach (var w in batch) await Commit([w]);
        }
        catch (Exception e)
        {
            foreach (var w in batch) w.Done.TrySetException(e);
        }
    }

    /// <summary>Per row of the batch: the version written (null: refused) and the version stored before.</summary>
    async Task<(long? Written, long? Stored)[]> Write(IReadOnlyList<PendingWrite> batch)
    {
        await using var cmd = _db.CreateCommand(WriteSql);
        cmd.Parameters.Add(new NpgsqlParameter<string>("service", _serviceId));
        cmd.Parameters.Add(new NpgsqlParameter<string[]>("names", batch.Select(w => w.State).ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter<string[]>("ids", batch.Select(w => w.Grain).ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter<long?[]>("expected", batch.Select(w => w.Expected).ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter<byte[][]>("payloads", batch.Select(w => w.Payload).ToArray()));
        var results = new (long?, long?)[batch.Count];
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            results[reader.GetInt64(0) - 1] = (reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2));
        return results;
    }

    async Task ReadLoop()
    {
        var waiting = new Dictionary<(string State, string Grain), List<PendingRead>>();
        while (await _reads.Reader.WaitToReadAsync())
        {
            waiting.Clear();
            while (waiting.Count < MaxBatch && _reads.Reader.TryRead(out var next))
            {
                if (!waiting.TryGetValue((next.State, next.Grain), out var callers))
                    waiting.Add((next.State, next.Grain), callers = []);
                callers.Add(next);
            }
            var keys = waiting.Keys.ToArray();
            try
            {
                var found = new Stored?[keys.Length];
                await using (var cmd = _db.CreateCommand(ReadSql))
                {
                    cmd.Parameters.Add(new NpgsqlParameter<string>("service", _serviceId));
                    cmd.Parameters.Add(new NpgsqlParameter<string[]>("names", keys.Select(k => k.State).ToArray()));
                    cmd.Parameters.Add(new NpgsqlParameter<string[]>("ids", keys.Select(k => k.Grain).ToArray()));
                    await using var reader = await cmd.ExecuteReaderAsync();
                    while (await reader.ReadAsync())
                        found[reader.GetInt64(0) - 1] = new Stored(reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<byte[]>(2));
                }
                Interlocked.Increment(ref _readBatches);
                BatchSizes.Record(keys.Length, new KeyValuePair<string, object?>("op", "read"));
                var read = 0;
                for (var i = 0; i < keys.Length; i++)
                    foreach (var caller in waiting[keys[i]])
                    {
                        read++;
                        caller.Done.TrySetResult(found[i]);
                    }
                Interlocked.Add(ref _read, read);
            }
            catch (Exception e)
            {
                foreach (var caller in waiting.Values.SelectMany(c => c)) caller.Done.TrySetException(e);
            }
        }
    }

    /// <summary>
    /// A server error the connection survived that may be caused by one row (raised by a trigger, bad data, a
    /// constraint, a deadlock or serialization failure), as opposed to a lost connection or a missing table.
    /// </summary>
    static bool MayBelongToOneRow(Exception e) =>
        e is PostgresException { SqlState: var state } && state.Length == 5 && state[..2] is "P0" or "22" or "23" or "40";

    static long? Version(string? etag, string stateName, GrainId grainId)
    {
        if (etag is null) return null;
        return long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw new InconsistentStateException($"{stateName} of {grainId}: the ETag '{etag}' is not a version of this storage.", null, etag);
    }

    static InconsistentStateException Conflict(string stateName, string grain, long? stored, long? expected) =>
        new($"{stateName} of {grain}: stored version {Show(stored)}, the grain had {Show(expected)}.", stored is { } s ? ETag(s) : null, expected is { } e ? ETag(e) : null);

    static string Show(long? version) => version?.ToString(CultureInfo.InvariantCulture) ?? "none";

    static string ETag(long version) => version.ToString(CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        _reads.Writer.TryComplete();
        await Task.WhenAll(_writer, _reader);
        await _db.DisposeAsync();
    }
}
