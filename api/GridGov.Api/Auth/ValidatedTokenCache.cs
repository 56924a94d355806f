using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace GridGov.Api.Auth;

/// <summary>
/// Tokens that passed full validation (signature, issuer, audience, algorithm, lifetime), by their exact text, until
/// they expire. Clients send the same bearer token on every request; a hit skips the parse, the HMAC and the claim
/// mapping. The key is the whole compact token, signature included, so a token differing in any byte (another
/// signature, a tampered payload) misses and is validated in full. A hit is re-checked against the clock: an entry
/// whose lifetime has ended is dropped and the token refused. GridGov has no token revocation (tokens are refused only
/// by expiry, key, issuer or audience); should it get one, <see cref="Clear"/> drops every entry.
/// </summary>
/// <remarks>Bounded by <see cref="Capacity"/>: when full, expired entries are swept, and if that frees nothing the cache starts over.</remarks>
internal sealed class ValidatedTokenCache(Func<DateTime?, DateTime?, bool> isWithinLifetime)
{
    /// <summary>
    /// Most tokens kept at once: every inspector of a 100,000-cell city (50,000) signed in at the same time, with room
    /// to spare. A cache smaller than the users active at once is emptied again and again, and every request pays the
    /// full validation.
    /// </summary>
    public const int Capacity = 100_000;

    /// <summary>Longest token (characters) worth keeping; longer ones are validated every time.</summary>
    public const int MaxTokenLength = 4_096;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _sweepLock = new();

    /// <summary>Tokens currently kept.</summary>
    public int Count => _entries.Count;

    /// <summary>The cached validation of <paramref name="token"/>, when it is kept and still within its lifetime.</summary>
    public bool TryGet(string token, out JsonWebToken jwt, out ClaimsIdentity identity)
    {
        if (_entries.TryGetValue(token, out var entry))
        {
            if (isWithinLifetime(entry.NotBefore, entry.Expires))
            {
                jwt = entry.Token;
                identity = entry.Identity.Clone(); // callers may add claims; the kept identity stays as validated
                return true;
            }

            if (!isWithinLifetime(null, entry.Expires))
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(token, entry)); // expired for good
            }
        }

        jwt = null!;
        identity = null!;
        return false;
    }

    /// <summary>Keeps a token that has just passed full validation.</summary>
    public void Add(string token, JsonWebToken jwt, ClaimsIdentity identity)
    {
        if (token.Length > MaxTokenLength)
        {
            return;
        }

        if (_entries.Count >= Capacity)
        {
            Sweep();
        }

        _entries[token] = new Entry(jwt, identity.Clone(), NullIfMin(jwt.ValidFrom), NullIfMin(jwt.ValidTo));
    }

    /// <summary>Drops every kept token.</summary>
    public void Clear() => _entries.Clear();

    private void Sweep()
    {
        lock (_sweepLock)
        {
            if (_entries.Count < Capacity)
            {
                return;
            }

            foreach (var (token, entry) in _entries)
            {
                if (!isWithinLifetime(null, entry.Expires))
                {
                    _entries.TryRemove(token, out _);
                }
            }

            if (_entries.Count >= Capacity)
            {
                _entries.Clear();
            }
        }
    }

    private static DateTime? NullIfMin(DateTime value) => value == DateTime.MinValue ? null : value;

    private sealed record Entry(JsonWebToken Token, ClaimsIdentity Identity, DateTime? NotBefore, DateTime? Expires);
}
