namespace ProxyHost.Configuration;

/// <summary>What the HTTP grammar allows in a header name (an RFC 9110 token).</summary>
public static class HttpHeaderNames
{
    public static bool IsValid(string name) =>
        name.Length > 0 && name.All(c => c is > ' ' and < (char)127 && !"()<>@,;:\\\"/[]?={}".Contains(c));
}
