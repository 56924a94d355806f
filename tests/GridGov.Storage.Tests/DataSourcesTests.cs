using GridGov.Storage.Postgres;
using Npgsql;

namespace GridGov.Storage.Tests;

/// <summary>GridGov's own statements are prepared once per connection and survive the pool; an explicit setting wins.</summary>
public sealed class DataSourcesTests
{
    static NpgsqlConnectionStringBuilder Settings(string connectionString)
    {
        using var source = DataSources.Create(connectionString);
        return new NpgsqlConnectionStringBuilder(source.ConnectionString);
    }

    [Fact]
    public void Statements_are_prepared_automatically_and_connections_are_not_reset_on_return()
    {
        var s = Settings("Host=127.0.0.1;Port=5432;Username=postgres;Database=gridgov");
        Assert.Equal(DataSources.MaxAutoPrepare, s.MaxAutoPrepare);
        Assert.True(s.NoResetOnClose);
    }

    [Fact]
    public void A_connection_string_that_names_either_setting_keeps_its_own_value()
    {
        var s = Settings("Host=127.0.0.1;Username=postgres;Max Auto Prepare=0;NoResetOnClose=false");
        Assert.Equal(0, s.MaxAutoPrepare);
        Assert.False(s.NoResetOnClose);
    }
}
