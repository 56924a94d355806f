using Microsoft.Extensions.Hosting;
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
