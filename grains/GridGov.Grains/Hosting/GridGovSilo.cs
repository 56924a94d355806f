using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;

namespace GridGov.Grains.Hosting;

/// <summary>Silo configuration shared by the silo host, the API's embedded mode and the test cluster.</summary>
public static class GridGovSilo
{
    /// <summary>
    /// Embedded mode: one silo on localhost, in-process grain storage and in-memory reminders, the system clock unless
    /// <paramref name="clock"/> is given. Later modes swap the providers, not the grains.
    /// </summary>
    public static ISiloBuilder AddGridGovEmbedded(this ISiloBuilder silo, TimeProvider? clock = null)
    {
        // One silo: every grain lives here, so a cache of where remote grains live only costs memory and the
        // per-second count of its entries that Orleans' directory-cache gauge makes.
        silo.Configure<GrainDirectoryOptions>(o => o.CachingStrategy = GrainDirectoryOptions.CachingStrategyType.None);
        silo.Services.AddGrainStorage(GridGovStorage.Name, (sp, _) => ActivatorUtilities.CreateInstance<InProcessGrainStorage>(sp));
        silo.UseInMemoryReminderService();
        silo.AddMemoryStreams(GridStreams.Provider);
        silo.AddMemoryGrainStorage("PubSubStore");
        silo.Services.AddGridClock(clock);
        silo.Services.AddGridGovFlushers();
        silo.Services.AddEventOutbox();
        silo.Services.AddSingleton<IEventJournal, InMemoryEventJournal>();
        silo.Services.AddSingleton<ITicketSearch, InMemoryTicketSearch>();
        return silo;
    }
}
