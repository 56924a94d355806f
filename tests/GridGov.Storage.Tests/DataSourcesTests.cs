using GridGov.Storage.Postgres;
using Npgsql;

namespace GridGov.Storage.Tests;

/// <summary>GridGov's own statements are prepared once per connection and survive the pool; an explicit setting wins.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DataSourcesTests(PostgresFixture pg)
{
    static NpgsqlConnectionStringBuilder Settings(string connectionString, bool genericPlans = false)
    {
        using var source = DataSources.Create(connectionString, genericPlans);
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

    [Fact]
    public async Task Batch_writers_plan_each_statement_once_and_ticket_search_keeps_the_server_default()
    {
        var db = await pg.CreateDatabaseAsync();
        async Task<string> PlanCacheMode(NpgsqlDataSource source)
        {
            await using (source)
            {
                await using var show = source.CreateCommand("SHOW plan_cache_mode");
                return (string)(await show.ExecuteScalarAsync())!;
            }
        }

        Assert.Equal("force_generic_plan", await PlanCacheMode(DataSources.Create(db, genericPlans: true)));
        Assert.Equal("auto", await PlanCacheMode(DataSources.Create(db)));
        // Options the connection string already gives are kept; a plan_cache_mode it names wins.
        var withOptions = new NpgsqlConnectionStringBuilder(db) { Options = "-c work_mem=8MB" }.ConnectionString;
        Assert.Equal("-c work_mem=8MB " + DataSources.GenericPlans, Settings(withOptions, genericPlans: true).Options);
        var named = new NpgsqlConnectionStringBuilder(db) { Options = "-c plan_cache_mode=force_custom_plan" }.ConnectionString;
        Assert.Equal("force_custom_plan", await PlanCacheMode(DataSources.Create(named, genericPlans: true)));
    }
}
