namespace ProxyHost.Security;

/// <summary>
/// The credentials ProxyHost reads from its own environment. They are ProxyHost's, not its servers':
/// every process ProxyHost starts gets its environment without them, unless the server's own
/// <c>environment</c> sets one on purpose.
/// </summary>
public static class EnvironmentSecrets
{
    /// <summary>The token every client must send (<c>serve</c>'s default for <c>--token</c>).</summary>
    public const string ProxyHostToken = "PROXYHOST_TOKEN";

    /// <summary>The remote commands' host URL; its <c>?token=</c> is used as the token.</summary>
    public const string ProxyHostUrl = "PROXYHOST_URL";

    /// <summary>ProxyHost's credential towards the JupyterHub API (activity reports), set by the spawner.</summary>
    public const string JupyterHubApiToken = "JUPYTERHUB_API_TOKEN";

    /// <summary>JupyterHub's older name for the same API token; spawners still set both to one value.</summary>
    public const string LegacyJupyterHubApiToken = "JPY_API_TOKEN";

    /// <summary>Every name above: what is removed from a started process's inherited environment.</summary>
    public static IReadOnlyList<string> Names { get; } = [ProxyHostToken, ProxyHostUrl, JupyterHubApiToken, LegacyJupyterHubApiToken];
}
