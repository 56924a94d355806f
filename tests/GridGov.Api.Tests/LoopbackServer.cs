using GraphQL.Types;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GridGov.Api.Tests;

/// <summary>A web app on Kestrel at 127.0.0.1 with an ephemeral port, for tests that speak real HTTP and WebSocket.</summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    LoopbackServer(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
    }

    public WebApplication App { get; }
    public Uri BaseAddress { get; }
    public HttpClient Http { get; }
    public Uri WebSocketUri => new UriBuilder(BaseAddress) { Scheme = "ws", Path = "/graphql" }.Uri;

    /// <summary>Builds with <paramref name="configure"/>, maps with <paramref name="map"/>, starts, and builds the schema.</summary>
    public static async Task<LoopbackServer> StartAsync(Action<WebApplicationBuilder> configure, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(LoopbackServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        configure(builder);

        var app = builder.Build();
        map(app);
        await app.StartAsync();
        app.Services.GetService<ISchema>()?.Initialize(); // keep schema building out of timed requests
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackServer(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
