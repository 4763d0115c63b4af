using System.Net;

namespace ProxyHost.Configuration;

/// <summary>Host-level settings: where ProxyHost listens, under which base URL, and with which token.</summary>
public sealed class ProxyHostOptions
{
    private string _baseUrl = "/";

    /// <summary>The address to bind; loopback unless the user says otherwise.</summary>
    public IPAddress Address { get; set; } = IPAddress.Loopback;

    /// <summary>The port to bind; 0 picks a free one.</summary>
    public int Port { get; set; } = 8888;

    /// <summary>The URL prefix every route lives under; always starts and ends with '/'.</summary>
    public string BaseUrl
    {
        get => _baseUrl;
        set => _baseUrl = NormalizeBaseUrl(value);
    }

    /// <summary>The token every request must carry; null disables authentication.</summary>
    public string? Token { get; set; }

    /// <summary>The config file to read and watch; null serves only servers added in code.</summary>
    public string? ConfigPath { get; set; }

    /// <summary>Whether <c>&lt;base_url&gt;proxy/&lt;port&gt;/</c> and its host and absolute forms are served (on by default, as in jupyter-server-proxy).</summary>
    public bool ArbitraryPorts { get; set; } = true;

    /// <summary>
    /// Host patterns <c>proxy/&lt;host&gt;:&lt;port&gt;/</c> may reach (see <see cref="Configuration.HostAllowlist"/>);
    /// a config file's <c>host_allowlist</c> replaces it.
    /// </summary>
    public IReadOnlyList<string> HostAllowlist { get; set; } = Configuration.HostAllowlist.Default;

    /// <summary>When set, decides which hosts <c>proxy/&lt;host&gt;:&lt;port&gt;/</c> may reach, instead of the patterns.</summary>
    public Func<string, bool>? HostAllowed { get; set; }

    /// <summary>Response rewriters for <c>proxy/…</c> traffic (jupyter-server-proxy's <c>non_service_rewrite_response</c>).</summary>
    public IReadOnlyList<ResponseRewriter> ProxyRewriteResponse { get; set; } = [];

    /// <summary>Folders to load plugins from (<c>--plugins DIR</c>), besides those the config file names.</summary>
    public IReadOnlyList<string> PluginDirectories { get; set; } = [];

    /// <summary>
    /// Origins besides the request's own host that may open websockets and send POST, PUT, PATCH or DELETE
    /// (<c>--allow-origin</c>): exact origins such as <c>https://hub.example.org</c>, patterns with <c>*</c>, or <c>*</c> for any.
    /// </summary>
    public IReadOnlyList<string> AllowedOrigins { get; set; } = [];

    /// <summary>
    /// Host names, besides the built-in ones, that requests' <c>Host</c> may carry (<c>--allow-host</c>): exact names such as
    /// <c>lab.example.org</c>, patterns with <c>*</c>, IP addresses, or <c>*</c> for any host. Built in are loopback names and
    /// addresses, <see cref="Address"/> (for a non-loopback one, the machine's own names too; for a wildcard one, its addresses)
    /// and the hosts of <see cref="AllowedOrigins"/>. Every other host is refused with 403, which stops DNS rebinding.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; set; } = [];

    /// <summary>Serve <c>&lt;base_url&gt;metrics</c> without the token (<c>--metrics-no-auth</c>), for a scraper that cannot send one.</summary>
    public bool MetricsWithoutAuth { get; set; }

    /// <summary>Sizes, rates and counts one client may use.</summary>
    public ProxyHostLimits Limits { get; set; } = new();

    /// <summary>PEM certificate to serve HTTPS and WSS with (<c>--ssl-cert</c>); needs <see cref="SslKeyPath"/>.</summary>
    public string? SslCertificatePath { get; set; }

    /// <summary>PEM private key of <see cref="SslCertificatePath"/> (<c>--ssl-key</c>).</summary>
    public string? SslKeyPath { get; set; }

    /// <summary>Returns <paramref name="baseUrl"/> with exactly one leading and one trailing '/'.</summary>
    public static string NormalizeBaseUrl(string? baseUrl)
    {
        var trimmed = (baseUrl ?? "").Trim().Trim('/');
        return trimmed.Length == 0 ? "/" : "/" + trimmed + "/";
    }
}
