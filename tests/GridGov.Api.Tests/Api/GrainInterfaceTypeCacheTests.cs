using GridGov.Grains;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;

namespace GridGov.Api.Tests.Api;

/// <summary>The API host caches Orleans' grain interface type answers; they must be what Orleans would have answered.</summary>
[Collection(ApiCollection.Name)]
public sealed class GrainInterfaceTypeCacheTests(ApiFixture api)
{
    [Fact]
    public void Cached_answers_match_the_resolver_convention_and_stay_stable()
    {
        var resolver = api.App.Services.GetRequiredService<GrainInterfaceTypeResolver>();

        foreach (var type in new[] { typeof(ICellGrain), typeof(IInspectionPointGrain), typeof(ITicketGrain), typeof(IJurisdictionGrain) })
        {
            var first = resolver.GetGrainInterfaceType(type);
            Assert.Equal(resolver.GetGrainInterfaceTypeByConvention(type), first);
            Assert.Equal(first, resolver.GetGrainInterfaceType(type));
        }
    }

    [Fact]
    public async Task Grain_calls_still_reach_the_right_grain()
    {
        var cell = api.Plan.Cells[0].Code;

        var live = await api.Grains.GetGrain<ICellGrain>(cell).GetLiveState();

        Assert.Equal(cell, live.Code);
    }
}
