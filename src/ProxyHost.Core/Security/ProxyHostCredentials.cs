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
        Span<byte> left = stackalloc byte[32];
        Span<byte> right = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(candidate.ToString()), left);
        SHA256.HashData(Encoding.UTF8.GetBytes(token), right);
        return CryptographicOperations.FixedTimeEquals(left, right);
    }

    /// <summary>The cookie value for a token: derived, so the raw token is not stored in the browser.</summary>
    public static string CookieValue(string token)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), "proxyhost-cookie-v1"u8);
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

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
