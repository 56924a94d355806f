using GridGov.Grains.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Storage;

namespace GridGov.Storage.Postgres;

/// <summary>Silo configuration for PostgreSQL mode: a real cluster, durable grain state and reminders.</summary>
public static class PostgresSilo
{
    /// <summary>The ADO.NET invariant the Orleans providers use to load Npgsql.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>
    /// ADO.NET clustering, grain storage "gridgov" (<see cref="PostgresGrainStorage"/>) and "PubSubStore" (ADO.NET), ADO.NET reminders, memory streams "events",
    /// the audit journal (gridgov_journal), ticket search (gridgov_tickets), and the domain clock. The schema is migrated in the silo's first lifecycle stage, before any provider
    /// reads a table.
    /// </summary>
    public static ISiloBuilder AddGridGovPostgres(this ISiloBuilder silo, string connectionString, TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => new MigrationStep(connectionString));
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });
        // GridGov's grains use PostgresGrainStorage (gridgov_grain_state, group commit) through StorageFailureMapping
        // (typed UNAVAILABLE, also on activation). Pub/sub state stays on the ADO.NET storage (OrleansStorage).
        // A state not found there is read through from the previous version's ADO.NET storage, configured as it was.
        AddStorage(silo, LegacyGrainState.ProviderName, connectionString);
        silo.Services.AddSingleton(sp =>
        {
            var serviceId = sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId;
            return new PostgresGrainStorage(connectionString, serviceId,
                new OrleansGrainStorageSerializer(sp.GetRequiredService<Orleans.Serialization.Serializer>()),
                legacy: new LegacyGrainState(connectionString, serviceId, sp.GetRequiredKeyedService<IGrainStorage>(LegacyGrainState.ProviderName)));
        });
        silo.Services.AddKeyedSingleton<IGrainStorage>(GridGovStorage.Name,
            (sp, _) => new StorageFailureMapping(sp.GetRequiredService<PostgresGrainStorage>()));
        AddStorage(silo, "PubSubStore", connectionString);
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });
        silo.AddMemoryStreams(GridStreams.Provider);
        silo.Services.AddGridClock(clock);
        silo.Services.AddGridGovFlushers();
        silo.Services.AddEventOutbox();
        silo.Services.AddSingleton<IEventJournal>(_ => new PostgresEventJournal(connectionString));
        silo.Services.AddSingleton<ITicketSearch>(_ => new PostgresTicketSearch(connectionString));
        silo.AddIncomingGrainCallFilter<StorageFailureFilter>();
        return silo;
    }

    /// <summary>Grain state is written with Orleans' own serializer, so the [Id]-tagged state classes stay version tolerant.</summary>
    static void AddStorage(ISiloBuilder silo, string name, string connectionString) =>
        silo.AddAdoNetGrainStorage(name, (OptionsBuilder<AdoNetGrainStorageOptions> options) =>
            options.Configure<Orleans.Serialization.Serializer>((o, serializer) =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = connectionString;
                o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            }));

    /// <summary>Runs the <see cref="Migrator"/> at <see cref="ServiceLifecycleStage.First"/>.</summary>
    sealed class MigrationStep(string connectionString) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(MigrationStep), ServiceLifecycleStage.First,
                async ct => await new Migrator(connectionString).MigrateAsync(ct));
    }
}
