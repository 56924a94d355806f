using System.Reflection;
using Orleans.Runtime;

namespace GridGov.Grains.Tests;

/// <summary>
/// Getting a grain reference is on every request's path. Orleans' generated proxy resolves, in its constructor, a
/// deep copier for each mutable parameter type (reflection through ActivatorUtilities, every GetGrain call); array and
/// dictionary parameters are marked [Immutable] so no proxy does.
/// </summary>
public sealed class GrainReferenceTests
{
    [Fact]
    public void No_generated_proxy_resolves_services_when_a_reference_is_made()
    {
        var proxies = typeof(ICellGrain).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(GrainReference)) && t.Name.StartsWith("Proxy_", StringComparison.Ordinal))
            .ToArray();
        Assert.Contains(proxies, p => p.Name == "Proxy_ICellGrain");
        var withFields = proxies
            .Select(p => (p.Name, Fields: p.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly)))
            .Where(p => p.Fields.Length > 0)
            .Select(p => $"{p.Name}: {string.Join(", ", p.Fields.Select(f => f.FieldType.Name))}")
            .ToArray();
        Assert.True(withFields.Length == 0, "Proxies that copy arguments (mark the parameter [Immutable]): " + string.Join("; ", withFields));
    }
}
