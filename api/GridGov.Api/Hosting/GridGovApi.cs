using GridGov.Api.Auth;
using GridGov.Api.GraphQL;
using GridGov.Api.GraphQL.Protection;
using GridGov.Api.GraphQL.Transport;
using GridGov.Api.Open311;
using GridGov.Storage.Postgres;

namespace GridGov.Api.Hosting;

/// <summary>The web host, one extension per concern; tests build the same app with a fake clock.</summary>
public static class GridGovApi
{
    public static WebApplication Build(string[] args, TimeProvider? clock = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddGridGovCluster(clock);
        builder.AddGridGovDashboard();
        builder.AddGridGovTelemetry("gridgov-api");
        builder.AddGridGovAuth();
        builder.AddGridGovRateLimiting();
        builder.AddGridGovGraphQL(o => o.AddQueryLimits(QueryLimitsOptions.From(builder.Configuration)));
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.MapGridGovHealth();
        app.MapGraphQLTransport().RequireRateLimiting(RateLimitHosting.PolicyName);
        app.MapGridGovDashboard();
        app.MapOpen311();
        return app;
    }
}
