using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace ProxyHost.Security;

/// <summary>
/// How ProxyHost's own credentials look on the wire, shared by the auth check (which accepts them)
/// and the forwarding transforms (which strip them so backends never see them).
/// </summary>
public static class ProxyHostCredentials
{
    /// <summary>The query parameter that carries the token on a first visit (see <see cref="TokenQuery"/> for the spellings that count).</summary>
    public const string QueryParameter = "token";

    /// <summary>Compares in constant time so the token cannot be guessed byte by byte from timings.</summary>
    public static bool IsToken(ReadOnlySpan<char> candidate, string token) => Matches(candidate, Derived(token).Digest);

    /// <summary>Whether <paramref name="candidate"/> is the login cookie's value for <paramref name="token"/>, compared as <see cref="IsToken"/> compares.</summary>
    public static bool IsCookieValue(ReadOnlySpan<char> candidate, string token) => Matches(candidate, Derived(token).CookieDigest);

    private static bool Matches(ReadOnlySpan<char> candidate, byte[] expectedDigest)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        var length = Encoding.UTF8.GetMaxByteCount(candidate.Length);
        var rented = length > 512 ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> utf8 = rented is null ? stackalloc byte[length] : rented;
        SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(candidate, utf8)], digest);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
        return CryptographicOperations.FixedTimeEquals(digest, expectedDigest);
    }

    /// <summary>The cookie value for a token: derived, so the raw token is not stored in the browser.</summary>
    public static string CookieValue(string token) => Derived(token).CookieValue;

    // Every authenticated request compares against the same token: its digests and cookie value are computed once.
    private static DerivedValues? _derived;

    private static DerivedValues Derived(string token)
    {
        var derived = Volatile.Read(ref _derived);
        if (derived is null || !string.Equals(derived.Token, token, StringComparison.Ordinal))
        {
            var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), "proxyhost-cookie-v1"u8);
            var cookieValue = Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            derived = new DerivedValues(token, SHA256.HashData(Encoding.UTF8.GetBytes(token)), cookieValue,
                SHA256.HashData(Encoding.UTF8.GetBytes(cookieValue)));
            Volatile.Write(ref _derived, derived);
        }
        return derived;
    }

    private sealed record DerivedValues(string Token, byte[] Digest, string CookieValue, byte[] CookieDigest);

    /// <summary>
    /// True when an <c>Authorization</c> header value carries <paramref name="token"/> as <c>token T</c> or
    /// <c>Bearer T</c> (schemes in any case), alone or as one of its comma-separated parts. Any other value
    /// (a tool's own <c>Basic</c> login, another bearer token) is not ProxyHost's and goes to the backend.
    /// </summary>
    public static bool AuthorizationCarriesToken(string? value, string token)
    {
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }
        var credentials = value.AsSpan();
        if (IsToken(FromAuthorizationHeader(credentials), token))
        {
            return true;
        }
        if (credentials.Contains(','))
        {
            foreach (var part in credentials.Split(','))
            {
                if (IsToken(FromAuthorizationHeader(credentials[part]), token))
                {
                    return true;
                }
            }
        }
        return false;
    }

    // The token of "token T" or "Bearer T"; empty for any other scheme.
    private static ReadOnlySpan<char> FromAuthorizationHeader(ReadOnlySpan<char> value)
    {
        value = value.Trim();
        var space = value.IndexOfAny(' ', '\t');
        if (space <= 0)
        {
            return default;
        }
        var scheme = value[..space];
        var isOurs = scheme.Equals("token", StringComparison.OrdinalIgnoreCase) || scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);
        return isOurs ? value[(space + 1)..].Trim() : default;
    }

    /// <summary>A new random token (192 bits, hex).</summary>
    public static string Generate() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
}
