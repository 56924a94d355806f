using GridGov.Api.GraphQL.Transport;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace GridGov.Api.Auth;

/// <summary>Registration of JWT bearer authentication for HTTP and the GraphQL WebSocket.</summary>
public static class AuthHosting
{
    /// <summary>
    /// Registers <see cref="AuthOptions"/> (section <c>GridGov:Auth</c>), <see cref="TokenService"/>, JwtBearer as the
    /// default scheme, authorization and <see cref="JwtConnectionAuthenticator"/> for <c>connection_init</c>.
    /// </summary>
    /// <remarks>
    /// Anonymous requests still reach every endpoint (the GraphQL schema decides per field). A request that
    /// presents a bearer token which does not validate is refused with JwtBearer's 401 (see
    /// <see cref="UseRejectedBearerTokenChallenge"/>) instead of silently running as anonymous.
    /// </remarks>
    public static WebApplicationBuilder AddGridGovAuth(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName);
        services.AddSingleton(sp => new TokenService(
            sp.GetRequiredService<IOptions<AuthOptions>>().Value,
            sp.GetService<TimeProvider>()));
        services.AddHostedService<DevelopmentKeyWarning>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<TokenService>((jwt, tokens) =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = tokens.CreateValidationParameters();

                // Validates through TokenService, which keeps tokens it validated until they expire (a bearer client
                // sends the same token on every request); everything else is validated in full, as before.
                jwt.UseSecurityTokenValidators = false;
                jwt.TokenHandlers.Clear();
                jwt.TokenHandlers.Add(tokens.CreateTokenHandler());
            });

        services.AddAuthorization();

        // Replaces the transport's default authenticator, whether AddGraphQLTransport ran before or after.
        services.AddSingleton<IGraphQLConnectionAuthenticator, JwtConnectionAuthenticator>();
        return builder;
    }

    /// <summary>
    /// Refuses, with JwtBearer's 401 challenge, a request that presents a bearer token which did not authenticate;
    /// every other request passes (anonymous ones too: the GraphQL schema decides per field). Put it after
    /// authentication and rate limiting. A plain middleware, not a fallback authorization policy: that policy ran the
    /// whole authorization service on every request and cost about a tenth of a GraphQL check-in's CPU.
    /// </summary>
    public static IApplicationBuilder UseRejectedBearerTokenChallenge(this IApplicationBuilder app)
        => app.Use(next => context =>
            context.User.Identity?.IsAuthenticated != true && PresentsBearer(context.Request.Headers.Authorization)
                ? context.ChallengeAsync()
                : next(context));

    private static bool PresentsBearer(Microsoft.Extensions.Primitives.StringValues authorization)
    {
        foreach (var value in authorization)
        {
            if (value?.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) == true)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Says at startup, once, that tokens are signed with the public development key.</summary>
    private sealed class DevelopmentKeyWarning(TokenService tokens, ILogger<TokenService> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (tokens.Options.UsesDevelopmentKey)
            {
                logger.LogWarning(
                    "{Section}:SigningKey is not set: tokens are signed with the built-in development key, which anyone can read. Set a key of at least 32 bytes outside development.",
                    AuthOptions.SectionName);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
