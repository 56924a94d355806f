using System.Globalization;
using System.Threading.RateLimiting;
using GridGov.Api.Auth;
using GridGov.Api.GraphQL.Transport;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace GridGov.Api.GraphQL.Protection;

/// <summary>Per-caller request budget; bound from <c>GridGov:RateLimit</c>.</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "GridGov:RateLimit";

    /// <summary>Sustained requests per second per caller (may be below 1, e.g. 0.5 = one every 2 s). Default 20.</summary>
    public double PermitsPerSecond { get; set; } = 20;

    /// <summary>Requests a caller may make at once before the sustained rate applies (the bucket's size). Default 40.</summary>
    public int Burst { get; set; } = 40;

    /// <summary>Reads the options from <paramref name="configuration"/> (section <see cref="SectionName"/>).</summary>
    public static RateLimitOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new RateLimitOptions();
        configuration.GetSection(SectionName).Bind(options);
        return options;
    }
}

/// <summary>
/// A token bucket per caller: the token's <c>sub</c> when authenticated, else the remote IP. Requests over budget get
/// 429 with <c>Retry-After</c> and <c>{"errors":[{"message":"Rate limit exceeded: ...","extensions":{"code":"RATE_LIMITED"}}]}</c>.
/// </summary>
/// <remarks>
/// Over a WebSocket only the upgrade request is counted, not each operation sent on the socket.
/// The host needs <c>app.UseRateLimiter()</c> after authentication and <c>.RequireRateLimiting(RateLimitHosting.PolicyName)</c>.
/// </remarks>
public static class RateLimitHosting
{
    /// <summary>The policy name for <c>RequireRateLimiting</c>.</summary>
    public const string PolicyName = "graphql";

    public const string ErrorCode = "RATE_LIMITED";

    /// <summary>
    /// Registers the <see cref="PolicyName"/> policy. <see cref="RateLimitOptions"/> are read from configuration when
    /// the app starts (a bad setting fails the start with a message naming it).
    /// </summary>
    public static WebApplicationBuilder AddGridGovRateLimiting(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName);
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((options, configured) =>
        {
            var settings = configured.Value;
            var bucket = TokenBucket(settings);
            options.AddPolicy(PolicyName, http => RateLimitPartition.GetTokenBucketLimiter(PartitionKey(http), _ => bucket));
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, _) => new ValueTask(RejectAsync(context, settings, bucket.ReplenishmentPeriod));
        });
        return builder;
    }

    private static TokenBucketRateLimiterOptions TokenBucket(RateLimitOptions settings)
    {
        if (!(settings.PermitsPerSecond > 0) || settings.Burst < 1)
        {
            throw new InvalidOperationException(
                $"{RateLimitOptions.SectionName}: PermitsPerSecond must be above 0 and Burst at least 1 (got {settings.PermitsPerSecond} and {settings.Burst}).");
        }

        // Whole tokens per period: 20/s is 20 every second, 0.5/s is 1 every 2 s.
        var perPeriod = Math.Max(1, (int)Math.Round(settings.PermitsPerSecond));
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = settings.Burst,
            TokensPerPeriod = perPeriod,
            ReplenishmentPeriod = TimeSpan.FromSeconds(perPeriod / settings.PermitsPerSecond),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }

    /// <summary>"sub:&lt;id&gt;" for an authenticated caller, else "ip:&lt;address&gt;".</summary>
    internal static string PartitionKey(HttpContext http)
        => http.User.Identity?.IsAuthenticated == true && http.User.FindFirst(GridGovClaims.Subject)?.Value is { Length: > 0 } sub
            ? "sub:" + sub
            : "ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    private static Task RejectAsync(OnRejectedContext context, RateLimitOptions settings, TimeSpan period)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : period;
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        var http = context.HttpContext;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var message = string.Create(CultureInfo.InvariantCulture,
            $"Rate limit exceeded: at most {settings.Burst} requests at once and {settings.PermitsPerSecond} per second per caller; retry after {seconds} s.");
        return http.GetEndpoint()?.Metadata.GetMetadata<IRateLimitRefusalWriter>() is { } writer
            ? writer.WriteAsync(http, message)
            : GraphQLHttpHandler.WriteErrorAsync(http, StatusCodes.Status429TooManyRequests,
                GraphQLHttpHandler.NegotiateMediaType(http.Request.Headers.Accept) ?? GraphQLHttpHandler.JsonMediaType, message, ErrorCode);
    }
}

/// <summary>
/// Endpoint metadata: how a 429 from <see cref="RateLimitHosting.PolicyName"/> is written for endpoints that do not
/// speak GraphQL (e.g. Open311's own error list). Without it the refusal has GraphQL's error shape.
/// </summary>
public interface IRateLimitRefusalWriter
{
    /// <summary>Writes the 429 body (status and <c>Retry-After</c> are set already).</summary>
    Task WriteAsync(HttpContext http, string message);
}
