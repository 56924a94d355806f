using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GridGov.Api.Auth;

/// <summary>
/// Mints and validates GridGov's HS256 JWTs. <see cref="CreateValidationParameters"/> is also what the
/// JwtBearer handler validates with, so a token this service accepts is accepted over HTTP and WebSocket alike.
/// </summary>
public sealed class TokenService
{
    /// <summary>Tolerated clock difference between the minting and the validating machine.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private readonly AuthOptions _options;
    private readonly TimeProvider _time;
    private readonly SymmetricSecurityKey _key;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false, SetDefaultTimesOnTokenCreation = false };
    private readonly TokenValidationParameters _parameters;
    private readonly ValidatedTokenCache _validated;

    /// <param name="options">Issuer, audience, key and default lifetime.</param>
    /// <param name="time">The clock for iat/exp and for expiry checks; the system clock when null.</param>
    public TokenService(AuthOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = time ?? TimeProvider.System;
        _key = new SymmetricSecurityKey(options.GetSigningKeyBytes());
        _parameters = CreateValidationParameters();
        _validated = new ValidatedTokenCache(IsWithinLifetime);
    }

    /// <summary>The options the service was built with.</summary>
    public AuthOptions Options => _options;

    /// <summary>A signed token for <paramref name="actor"/>, valid for <paramref name="lifetime"/> (default <see cref="AuthOptions.TokenLifetime"/>).</summary>
    /// <exception cref="ArgumentException">The actor is the system, or its id or scope is not valid for its role.</exception>
    public string Mint(Actor actor, TimeSpan? lifetime = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Role == Role.System)
        {
            throw new ArgumentException("Tokens are never minted for the system role.", nameof(actor));
        }

        if (string.IsNullOrWhiteSpace(actor.Id))
        {
            throw new ArgumentException("The actor needs an id (the token's subject).", nameof(actor));
        }

        if (!GridGovClaims.IsValidScope(actor.Role, actor.Scope))
        {
            throw new ArgumentException(actor.Role == Role.Handler
                ? "A handler's scope is its responsible unit id."
                : $"'{actor.Scope}' is not a city, district, street or community code (4, 6, 9 or 12 digits).", nameof(actor));
        }

        var validFor = lifetime ?? _options.TokenLifetime;
        if (validFor <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), validFor, "A token's lifetime must be positive.");
        }

        var now = _time.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _options.Issuer,
            Audience = _options.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + validFor,
            Claims = new Dictionary<string, object>
            {
                [GridGovClaims.Subject] = actor.Id,
                [GridGovClaims.Role] = GridGovClaims.RoleValue(actor.Role),
                [GridGovClaims.Jurisdiction] = actor.Scope,
            },
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>The principal a valid token stands for, or null when the token is malformed, forged, expired or foreign.</summary>
    public ClaimsPrincipal? Validate(string token)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return null;
        }

        // HS256 with an in-memory key: validation completes synchronously.
        var result = ValidateTokenAsync(token, _parameters).GetAwaiter().GetResult();
        return result.IsValid ? new ClaimsPrincipal(result.ClaimsIdentity) : null;
    }

    /// <summary>
    /// Validates <paramref name="token"/> with <paramref name="parameters"/>; what the JwtBearer handler calls (see
    /// <see cref="CreateTokenHandler"/>). A token that validated before under this service's own parameters is answered
    /// from a cache keyed by its exact text while its lifetime (with <see cref="ClockSkew"/>) lasts on this service's clock;
    /// anything else, and any other parameters, get the full validation.
    /// </summary>
    public async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var cacheable = !string.IsNullOrEmpty(token) && IsOwnParameters(parameters);
        if (cacheable && _validated.TryGet(token, out var cachedToken, out var cachedIdentity))
        {
            return new TokenValidationResult
            {
                IsValid = true,
                SecurityToken = cachedToken,
                ClaimsIdentity = cachedIdentity,
                Issuer = cachedToken.Issuer,
                TokenType = cachedToken.Typ,
            };
        }

        var result = await _handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        if (cacheable && result.IsValid && result.SecurityToken is JsonWebToken validated)
        {
            _validated.Add(token, validated, result.ClaimsIdentity);
        }

        return result;
    }

    /// <summary>A JwtBearer token handler that validates through <see cref="ValidateTokenAsync"/>.</summary>
    public TokenHandler CreateTokenHandler() => new CachingTokenHandler(this);

    /// <summary>Tokens currently kept as validated.</summary>
    public int CachedTokenCount => _validated.Count;

    /// <summary>Most tokens kept as validated at once.</summary>
    public const int MaxCachedTokens = ValidatedTokenCache.Capacity;

    /// <summary>
    /// True when <paramref name="parameters"/> check what this service's own parameters check (same key, issuer,
    /// audience, algorithms, lifetime rule, claim types): JwtBearer passes a clone of them on every request.
    /// </summary>
    private bool IsOwnParameters(TokenValidationParameters parameters)
        => ReferenceEquals(parameters, _parameters)
           || (ReferenceEquals(parameters.IssuerSigningKey, _key)
               && parameters.IssuerSigningKeys is null
               && parameters.IssuerSigningKeyResolver is null
               && parameters.SignatureValidator is null
               && parameters.TokenReader is null
               && parameters.IssuerValidator is null
               && parameters.AudienceValidator is null
               && parameters.AlgorithmValidator is null
               && parameters.TokenReplayValidator is null
               && parameters.TypeValidator is null
               && parameters.ValidIssuers is null
               && parameters.ValidAudiences is null
               && parameters.RequireSignedTokens
               && parameters.RequireExpirationTime
               && parameters.ValidateIssuer
               && parameters.ValidateAudience
               && parameters.ValidateLifetime
               && parameters.ValidateIssuerSigningKey
               && parameters.LifetimeValidator == (LifetimeValidator)ValidateLifetime
               && parameters.ClockSkew == ClockSkew
               && string.Equals(parameters.ValidIssuer, _options.Issuer, StringComparison.Ordinal)
               && string.Equals(parameters.ValidAudience, _options.Audience, StringComparison.Ordinal)
               && OnlyHmacSha256(parameters.ValidAlgorithms)
               && parameters.NameClaimType == GridGovClaims.Subject
               && parameters.RoleClaimType == GridGovClaims.Role
               && parameters.AuthenticationType == "GridGov");

    private static bool OnlyHmacSha256(IEnumerable<string>? algorithms)
    {
        var count = 0;
        foreach (var algorithm in algorithms ?? [])
        {
            if (algorithm != SecurityAlgorithms.HmacSha256 || ++count > 1)
            {
                return false;
            }
        }

        return count == 1;
    }

    /// <summary>
    /// Validation parameters: HS256 only, signed, issuer and audience checked, iat/exp required, lifetime checked
    /// against this service's clock with <see cref="ClockSkew"/>; name claim "sub", role claim "role".
    /// </summary>
    public TokenValidationParameters CreateValidationParameters() => new()
    {
        ValidIssuer = _options.Issuer,
        ValidAudience = _options.Audience,
        IssuerSigningKey = _key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateIssuerSigningKey = true,
        ValidateLifetime = true,
        ClockSkew = ClockSkew,
        LifetimeValidator = ValidateLifetime,
        NameClaimType = GridGovClaims.Subject,
        RoleClaimType = GridGovClaims.Role,
        AuthenticationType = "GridGov",
    };

    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
        => IsWithinLifetime(notBefore, expires);

    private bool IsWithinLifetime(DateTime? notBefore, DateTime? expires)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return expires is { } exp
               && now - ClockSkew < exp.ToUniversalTime()
               && (notBefore is not { } nbf || nbf.ToUniversalTime() <= now + ClockSkew);
    }
}

/// <summary>Plugs <see cref="TokenService.ValidateTokenAsync"/> (and its cache of validated tokens) into JwtBearer.</summary>
internal sealed class CachingTokenHandler(TokenService tokens) : TokenHandler
{
    public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        => tokens.ValidateTokenAsync(token, validationParameters);

    public override SecurityToken ReadToken(string token) => new JsonWebToken(token);
}
