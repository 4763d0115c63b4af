using System.Globalization;

namespace ProxyHost.Proxy.ArbitraryPorts;

/// <summary>
/// One parsed <c>&lt;base_url&gt;proxy/…</c> URL, by jupyter-server-proxy's strict grammar:
/// <c>proxy/[absolute/](&lt;port&gt;|&lt;host&gt;:&lt;port&gt;)&lt;rest&gt;</c> where the host is a DNS name or an IP literal,
/// the port is digits only, and the rest is empty or starts with <c>/</c>. The host must pass
/// <see cref="BackendHostGrammar"/> after percent-decoding. Anything else is not a target.
/// </summary>
/// <param name="Host">The backend host in its canonical spelling; <c>localhost</c> for the port-only forms.</param>
/// <param name="Port">The backend port (1–65535).</param>
/// <param name="Absolute">True for <c>proxy/absolute/…</c>: the backend sees the full path.</param>
/// <param name="HostGiven">True for the <c>&lt;host&gt;:&lt;port&gt;</c> forms, which the allowlist gates.</param>
/// <param name="Prefix">The public path up to the port, e.g. <c>/base/proxy/absolute/8000</c>.</param>
/// <param name="ContextPath">The context path sent to the backend and used for Location rewriting.</param>
internal sealed record ArbitraryPortTarget(string Host, int Port, bool Absolute, bool HostGiven, string Prefix, string ContextPath)
{
    /// <summary>Parses <paramref name="afterProxy"/>, the raw path after <c>&lt;base_url&gt;proxy/</c>; null when it breaks the grammar.</summary>
    public static ArbitraryPortTarget? Parse(string baseUrl, string afterProxy)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(afterProxy);
        var absolute = afterProxy.StartsWith("absolute/", StringComparison.Ordinal);
        var text = absolute ? afterProxy["absolute/".Length..] : afterProxy;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? text : text[..slash];

        string host;
        string portText;
        var spelledLocalhost = false;
        var colon = authority.LastIndexOf(':');
        if (colon < 0)
        {
            host = "localhost";
            portText = authority;
        }
        else
        {
            portText = authority[(colon + 1)..];
            var decoded = Uri.UnescapeDataString(authority[..colon]);
            if (BackendHostGrammar.Canonical(decoded) is not { } canonical)
            {
                return null;
            }
            host = canonical;
            spelledLocalhost = decoded == "localhost";
        }
        if (portText.Length is 0 or > 5 || !portText.All(char.IsAsciiDigit))
        {
            return null;
        }
        var port = int.Parse(portText, CultureInfo.InvariantCulture);
        if (port is < 1 or > 65535)
        {
            return null;
        }

        var destination = new UriBuilder(Uri.UriSchemeHttp, host, port).Uri;
        if (!ConnectsTo(destination, host, port))
        {
            return null;
        }

        var prefix = baseUrl + "proxy/" + (absolute ? "absolute/" : "") + authority;
        var context = baseUrl + "proxy/" + (colon < 0 || spelledLocalhost ? portText : authority);
        return new ArbitraryPortTarget(host, port, absolute, colon >= 0, prefix, context) { Destination = destination };
    }

    /// <summary>The backend origin built from exactly <see cref="Host"/> and <see cref="Port"/>: what the allowlist checked is what is connected to.</summary>
    public Uri Destination { get; private init; } = null!;

    /// <summary>The grammar already rules out anything the URI parser could read differently; this makes the promise hold by construction.</summary>
    private static bool ConnectsTo(Uri destination, string host, int port) =>
        destination.Port == port && string.Equals(destination.IdnHost, host, StringComparison.Ordinal)
        && destination.HostNameType is UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6;
}
