using System.Globalization;

namespace GridGov.Api.Auth;

/// <summary>
/// <c>mint-token</c>: prints tokens signed with the configured key (<c>GridGov:Auth</c>), so a developer can call the
/// embedded API as any demo user.
/// <code>
/// dotnet run --project api/GridGov.Api -- mint-token --role inspector --sub I0001 --jur 130101001 [--hours 8]
/// dotnet run --project api/GridGov.Api -- mint-token --demo
/// </code>
/// </summary>
public static class TokenCommand
{
    public const string Name = "mint-token";

    /// <summary>The demo city's ready-made users: label, and the actor a token is minted for.</summary>
    public static IReadOnlyList<(string Label, Actor Actor)> DemoUsers { get; } =
    [
        ("city-supervisor", new Actor("sup-1301", Role.Supervisor, "1301")),
        ("district-supervisor", new Actor("sup-130101", Role.Supervisor, "130101")),
        ("inspector", new Actor("I0001", Role.Inspector, "130101001")),
        ("handler", new Actor("h-U001", Role.Handler, "U001")),
        ("citizen", new Actor("c-0001", Role.Citizen, "1301")),
        ("platform", new Actor("p-12345", Role.Platform, "1301")),
    ];

    private const string Usage = """
        usage: mint-token --role <supervisor|inspector|handler|citizen|platform> --sub <user id> --jur <jurisdiction code or unit id> [--hours <lifetime>]
               mint-token --demo [--hours <lifetime>]
        """;

    /// <summary>
    /// Runs the command when <c>args[0]</c> is <c>mint-token</c> and returns true (the host should then exit);
    /// returns false for any other arguments. Errors go to standard error and set a non-zero exit code.
    /// </summary>
    public static bool TryRun(string[] args, IConfiguration config, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0] != Name)
        {
            return false;
        }

        var exitCode = Run(args[1..], config, output, Console.Error);
        if (exitCode != 0)
        {
            Environment.ExitCode = exitCode;
        }

        return true;
    }

    /// <summary>Runs <c>mint-token</c> with the arguments after the command name; returns the exit code (0, or 2 for bad usage).</summary>
    public static int Run(IReadOnlyList<string> arguments, IConfiguration config, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!TryParse(arguments, out var options, out var problem))
        {
            return Fail(error, problem);
        }

        var auth = AuthOptions.From(config);
        TimeSpan? lifetime = null;
        if (options.TryGetValue("hours", out var hoursText))
        {
            if (!double.TryParse(hoursText, NumberStyles.Float, CultureInfo.InvariantCulture, out var hours) || !(hours > 0) || hours > 24 * 366)
            {
                return Fail(error, $"--hours must be a positive number of hours, got '{hoursText}'.");
            }

            lifetime = TimeSpan.FromHours(hours);
        }

        TokenService tokens;
        try
        {
            tokens = new TokenService(auth);
        }
        catch (InvalidOperationException e)
        {
            return Fail(error, e.Message);
        }

        if (auth.UsesDevelopmentKey)
        {
            error.WriteLine($"warning: {AuthOptions.SectionName}:SigningKey is not set; signing with the development key (embedded demo only).");
        }

        if (options.ContainsKey("demo"))
        {
            if (options.Keys.Any(name => name is not ("demo" or "hours")))
            {
                return Fail(error, "--demo takes no other option than --hours.");
            }

            WriteDemoTable(tokens, lifetime ?? auth.TokenLifetime, output);
            return 0;
        }

        if (!options.TryGetValue("role", out var roleText) || !options.TryGetValue("sub", out var sub) || !options.TryGetValue("jur", out var jur))
        {
            return Fail(error, "--role, --sub and --jur are required (or --demo).");
        }

        if (!GridGovClaims.TryParseRole(roleText, out var role))
        {
            return Fail(error, $"Unknown role '{roleText}'.");
        }

        try
        {
            output.WriteLine(tokens.Mint(new Actor(sub, role, jur), lifetime));
            return 0;
        }
        catch (ArgumentException e)
        {
            return Fail(error, e.Message);
        }
    }

    private static void WriteDemoTable(TokenService tokens, TimeSpan lifetime, TextWriter output)
    {
        output.WriteLine($"# GridGov demo tokens: issuer {tokens.Options.Issuer}, audience {tokens.Options.Audience}, valid {lifetime.TotalHours.ToString("0.##", CultureInfo.InvariantCulture)} h.");
        output.WriteLine("# Send one as 'Authorization: Bearer <token>', or as {\"Authorization\":\"Bearer <token>\"} in connection_init.");
        output.WriteLine($"# {"user",-20} {"role",-11} {"sub",-11} {"jur",-10} token");
        foreach (var (label, actor) in DemoUsers)
        {
            output.WriteLine($"{label,-22} {GridGovClaims.RoleValue(actor.Role),-11} {actor.Id,-11} {actor.Scope,-10} {tokens.Mint(actor, lifetime)}");
        }
    }

    /// <summary>Reads <c>--name value</c> / <c>--name=value</c> pairs; <c>--demo</c> is the only flag.</summary>
    private static bool TryParse(IReadOnlyList<string> arguments, out Dictionary<string, string> options, out string problem)
    {
        options = new Dictionary<string, string>(StringComparer.Ordinal);
        problem = "";
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (!argument.StartsWith("--", StringComparison.Ordinal) || argument.Length == 2)
            {
                problem = $"Unexpected argument '{argument}'.";
                return false;
            }

            var name = argument[2..];
            string value;
            if (name.IndexOf('=') is var eq and > 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            else if (name == "demo")
            {
                value = "";
            }
            else if (i + 1 < arguments.Count)
            {
                value = arguments[++i];
            }
            else
            {
                problem = $"--{name} needs a value.";
                return false;
            }

            if (name is not ("role" or "sub" or "jur" or "hours" or "demo"))
            {
                problem = $"Unknown option '--{name}'.";
                return false;
            }

            if (!options.TryAdd(name, value))
            {
                problem = $"--{name} is given twice.";
                return false;
            }
        }

        return true;
    }

    private static int Fail(TextWriter error, string problem)
    {
        error.WriteLine("mint-token: " + problem);
        error.WriteLine(Usage);
        return 2;
    }
}
