using System.Collections.Concurrent;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace GridGov.Api.Tests.Transport;

/// <summary>Server-side state the toy schema shares with the tests.</summary>
public sealed class ToyState
{
    private int _counter;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _unsubscribed = new();

    public int Increment(int by) => Interlocked.Add(ref _counter, by);

    /// <summary>Completes when the ticks stream subscribed with <paramref name="key"/> has been disposed.</summary>
    public Task Unsubscribed(string key) => Signal(key).Task;

    internal void MarkUnsubscribed(string key) => Signal(key).TrySetResult();

    private TaskCompletionSource Signal(string key)
        => _unsubscribed.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}

/// <summary>
/// query { hello(name) boom coded slow(ms) whoami tenant }, mutation { increment(by) },
/// subscription { ticks(count, delayMs, key) }.
/// </summary>
public sealed class ToySchema : Schema
{
    public ToySchema(IServiceProvider services)
        : base(services)
    {
        Query = new ToyQuery();
        Mutation = new ToyMutation();
        Subscription = new ToySubscription();
    }
}

public sealed class ToyQuery : ObjectGraphType
{
    public ToyQuery()
    {
        Name = "Query";

        Field<NonNullGraphType<StringGraphType>>("hello")
            .Argument<StringGraphType>("name", arg => arg.DefaultValue = "world")
            .Resolve(ctx => $"Hello, {ctx.GetArgument<string>("name")}!");

        Field<StringGraphType>("boom")
            .Resolve(_ => throw new InvalidOperationException("secret connection string Host=db;Password=hunter2"));

        Field<StringGraphType>("coded")
            .Resolve(_ => throw new ExecutionError("Grid cell not found") { Code = "GRID_NOT_FOUND" });

        Field<StringGraphType>("slow")
            .Argument<NonNullGraphType<IntGraphType>>("ms")
            .ResolveAsync(async ctx =>
            {
                await Task.Delay(ctx.GetArgument<int>("ms"), ctx.CancellationToken);
                return "done";
            });

        Field<StringGraphType>("whoami")
            .Resolve(ctx => ctx.User?.Identity?.Name);

        Field<StringGraphType>("tenant")
            .Resolve(ctx => ctx.UserContext.TryGetValue("tenant", out var tenant) ? tenant as string : null);
    }
}

public sealed class ToyMutation : ObjectGraphType
{
    public ToyMutation()
    {
        Name = "Mutation";

        Field<NonNullGraphType<IntGraphType>>("increment")
            .Argument<IntGraphType>("by", arg => arg.DefaultValue = 1)
            .Resolve(ctx => ctx.RequestServices!.GetRequiredService<ToyState>().Increment(ctx.GetArgument<int>("by")));
    }
}

public sealed class ToySubscription : ObjectGraphType
{
    public ToySubscription()
    {
        Name = "Subscription";

        Field<NonNullGraphType<IntGraphType>>("ticks")
            .Argument<NonNullGraphType<IntGraphType>>("count")
            .Argument<IntGraphType>("delayMs", arg => arg.DefaultValue = 0)
            .Argument<StringGraphType>("key")
            .Resolve(ctx => ctx.Source)
            .ResolveStream(ctx =>
            {
                var state = ctx.RequestServices!.GetRequiredService<ToyState>();
                var key = ctx.GetArgument<string?>("key");
                return new TickObservable(
                    ctx.GetArgument<int>("count"),
                    TimeSpan.FromMilliseconds(ctx.GetArgument<int>("delayMs")),
                    key is null ? null : () => state.MarkUnsubscribed(key));
            });
    }
}

/// <summary>Emits 1..count (optionally spaced by a delay), then completes; reports its disposal.</summary>
public sealed class TickObservable(int count, TimeSpan delay, Action? onDisposed) : IObservable<object?>
{
    public IDisposable Subscribe(IObserver<object?> observer)
    {
        var cts = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            try
            {
                for (var i = 1; i <= count; i++)
                {
                    if (delay > TimeSpan.Zero)
                    {
                        await Task.Delay(delay, cts.Token);
                    }

                    cts.Token.ThrowIfCancellationRequested();
                    observer.OnNext(i);
                }

                observer.OnCompleted();
            }
            catch (OperationCanceledException)
            {
                // unsubscribed
            }
        });
        return new Subscription(cts, onDisposed);
    }

    private sealed class Subscription(CancellationTokenSource cts, Action? onDisposed) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                cts.Cancel();
                onDisposed?.Invoke();
            }
        }
    }
}
