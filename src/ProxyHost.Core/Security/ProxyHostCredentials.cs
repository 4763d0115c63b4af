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
    /// <summary>The cookie a browser keeps after its first visit with <c>?token=</c>.</summary>
    public const string CookieName = "proxyhost-auth";

    /// <summary>The query parameter that carries the token on a first visit.</summary>
    public const string QueryParameter = "token";

    /// <summary>Compares in constant time so the token cannot be guessed byte by byte from timings.</summary>
    public static bool IsToken(ReadOnlySpan<char> candidate, string token)
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
        return CryptographicOperations.FixedTimeEquals(digest, Derived(token).Digest);
    }

    /// <summary>The cookie value for a token: derived, so the raw token is not stored in the browser.</summary>
    public static string CookieValue(string token) => Derived(token).CookieValue;

    // Every authenticated request compares against the same token: its digest and cookie value are computed once.
    private static DerivedValues? _derived;

    private static DerivedValues Derived(string token)
    {
        var derived = Volatile.Read(ref _derived);
        if (derived is null || !string.Equals(derived.Token, token, StringComparison.Ordinal))
        {
            var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), "proxyhost-cookie-v1"u8);
            derived = new DerivedValues(token, SHA256.HashData(Encoding.UTF8.GetBytes(token)),
                Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_'));
            Volatile.Write(ref _derived, derived);
        }
        return derived;
    }

    private sealed record DerivedValues(string Token, byte[] Digest, string CookieValue);

    /// <summary>Returns the token carried by an <c>Authorization</c> header value (<c>token T</c> or <c>Bearer T</c>).</summary>
    public static ReadOnlySpan<char> FromAuthorizationHeader(ReadOnlySpan<char> value)
    {
        value = value.Trim();
        var space = value.IndexOf(' ');
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
