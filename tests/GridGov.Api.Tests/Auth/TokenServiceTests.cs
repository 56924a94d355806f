using System.Security.Claims;
using System.Text;
using GridGov.Api.Auth;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GridGov.Api.Tests.Auth;

public sealed class TokenServiceTests
{
    private static readonly AuthOptions Options = new() { SigningKey = SecuredServerFixture.SigningKey };
    private static readonly Actor Inspector = new("I0001", Role.Inspector, "130101001");

    public static TheoryData<string, Role, string> EveryRole => new()
    {
        { "sup-1301", Role.Supervisor, "1301" },
        { "I0001", Role.Inspector, "130101001" },
        { "h-U001", Role.Handler, "U001" },
        { "c-0001", Role.Citizen, "1301" },
        { "p-12345", Role.Platform, "130101" },
    };

    [Theory]
    [MemberData(nameof(EveryRole))]
    public void Minted_token_validates_back_to_the_same_actor(string id, Role role, string scope)
    {
        var tokens = new TokenService(Options);
        var actor = new Actor(id, role, scope);

        var principal = tokens.Validate(tokens.Mint(actor));

        Assert.NotNull(principal);
        Assert.Equal(actor, principal.ToActor());
        Assert.Equal(id, principal.Identity?.Name); // NameClaimType is "sub"
        Assert.True(principal.IsInRole(GridGovClaims.RoleValue(role))); // RoleClaimType is "role"
    }

    [Fact]
    public void Token_carries_sub_role_jur_iat_exp_iss_aud()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));
        var tokens = new TokenService(Options, time);

        var jwt = new JsonWebToken(tokens.Mint(Inspector, TimeSpan.FromHours(2)));

        Assert.Equal("HS256", jwt.Alg);
        Assert.Equal("I0001", jwt.GetClaim("sub").Value);
        Assert.Equal("inspector", jwt.GetClaim("role").Value);
        Assert.Equal("130101001", jwt.GetClaim("jur").Value);
        Assert.Equal("gridgov", jwt.Issuer);
        Assert.Equal(["gridgov-api"], jwt.Audiences);
        Assert.Equal(time.GetUtcNow().UtcDateTime, jwt.IssuedAt);
        Assert.Equal(time.GetUtcNow().UtcDateTime.AddHours(2), jwt.ValidTo);
    }

    [Fact]
    public void Default_lifetime_is_12_hours()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));
        var jwt = new JsonWebToken(new TokenService(Options, time).Mint(Inspector));

        Assert.Equal(TimeSpan.FromHours(12), jwt.ValidTo - jwt.IssuedAt);
    }

    [Fact]
    public void Expired_token_is_refused_after_the_clock_skew()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));
        var tokens = new TokenService(Options, time);
        var token = tokens.Mint(Inspector, TimeSpan.FromHours(1));

        time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(20));
        Assert.NotNull(tokens.Validate(token)); // within the 30 s skew

        time.Advance(TimeSpan.FromSeconds(20));
        Assert.Null(tokens.Validate(token));
    }

    [Fact]
    public void Token_from_the_future_is_refused()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));
        var minter = new TokenService(Options, new FakeTimeProvider(time.GetUtcNow().AddMinutes(5)));

        Assert.Null(new TokenService(Options, time).Validate(minter.Mint(Inspector)));
    }

    [Fact]
    public void Token_signed_with_another_key_is_refused()
    {
        var forged = new TokenService(new AuthOptions { SigningKey = "another-key-that-is-long-enough-for-hs256!!" }).Mint(Inspector);

        Assert.Null(new TokenService(Options).Validate(forged));
    }

    [Fact]
    public void Tampered_payload_is_refused()
    {
        var tokens = new TokenService(Options);
        var parts = tokens.Mint(new Actor("c-0001", Role.Citizen, "1301")).Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("\"citizen\"", "\"supervisor\"");
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";

        Assert.Null(tokens.Validate(tampered));
    }

    [Fact]
    public void Foreign_issuer_or_audience_is_refused()
    {
        var tokens = new TokenService(Options);
        var otherIssuer = new TokenService(new AuthOptions { SigningKey = Options.SigningKey, Issuer = "someone-else" }).Mint(Inspector);
        var otherAudience = new TokenService(new AuthOptions { SigningKey = Options.SigningKey, Audience = "other-api" }).Mint(Inspector);

        Assert.Null(tokens.Validate(otherIssuer));
        Assert.Null(tokens.Validate(otherAudience));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    public void Garbage_is_refused(string token) => Assert.Null(new TokenService(Options).Validate(token));

    [Fact]
    public void Unsigned_token_is_refused()
    {
        var unsigned = new JsonWebTokenHandler().CreateToken(Descriptor("system", signed: false));

        Assert.Null(new TokenService(Options).Validate(unsigned));
    }

    [Fact]
    public void System_role_is_never_minted()
        => Assert.Throws<ArgumentException>(() => new TokenService(Options).Mint(Actor.System));

    [Fact]
    public void System_role_in_a_validly_signed_token_is_not_an_actor()
    {
        var token = new JsonWebTokenHandler().CreateToken(Descriptor("system", signed: true));

        var principal = new TokenService(Options).Validate(token);

        Assert.NotNull(principal); // the signature is fine...
        Assert.Null(principal.ToActor()); // ...but no one acts as GridGov itself from outside
    }

    [Theory]
    [InlineData("13x1")] // not digits
    [InlineData("130")] // no such level
    [InlineData("1301010010010001")] // a cell: not a jurisdiction scope
    [InlineData("")]
    public void Minting_refuses_a_scope_that_is_not_a_jurisdiction(string scope)
        => Assert.Throws<ArgumentException>(() => new TokenService(Options).Mint(new Actor("sup-x", Role.Supervisor, scope)));

    [Fact]
    public void Signing_key_may_be_base64_and_must_have_32_bytes()
    {
        var base64 = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
        var tokens = new TokenService(new AuthOptions { SigningKey = base64 });
        Assert.NotNull(tokens.Validate(tokens.Mint(Inspector)));

        var tooShort = Assert.Throws<InvalidOperationException>(() => new TokenService(new AuthOptions { SigningKey = "short" }));
        Assert.Contains("GridGov:Auth:SigningKey", tooShort.Message);
    }

    [Fact]
    public void Without_a_signing_key_the_development_key_is_used()
    {
        var options = new AuthOptions();
        Assert.True(options.UsesDevelopmentKey);

        var token = new TokenService(options).Mint(Inspector);

        Assert.NotNull(new TokenService(new AuthOptions()).Validate(token));
        Assert.Null(new TokenService(Options).Validate(token));
    }

    private static SecurityTokenDescriptor Descriptor(string role, bool signed) => new()
    {
        Issuer = "gridgov",
        Audience = "gridgov-api",
        Expires = DateTime.UtcNow.AddHours(1),
        Claims = new Dictionary<string, object> { ["sub"] = "intruder", ["role"] = role, ["jur"] = "1301" },
        SigningCredentials = signed
            ? new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(SecuredServerFixture.SigningKey)), SecurityAlgorithms.HmacSha256)
            : null,
    };
}

