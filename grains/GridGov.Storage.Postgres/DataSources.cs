using Npgsql;

namespace GridGov.Storage.Postgres;

/// <summary>
/// The data sources GridGov's own writers and readers use. Their statements are few and fixed (unnest batches, upserts),
/// so the server parses and plans each once per connection: automatic preparation, and pooled connections are not
/// reset on return (a reset discards prepared statements; GridGov sets no session state). A connection string that
/// names either setting keeps its own value.
/// </summary>
public static class DataSources
{
    public const int MaxAutoPrepare = 32;

    /// <summary>The server setting <paramref name="genericPlans"/> asks for on every connection.</summary>
    public const string GenericPlans = "-c plan_cache_mode=force_generic_plan";

    /// <param name="connectionString">The configured connection string.</param>
    /// <param name="genericPlans">
    /// Plan each prepared statement once per connection (<c>plan_cache_mode=force_generic_plan</c>). For the unnest
    /// batches of grain state and journal: the server otherwise re-plans them on every execution, because a plan for
    /// the batch's actual size always looks cheaper than the generic one, and planning the grain-state upsert was a
    /// third of the server's CPU. Their generic plans probe the primary key per row, as the custom ones do. Not for
    /// ticket search, whose <c>LIKE 'prefix%'</c> filters need the pattern to use an index.
    /// </param>
    public static NpgsqlDataSource Create(string connectionString, bool genericPlans = false)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var given = Given(connectionString);
        if (!given.Contains("maxautoprepare")) builder.MaxAutoPrepare = MaxAutoPrepare;
        if (!given.Contains("noresetonclose")) builder.NoResetOnClose = true;
        if (genericPlans && builder.Options?.Contains("plan_cache_mode", StringComparison.Ordinal) != true)
            builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? GenericPlans : builder.Options + " " + GenericPlans;
        return NpgsqlDataSource.Create(builder.ConnectionString);
    }

    /// <summary>The keys the connection string itself names, lower case without spaces (Npgsql's builder knows every key).</summary>
    public static HashSet<string> Given(string connectionString)
    {
        var raw = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return raw.Keys.Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()).ToHashSet();
    }
}
