using Npgsql;
using Orleans.Storage;

namespace GridGov.Storage.Postgres;

/// <summary>
/// Read-through to the grain state written before <see cref="PostgresGrainStorage"/> existed, when GridGov's grains
/// were stored by Orleans' ADO.NET storage (provider "gridgov-adonet", table OrleansStorage). Without it, a database
/// written by that version would look empty to every grain after the upgrade and accepted state would be lost.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="PostgresGrainStorage"/> asks here only for a state its own table has no row for. What is found comes back
/// with ETag null and RecordExists true, so the grain's next write inserts it into gridgov_grain_state (version 1) and
/// later reads never get here. Nothing is copied on read and OrleansStorage is never written.
/// </para>
/// <para>
/// Whether OrleansStorage holds any GridGov state is decided once per silo start (on the first miss) by one query: a
/// row of this service whose state name is not pub/sub's. The ADO.NET storage keys rows by service, state name and
/// grain key only (the provider name is in neither key nor hash), so "PubSubRendezvousGrain" is how PubSubStore's rows
/// are told apart. A database that never had the old storage never reads through.
/// </para>
/// <para>
/// Remove this class and the "gridgov-adonet" registration in <see cref="PostgresSilo"/> once no deployment still holds
/// GridGov state only in OrleansStorage: every deployment has run a version with this read-through and every grain
/// that had legacy state has written since (or the leftover rows were copied into gridgov_grain_state).
/// </para>
/// </remarks>
public sealed class LegacyGrainState(string connectionString, string serviceId, IGrainStorage adoNet)
{
    /// <summary>The previous provider's name; the ADO.NET storage is registered under it as before.</summary>
    public const string ProviderName = "gridgov-adonet";

    /// <summary>State name under which Orleans' pub/sub (PubSubStore, still ADO.NET) stores its rows.</summary>
    public const string PubSubStateName = "PubSubRendezvousGrain";

    const string HasStateSql = """
        SELECT EXISTS (SELECT 1 FROM OrleansStorage WHERE ServiceId = @service AND GrainTypeString <> @pubsub)
        """;

    readonly Lock _gate = new();
    Task<bool>? _hasState;
    long _checks, _reads, _found;

    /// <summary>Queries made to decide whether OrleansStorage holds GridGov state (one per silo start, more only after a failure).</summary>
    public long Checks => Interlocked.Read(ref _checks);

    /// <summary>Reads that went to the ADO.NET storage.</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>Reads that found a legacy record.</summary>
    public long Found => Interlocked.Read(ref _found);

    /// <summary>
    /// Reads <paramref name="stateName"/> of <paramref name="grainId"/> from OrleansStorage into
    /// <paramref name="grainState"/> (ETag null); false, with <paramref name="grainState"/> untouched, when there is none.
    /// </summary>
    public async Task<bool> TryReadAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (!await HasState()) return false;
        Interlocked.Increment(ref _reads);
        var legacy = new GrainState<T>(grainState.State);
        await adoNet.ReadStateAsync(stateName, grainId, legacy);
        if (!legacy.RecordExists) return false;
        Interlocked.Increment(ref _found);
        grainState.State = legacy.State;
        grainState.ETag = null;
        grainState.RecordExists = true;
        return true;
    }

    /// <summary>The once-per-start decision; a failed check is not remembered, so the next miss asks again.</summary>
    Task<bool> HasState()
    {
        lock (_gate)
        {
            if (_hasState is null || _hasState.IsFaulted || _hasState.IsCanceled)
                _hasState = Check();
            return _hasState;
        }
    }

    async Task<bool> Check()
    {
        Interlocked.Increment(ref _checks);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(HasStateSql, connection);
        cmd.Parameters.Add(new NpgsqlParameter<string>("service", serviceId));
        cmd.Parameters.Add(new NpgsqlParameter<string>("pubsub", PubSubStateName));
        return await cmd.ExecuteScalarAsync() is true;
    }
}
