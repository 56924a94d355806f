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

    public static NpgsqlDataSource Create(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var given = Given(connectionString);
        if (!given.Contains("maxautoprepare")) builder.MaxAutoPrepare = MaxAutoPrepare;
        if (!given.Contains("noresetonclose")) builder.NoResetOnClose = true;
        return NpgsqlDataSource.Create(builder.ConnectionString);
    }

    /// <summary>The keys the connection string itself names, lower case without spaces (Npgsql's builder knows every key).</summary>
    public static HashSet<string> Given(string connectionString)
    {
        var raw = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return raw.Keys.Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()).ToHashSet();
    }
}