public sealed class ClaimsPrincipalExtensionsTests
{
    [Theory]
    [InlineData("supervisor", Role.Supervisor, "1301")]
    [InlineData("SUPERVISOR", Role.Supervisor, "130101")]
    [InlineData("Inspector", Role.Inspector, "130101001")]
    [InlineData("handler", Role.Handler, "U001")]
    [InlineData("citizen", Role.Citizen, "130101001001")]
    [InlineData("platform", Role.Platform, "1301")]
    public void Maps_every_role_case_insensitively(string roleClaim, Role role, string jur)
        => Assert.Equal(new Actor("u-1", role, jur), Principal(("sub", "u-1"), ("role", roleClaim), ("jur", jur)).ToActor());

    [Theory]
    [InlineData("system")]
    [InlineData("System")]
    [InlineData("5")] // Role.System's number
    [InlineData("0")]
    [InlineData("admin")]
    [InlineData("supervisor,inspector")]
    [InlineData("")]
    public void Refuses_system_numeric_and_unknown_roles(string roleClaim)
        => Assert.Null(Principal(("sub", "u-1"), ("role", roleClaim), ("jur", "1301")).ToActor());

    [Fact]
    public void Refuses_missing_claims()
    {
        Assert.Null(Principal(("role", "supervisor"), ("jur", "1301")).ToActor());
        Assert.Null(Principal(("sub", "u-1"), ("jur", "1301")).ToActor());
        Assert.Null(Principal(("sub", "u-1"), ("role", "supervisor")).ToActor());
        Assert.Null(Principal(("sub", " "), ("role", "supervisor"), ("jur", "1301")).ToActor());
    }

    [Theory]
    [InlineData("supervisor", "13x1")]
    [InlineData("inspector", "1301010010010001")]
    [InlineData("citizen", "U001")]
    public void Refuses_a_jurisdiction_that_does_not_fit_the_role(string role, string jur)
        => Assert.Null(Principal(("sub", "u-1"), ("role", role), ("jur", jur)).ToActor());

    [Fact]
    public void Anonymous_is_no_actor()
    {
        var anonymous = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "u-1"), new Claim("role", "supervisor"), new Claim("jur", "1301")]));

        Assert.Null(anonymous.ToActor()); // claims without an authentication type
        Assert.Null(new ClaimsPrincipal().ToActor());
        Assert.Null(((ClaimsPrincipal?)null).ToActor());
    }

    private static ClaimsPrincipal Principal(params (string Type, string Value)[] claims)
        => new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "test", "sub", "role"));
}
