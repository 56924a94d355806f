using GridGov.Api.Auth;
using GridGov.Storage.Postgres;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Orleans.Dashboard;

namespace GridGov.Api.Hosting;

/// <summary>
/// The Orleans Dashboard (Microsoft.Orleans.Dashboard), served by the API under <see cref="Path"/> to supervisors only.
/// </summary>
/// <remarks>
/// Co-hosted mode adds the dashboard to the API's own silo. Client mode (<c>GridGov:Api:Mode=Client</c>) adds the
/// dashboard's client side to the API and serves the same UI; its grains run on the silos, which add the dashboard
/// too (silo/GridGov.Silo), so the UI stays behind the API's supervisor check and the silos expose no UI of their own.
/// Off unless <c>GridGov:Dashboard:Enabled=true</c> (API and silo; see <see cref="DashboardSwitch"/> for why). A browser cannot easily send a bearer header
/// to a page, so under <see cref="Path"/> the token is also read from the <see cref="CookieName"/> cookie.
/// </remarks>
public static class DashboardHosting
{
    public const string Path = "/dashboard";
    public const string CookieName = "gridgov_token";
    public const string PolicyName = "gridgov-dashboard";
    public static WebApplicationBuilder AddGridGovDashboard(this WebApplicationBuilder builder)
    {
        if (!DashboardSwitch.Enabled(builder.Configuration)) return builder;
        if (ClusterHosting.IsClient(builder.Configuration))
            builder.UseOrleansClient(client => client.AddDashboard());
        else
            builder.UseOrleans(silo => silo.AddDashboard());

        // Unauthenticated: 401 (JwtBearer's challenge); authenticated but not a supervisor: 403.
        builder.Services.Configure<AuthorizationOptions>(o => o.AddPolicy(PolicyName, p => p
            .RequireAuthenticatedUser()
            .RequireAssertion(ctx => ctx.User.ToActor()?.Role == Role.Supervisor)));
        builder.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
        {
            jwt.Events ??= new JwtBearerEvents();
            var previous = jwt.Events.OnMessageReceived;
            jwt.Events.OnMessageReceived = async context =>
            {
                await previous(context);
                if (context.Token is null
                    && context.Request.Path.StartsWithSegments(Path)
                    && !context.Request.Headers.Authorization.Any(v => !string.IsNullOrEmpty(v))
                    && context.Request.Cookies.TryGetValue(CookieName, out var token)
                    && !string.IsNullOrWhiteSpace(token))
                {
                    context.Token = token;
                }
            };
        });
        return builder;
    }

    public static WebApplication MapGridGovDashboard(this WebApplication app)
    {
        if (DashboardSwitch.Enabled(app.Configuration)) app.MapOrleansDashboard(routePrefix: Path).RequireAuthorization(PolicyName);
        return app;
    }
}
