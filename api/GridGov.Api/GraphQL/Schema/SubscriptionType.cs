using GraphQL;
using GraphQL.Types;
using GridGov.Grains;
using Orleans.Streams;

namespace GridGov.Api.GraphQL.Schema;

/// <summary>Live events of a jurisdiction: check-ins, closed windows, ticket transitions, in the order each source made them.</summary>
public sealed class SubscriptionType : ObjectGraphType
{
    public SubscriptionType()
    {
        Name = "Subscription";
        Field<GridEvent>("gridEvents").Description("Ticket and patrol events of a jurisdiction as they happen.")
            .Argument<NonNullGraphType<StringGraphType>>("jurisdiction")
            .Argument<ListGraphType<NonNullGraphType<EnumerationGraphType<GridEventKind>>>>("kinds")
            .ResolveStreamAsync(async c =>
            {
                var jurisdiction = c.GetArgument<string>("jurisdiction");
                c.Require(Role.Supervisor, Role.Platform).EnsureWithin(jurisdiction);
                var kinds = c.GetArgument<GridEventKind[]?>("kinds");
                var districts = JurisdictionCode.LevelOf(jurisdiction) == JurisdictionLevel.City
                    ? (await c.Grains().GetGrain<ICityGrain>(jurisdiction).GetJurisdictions()).Where(n => n.Level == JurisdictionLevel.District).Select(n => n.Code).ToArray()
                    : [JurisdictionCode.AncestorAt(jurisdiction, JurisdictionLevel.District)];
                var streams = c.RequestServices!.GetRequiredService<IClusterClient>().GetStreamProvider(GridStreams.Provider);
                return new GridEventObservable(streams, districts,
                    e => JurisdictionCode.Contains(jurisdiction, e.CellCode) && (kinds is null || kinds.Length == 0 || kinds.Contains(e.Kind)));
            });
    }
}

/// <summary>Orleans district streams seen as one observable; disposing the subscription unsubscribes.</summary>
public sealed class GridEventObservable(IStreamProvider streams, string[] districts, Func<GridEvent, bool> filter) : IObservable<GridEvent?>
{
    public IDisposable Subscribe(IObserver<GridEvent?> observer)
    {
        var gate = new Lock();
        var handles = districts.Select(d => streams.GetStream<GridEvent>(StreamId.Create(GridStreams.Namespace, d))
            .SubscribeAsync((e, _) =>
            {
                if (filter(e)) lock (gate) observer.OnNext(e);
                return Task.CompletedTask;
            })).ToArray();
        Task.WaitAll(handles);
        return new Subscription(handles.Select(h => h.Result).ToArray());
    }

    sealed class Subscription(StreamSubscriptionHandle<GridEvent>[] handles) : IDisposable
    {
        public void Dispose()
        {
            foreach (var h in handles) _ = h.UnsubscribeAsync();
        }
    }
}
