namespace GridGov.Grains.Infrastructure;

/// <summary>Names of the storage providers the grains persist to.</summary>
public static class GridGovStorage
{
    public const string Name = "gridgov";
}
