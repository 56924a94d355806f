using System.Text;

namespace GridGov.Api.Auth;

/// <summary>Token settings, bound from the configuration section <c>GridGov:Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "GridGov:Auth";

    /// <summary>
    /// Used when <see cref="SigningKey"/> is not set, so the embedded demo runs with no configuration.
    /// Public knowledge, hence never safe outside a developer's machine; a warning says so at startup.
    /// </summary>
    internal const string DevelopmentSigningKey = "gridgov-development-signing-key-do-not-use-in-production";

    private const int MinimumKeyBytes = 32;

    /// <summary>The <c>iss</c> of minted tokens and the only issuer accepted. Default "gridgov".</summary>
    public string Issuer { get; set; } = "gridgov";

    /// <summary>The <c>aud</c> of minted tokens and the only audience accepted. Default "gridgov-api".</summary>
    public string Audience { get; set; } = "gridgov-api";

    /// <summary>
    /// The HS256 key: base64 that decodes to at least 32 bytes, else a plain string of at least 32 UTF-8 bytes.
    /// When null or empty, the development key is used (and a warning is logged).
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>Lifetime of minted tokens unless the caller asks for another. Default 12 h.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>True when no signing key is configured and the development key is in use.</summary>
    public bool UsesDevelopmentKey => string.IsNullOrEmpty(SigningKey);

    /// <summary>Reads the options from <paramref name="configuration"/> (section <see cref="SectionName"/>).</summary>
    public static AuthOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new AuthOptions();
        configuration.GetSection(SectionName).Bind(options);
        return options;
    }

    /// <summary>The signing key's bytes; throws when the configured key is too short.</summary>
    internal byte[] GetSigningKeyBytes()
    {
        var key = UsesDevelopmentKey ? DevelopmentSigningKey : SigningKey!;
        var buffer = new byte[key.Length];
        if (Convert.TryFromBase64String(key, buffer, out var written) && written >= MinimumKeyBytes)
        {
            return buffer[..written];
        }

        var bytes = Encoding.UTF8.GetBytes(key);
        return bytes.Length >= MinimumKeyBytes
            ? bytes
            : throw new InvalidOperationException(
                $"{SectionName}:SigningKey is too short for HS256: it needs at least {MinimumKeyBytes} bytes (base64) or {MinimumKeyBytes} characters.");
    }
}
