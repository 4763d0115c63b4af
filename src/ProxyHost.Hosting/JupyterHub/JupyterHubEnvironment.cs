using System.Globalization;
using System.Net;
using ProxyHost.Configuration;
using ProxyHost.Security;

namespace ProxyHost.Hosting.JupyterHub;

/// <summary>
/// What a JupyterHub spawner tells a single-user server through its environment, read as
/// jupyter-server-proxy's standalone mode reads it: <c>JUPYTERHUB_SERVICE_PREFIX</c> (base URL),
/// <c>JUPYTERHUB_SERVICE_URL</c> (address and port), <c>JUPYTERHUB_ACTIVITY_URL</c>,
/// <c>JUPYTERHUB_API_TOKEN</c> and <c>JUPYTERHUB_SERVER_NAME</c>; and the public hosts the Hub is reached under,
/// from <c>JUPYTERHUB_PUBLIC_URL</c>, <c>JUPYTERHUB_PUBLIC_HUB_URL</c> (set when <c>c.JupyterHub.public_url</c> is)
/// and <c>JUPYTERHUB_HOST</c> (set with subdomains).
/// </summary>
public sealed record JupyterHubEnvironment
{
    /// <summary>The base URL, e.g. <c>/user/ana/</c>; null when not set.</summary>
    public string? BaseUrl { get; init; }

    /// <summary>The address to listen on, from the service URL's host (a name such as 0.0.0.0 or an IP); null when not set.</summary>
    public IPAddress? Address { get; init; }

    /// <summary>The port to listen on, from the service URL (80/443 by scheme when it has none); null when not set.</summary>
    public int? Port { get; init; }

    /// <summary>Where to POST activity; null disables reporting.</summary>
    public Uri? ActivityUrl { get; init; }

    /// <summary>The token the Hub gave this server for its API.</summary>
    public string? ApiToken { get; init; }

    /// <summary>The named server's name; empty for the default server.</summary>
    public string ServerName { get; init; } = "";

    /// <summary>
    /// The hosts of the Hub's public URLs: its proxy keeps the browser's <c>Host</c>, so requests arrive under these names.
    /// Empty when the Hub was not told its public URL.
    /// </summary>
    public IReadOnlyList<string> PublicHosts { get; init; } = [];

    /// <summary>True when any of the variables was set.</summary>
    public bool IsPresent => BaseUrl is not null || Port is not null || ActivityUrl is not null;

    /// <summary>Reads the variables through <paramref name="get"/> (normally <see cref="Environment.GetEnvironmentVariable(string)"/>).</summary>
    public static JupyterHubEnvironment Read(Func<string, string?> get)
    {
        ArgumentNullException.ThrowIfNull(get);
        var environment = new JupyterHubEnvironment
        {
            BaseUrl = get("JUPYTERHUB_SERVICE_PREFIX") is { Length: > 0 } prefix ? ProxyHostOptions.NormalizeBaseUrl(prefix) : null,
            ActivityUrl = Uri.TryCreate(get("JUPYTERHUB_ACTIVITY_URL"), UriKind.Absolute, out var activity) ? activity : null,
            ApiToken = get(EnvironmentSecrets.JupyterHubApiToken) is { Length: > 0 } token ? token : null,
            ServerName = get("JUPYTERHUB_SERVER_NAME") ?? "",
            PublicHosts = PublicHostsOf(get),
        };
        if (Uri.TryCreate(get("JUPYTERHUB_SERVICE_URL"), UriKind.Absolute, out var service))
        {
            var host = service.Host.Trim('[', ']');
            var address = host == "localhost" ? IPAddress.Loopback
                : host.Length == 0 || host == "*" ? IPAddress.Any
                : IPAddress.TryParse(host, out var parsed) ? parsed
                : IPAddress.Any;
            environment = environment with
            {
                Address = address,
                Port = service.IsDefaultPort ? (service.Scheme == "https" ? 443 : 80) : service.Port,
                BaseUrl = environment.BaseUrl ?? (service.AbsolutePath.Length > 1 ? ProxyHostOptions.NormalizeBaseUrl(service.AbsolutePath) : null),
            };
        }
        return environment;
    }

    private static string[] PublicHostsOf(Func<string, string?> get) =>
        [.. new[] { "JUPYTERHUB_PUBLIC_URL", "JUPYTERHUB_PUBLIC_HUB_URL", "JUPYTERHUB_HOST" }
            .Select(get)
            .Select(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.Host : null)
            .OfType<string>()
            .Where(host => host.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase)];

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"JupyterHub {BaseUrl} on {Address}:{Port}");
}
