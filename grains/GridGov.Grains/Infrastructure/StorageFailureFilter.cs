using System.Data.Common;

namespace GridGov.Grains.Infrastructure;

/// <summary>
/// Turns a database failure inside any grain call into a typed, serializable UNAVAILABLE refusal, so callers
/// (and clients in other processes, which cannot deserialize driver exceptions) learn to retry instead of
/// seeing an internal error.
/// </summary>
public sealed class StorageFailureFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception e) when (IsDatabaseFailure(e))
        {
            throw Unavailable();
        }
    }

    /// <summary>The typed refusal for a database failure.</summary>
    public static GridGovException Unavailable() =>
        GridGovException.Unavailable("storage.unavailable", "The database could not be reached or refused the write; retry shortly.");

    public static bool IsDatabaseFailure(Exception e) => e is DbException || (e.InnerException is { } inner && IsDatabaseFailure(inner));
}
