namespace GridGov.Grains.Infrastructure;

/// <summary>Serves journal reads from whichever silo receives them.</summary>
[StatelessWorker]
public sealed class JournalGrain(IEventJournal journal) : Grain, IJournalGrain
{
    public async Task<JournalLine[]> Read(string subject) =>
        [.. await journal.Read(subject)];
}
