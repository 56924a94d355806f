using System.Security.Claims;
using GridGov.Api.Auth;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace GridGov.Api.Tests.Auth;

/// <summary>TokenService's cache of validated tokens: hits skip validation, but never outlive the token or accept another one.</summary>
public sealed class ValidatedTokenCacheTests
{
    private static readonly AuthOptions Options = new() { SigningKey = SecuredServerFixture.SigningKey };
    private static readonly Actor Inspector = new("I0001", Role.Inspector, "130101001");

    /// <summary>What JwtBearer passes on every request: a clone of the parameters it was configured with.</summary>
    private static TokenValidationParameters BearerParameters(TokenService tokens) => tokens.CreateValidationParameters().Clone();

    [Fact]
    public async Task A_validated_token_is_kept_and_answered_from_the_cache()
    {
        var tokens = new TokenService(Options, new FakeTimeProvider(DateTimeOffset.UtcNow));
        var token = tokens.Mint(Inspector);

        var first = await tokens.ValidateTokenAsync(token, BearerParameters(tokens));
        var second = await tokens.ValidateTokenAsync(token, BearerParameters(tokens));

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Equal(1, tokens.CachedTokenCount);
        Assert.Equal(Inspector, new ClaimsPrincipal(second.ClaimsIdentity).ToActor());
        Assert.NotNull(second.SecurityToken);
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
    }

    [Fact]
    public async Task A_cached_token_is_refused_once_it_expires()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));
        var tokens = new TokenService(Options, time);
        var token = tokens.Mint(Inspector, TimeSpan.FromHours(1));
        Assert.True((await tokens.ValidateTokenAsync(token, BearerParameters(tokens))).IsValid);
        Assert.NotNull(tokens.Validate(token));
        Assert.Equal(1, tokens.CachedTokenCount);

        time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(20));
        Assert.True((await tokens.ValidateTokenAsync(token, BearerParameters(tokens))).IsValid); // within the 30 s skew

        time.Advance(TimeSpan.FromSeconds(20));
        Assert.False((await tokens.ValidateTokenAsync(token, BearerParameters(tokens))).IsValid);
        Assert.Null(tokens.Validate(token));
        Assert.Equal(0, tokens.CachedTokenCount); // dropped, not kept
    }

    [Fact]
    public async Task Same_claims_with_another_signature_are_not_answered_from_the_cache()
    {
        var tokens = new TokenService(Options);
        var token = tokens.Mint(Inspector);
        Assert.True((await tokens.ValidateTokenAsync(token, BearerParameters(tokens))).IsValid);

        var parts = token.Split('.');
        var forgedSignature = Base64UrlEncoder.Encode(new byte[32]);
        var forged = $"{parts[0]}.{parts[1]}.{forgedSignature}";
        var truncated = $"{parts[0]}.{parts[1]}.{parts[2][..^2]}";

        Assert.False((await tokens.ValidateTokenAsync(forged, BearerParameters(tokens))).IsValid);
        Assert.False((await tokens.ValidateTokenAsync(truncated, BearerParameters(tokens))).IsValid);
        Assert.Null(tokens.Validate(forged));
        Assert.Equal(1, tokens.CachedTokenCount);
    }

    [Fact]
    public async Task A_token_from_another_key_is_refused_even_with_the_same_claims_cached()
    {
        var tokens = new TokenService(Options);
        var other = new TokenService(new AuthOptions { SigningKey = "another-key-that-is-long-enough-for-hs256!!" });
        Assert.True((await tokens.ValidateTokenAsync(tokens.Mint(Inspector), BearerParameters(tokens))).IsValid);

        Assert.False((await tokens.ValidateTokenAsync(other.Mint(Inspector), BearerParameters(tokens))).IsValid);
    }

    [Fact]
    public async Task Other_parameters_bypass_the_cache()
    {
        var tokens = new TokenService(Options);
        var token = tokens.Mint(Inspector);
        Assert.True((await tokens.ValidateTokenAsync(token, BearerParameters(tokens))).IsValid);

        var stricter = BearerParameters(tokens);
        stricter.ValidAudience = "another-api";

        Assert.False((await tokens.ValidateTokenAsync(token, stricter)).IsValid);
    }

    [Fact]
    public async Task Changing_the_identity_of_a_hit_does_not_change_later_hits()
    {
        var tokens = new TokenService(Options);
        var token = tokens.Mint(Inspector);
        await tokens.ValidateTokenAsync(token, BearerParameters(tokens));

        var hit = await tokens.ValidateTokenAsync(token, BearerParameters(tokens));
        hit.ClaimsIdentity.AddClaim(new Claim(GridGovClaims.Role, "supervisor"));

        var again = await tokens.ValidateTokenAsync(token, BearerParameters(tokens));
        Assert.Single(again.ClaimsIdentity.FindAll(GridGovClaims.Role));
    }

    [Fact]
    public void The_cache_stays_bounded()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));
        var tokens = new TokenService(Options, time);
        Assert.True(TokenService.MaxCachedTokens >= 50_000, "every inspector of a 100,000-cell city fits");
        for (var i = 0; i < TokenService.MaxCachedTokens + 50; i++)
        {
            Assert.NotNull(tokens.Validate(tokens.Mint(new Actor($"I{i:D6}", Role.Inspector, "130101001"))));
        }

        Assert.InRange(tokens.CachedTokenCount, 1, TokenService.MaxCachedTokens);
    }
}
