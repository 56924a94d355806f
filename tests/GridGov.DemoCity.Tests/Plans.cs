using GridGov.DemoCity;

namespace GridGov.DemoCity.Tests;

/// <summary>Plans shared by the tests (generating is pure, so sharing is safe).</summary>
public static class Plans
{
    static readonly Lazy<DemoCityPlan> DefaultPlan = new(() => DemoCityGenerator.Generate(DemoCityOptions.Default));

    public static DemoCityPlan Default => DefaultPlan.Value;
}
