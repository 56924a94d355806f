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
        builder.AddGridGovAuth();
        builder.AddGridGovRateLimiting();
        builder.AddGridGovGraphQL(o => o.AddQueryLimits(QueryLimitsOptions.From(builder.Configuration)));
        var telemetryServices = CountTelemetryServices(builder.Services);
        configure?.Invoke(builder);

        // Spans and metrics cost CPU on every request and grain call; without an exporter (configured, or added by
        // the caller's hook, e.g. a test's in-memory one) they would all be thrown away, so nothing subscribes then.
        var hostAddedTelemetry = CountTelemetryServices(builder.Services) > telemetryServices;
        builder.AddGridGovTelemetry("gridgov-api", instrumentWithoutExporter: hostAddedTelemetry);
        builder.Services.CacheGrainInterfaceTypes();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseRejectedBearerTokenChallenge();
        app.UseAuthorization();
        app.MapGridGovHealth();
        app.MapGraphQLTransport().RequireRateLimiting(RateLimitHosting.PolicyName);
        app.MapGridGovDashboard();
        app.MapOpen311();
        return app;
    }

    private static int CountTelemetryServices(IServiceCollection services)
        => services.Count(d => d.ServiceType.Namespace?.StartsWith("OpenTelemetry", StringComparison.Ordinal) == true);
}
