using GridGov.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GridGov.DemoCity;

/// <summary>Loads the demo city into a started host and logs what it loaded.</summary>
public static class DemoCityHosting
{
    /// <summary>Loads the demo city unless a durable store already has it; returns null when it was there.</summary>
    public static async Task<DemoCityLoadReport?> LoadDemoCityAsync(this IServiceProvider services, DemoCityOptions? options = null, CancellationToken ct = default)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("GridGov.DemoCity");
        var plan = DemoCityGenerator.Generate(options ?? DemoCityOptions.Default);
        try
        {
            var existing = await services.GetRequiredService<IGrainFactory>().GetGrain<ICityGrain>(plan.CityCode).GetSettings();
            logger.LogInformation("Demo city {City} ({Name}) is already in the store; not loading it again", plan.CityCode, existing.Name);
            return null;
        }
        catch (GridGovException e) when (e.Code == ErrorCodes.NotFound)
        {
        }
        var report = await DemoCityLoader.LoadAsync(services.GetRequiredService<IGrainFactory>(), plan, logger, ct: ct);
        logger.LogInformation(
            "Demo city {City} loaded in {Elapsed:F1} s: {Jurisdictions} jurisdictions, {Cells} cells, {Points} points of {Types} types, {Units} units, {Inspectors} inspectors, {Routes} routes, {Quotas} quotas",
            report.CityCode, report.Elapsed.TotalSeconds, report.Jurisdictions, report.Cells, report.Points, report.PointTypes,
            report.Units, report.Inspectors, report.Routes, report.Quotas);
        return report;
    }
}
