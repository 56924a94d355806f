using GridGov.Api.Auth;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;

namespace GridGov.Api.Tests.Auth;

public sealed class TokenCommandTests
{
    private static readonly IConfiguration Config = new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["GridGov:Auth:SigningKey"] = SecuredServerFixture.SigningKey })
        .Build();

    private static readonly TokenService Validator = new(AuthOptions.From(Config));

    [Fact]
    public void Mints_one_token_that_validates_as_the_given_user()
    {
        var output = new StringWriter();

        var handled = TokenCommand.TryRun(["mint-token", "--role", "inspector", "--sub", "I0001", "--jur", "130101001"], Config, output);

        Assert.True(handled);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var token = Assert.Single(lines);
        Assert.Equal(new Actor("I0001", Role.Inspector, "130101001"), Validator.Validate(token)?.ToActor());
    }

    [Fact]
    public void Hours_set_the_lifetime()
    {
        var output = new StringWriter();

        Assert.Equal(0, TokenCommand.Run(["--role=Supervisor", "--sub=sup-1301", "--jur=1301", "--hours", "1.5"], Config, output, TextWriter.Null));

        var jwt = new JsonWebToken(output.ToString().Trim());
        Assert.Equal(TimeSpan.FromHours(1.5), jwt.ValidTo - jwt.IssuedAt);
        Assert.Equal("supervisor", jwt.GetClaim("role").Value);
    }

    [Fact]
    public void Demo_prints_a_valid_token_for_every_demo_user()
    {
        var output = new StringWriter();

        Assert.True(TokenCommand.TryRun(["mint-token", "--demo"], Config, output));

        var rows = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.StartsWith('#'))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        Assert.Equal(TokenCommand.DemoUsers.Count, rows.Count);
        foreach (var ((label, actor), row) in TokenCommand.DemoUsers.Zip(rows))
        {
            Assert.Equal([label, GridGovClaims.RoleValue(actor.Role), actor.Id, actor.Scope], row[..4]);
            Assert.Equal(actor, Validator.Validate(row[^1])?.ToActor());
        }

        Assert.Contains(TokenCommand.DemoUsers, u => u.Actor == new Actor("sup-1301", Role.Supervisor, "1301"));
        Assert.Contains(TokenCommand.DemoUsers, u => u.Actor == new Actor("sup-130101", Role.Supervisor, "130101"));
        Assert.Contains(TokenCommand.DemoUsers, u => u.Actor == new Actor("I0001", Role.Inspector, "130101001"));
        Assert.Contains(TokenCommand.DemoUsers, u => u.Actor == new Actor("h-U001", Role.Handler, "U001"));
        Assert.Contains(TokenCommand.DemoUsers, u => u.Actor == new Actor("c-0001", Role.Citizen, "1301"));
        Assert.Contains(TokenCommand.DemoUsers, u => u.Actor == new Actor("p-12345", Role.Platform, "1301"));
    }

    [Fact]
    public void Without_a_configured_key_tokens_use_the_development_key_and_say_so()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        Assert.Equal(0, TokenCommand.Run(["--role", "citizen", "--sub", "c-0001", "--jur", "1301"], new ConfigurationBuilder().Build(), output, error));

        Assert.NotNull(new TokenService(new AuthOptions()).Validate(output.ToString().Trim()));
        Assert.Contains("development key", error.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("--urls http://127.0.0.1:5000")]
    [InlineData("mint-tokens")]
    [InlineData("--GridGov:DemoCells=1000 mint-token")]
    public void Other_arguments_are_not_the_command(string commandLine)
    {
        var args = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var output = new StringWriter();

        Assert.False(TokenCommand.TryRun(args, Config, output));
        Assert.Equal("", output.ToString());
    }

    [Theory]
    [InlineData("--role", "system", "--sub", "x", "--jur", "1301")]
    [InlineData("--role", "mayor", "--sub", "x", "--jur", "1301")]
    [InlineData("--role", "inspector", "--sub", "I0001")]
    [InlineData("--role", "inspector", "--sub", "I0001", "--jur", "13x1")]
    [InlineData("--role", "inspector", "--sub", "I0001", "--jur", "1301", "--hours", "0")]
    [InlineData("--demo", "--role", "inspector")]
    [InlineData("--colour", "red")]
    [InlineData("--sub")]
    public void Bad_usage_prints_nothing_to_output_and_exits_2(params string[] arguments)
    {
        var output = new StringWriter();
        var error = new StringWriter();

        Assert.Equal(2, TokenCommand.Run(arguments, Config, output, error));

        Assert.Equal("", output.ToString());
        Assert.Contains("usage: mint-token", error.ToString());
    }
}
