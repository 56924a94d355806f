using System.Collections.Concurrent;
using Orleans.Metadata;
using Orleans.Runtime;

namespace GridGov.Api.Hosting;

/// <summary>
/// Remembers what Orleans' <see cref="IGrainInterfaceTypeProvider"/>s answer per interface. Orleans asks them on every
/// <c>GetGrain&lt;T&gt;(key)</c>, and the attribute-based one reads the interface's custom attributes each time (reflection,
/// allocations): about a tenth of a GraphQL request's CPU outside the grain. The answer depends only on the interface
/// type (its attributes), so caching it changes nothing else.
/// </summary>
public static class GrainInterfaceTypeCache
{
    /// <summary>Wraps every registered <see cref="IGrainInterfaceTypeProvider"/> in a per-type cache; call after <c>UseOrleans</c>/<c>UseOrleansClient</c>.</summary>
    public static IServiceCollection CacheGrainInterfaceTypes(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType != typeof(IGrainInterfaceTypeProvider) || descriptor.IsKeyedService)
            {
                continue;
            }

            services[i] = ServiceDescriptor.Describe(
                typeof(IGrainInterfaceTypeProvider),
                sp => new CachingProvider(Create(descriptor, sp)),
                descriptor.Lifetime);
        }

        // In front of them all: the resolver's whole answer (providers in order, else its naming convention, which
        // formats the type's name on every call) for non-generic interfaces, once per type.
        services.Insert(0, ServiceDescriptor.Singleton<IGrainInterfaceTypeProvider>(sp => new ResolvedAnswers(sp)));
        return services;
    }

    private static IGrainInterfaceTypeProvider Create(ServiceDescriptor descriptor, IServiceProvider services)
        => (IGrainInterfaceTypeProvider)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));

    /// <summary>
    /// What <see cref="GrainInterfaceTypeResolver"/> would answer for a non-generic interface: the first other provider's
    /// answer, else the convention. Generic interfaces are left to the resolver (it post-processes their arguments).
    /// </summary>
    private sealed class ResolvedAnswers(IServiceProvider services) : IGrainInterfaceTypeProvider
    {
        private readonly ConcurrentDictionary<Type, GrainInterfaceType> _answers = new();
        private IGrainInterfaceTypeProvider[]? _others;

        public bool TryGetGrainInterfaceType(Type type, out GrainInterfaceType grainInterfaceType)
        {
            if (!type.IsInterface || type.IsGenericType)
            {
                grainInterfaceType = default;
                return false;
            }

            if (_answers.TryGetValue(type, out grainInterfaceType))
            {
                return true;
            }

            _others ??= [.. services.GetServices<IGrainInterfaceTypeProvider>().Where(p => !ReferenceEquals(p, this))];
            var resolved = default(GrainInterfaceType);
            var found = false;
            foreach (var provider in _others)
            {
                if (provider.TryGetGrainInterfaceType(type, out resolved))
                {
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                resolved = services.GetRequiredService<GrainInterfaceTypeResolver>().GetGrainInterfaceTypeByConvention(type);
            }

            grainInterfaceType = _answers.GetOrAdd(type, resolved);
            return true;
        }
    }

    /// <summary>One provider's answers, by interface type.</summary>
    private sealed class CachingProvider(IGrainInterfaceTypeProvider inner) : IGrainInterfaceTypeProvider
    {
        private readonly ConcurrentDictionary<Type, (bool Found, GrainInterfaceType Type)> _answers = new();

        public bool TryGetGrainInterfaceType(Type type, out GrainInterfaceType grainInterfaceType)
        {
            if (!_answers.TryGetValue(type, out var answer))
            {
                var found = inner.TryGetGrainInterfaceType(type, out var resolved);
                answer = _answers.GetOrAdd(type, (found, resolved));
            }

            grainInterfaceType = answer.Type;
            return answer.Found;
        }
    }
}
