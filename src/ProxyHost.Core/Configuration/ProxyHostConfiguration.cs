namespace ProxyHost.Configuration;

/// <summary>The contents of a proxyhost.json file.</summary>
public sealed record ProxyHostConfiguration
{
    public static ProxyHostConfiguration Empty { get; } = new();

    /// <summary>Server-process definitions, in file order (the launcher shows them in this order).</summary>
    public IReadOnlyList<ServerProcessDefinition> Servers { get; init; } = [];

    /// <summary>The <c>host_allowlist</c> key: host patterns for <c>proxy/&lt;host&gt;:&lt;port&gt;/</c>; null when absent.</summary>
    public IReadOnlyList<string>? HostAllowlist { get; init; }

    /// <summary>The <c>plugins</c> key: plugin folders, resolved against the config file's folder; read at start-up.</summary>
    public IReadOnlyList<string> PluginDirectories { get; init; } = [];

    /// <summary>The <c>apps</c> key: Narvi-style app services; null when absent. Read at start-up.</summary>
    public AppsConfiguration? Apps { get; init; }

    /// <summary>The <c>relays</c> key: Yjs websocket relays by name; read at start-up.</summary>
    public IReadOnlyList<RelayDefinition> Relays { get; init; } = [];

    /// <summary>The <c>webservers</c> key: typed-messaging sites served at <c>&lt;base_url&gt;_/messaging/NAME/</c>; read at start-up.</summary>
    public IReadOnlyList<WebServerDefinition> WebServers { get; init; } = [];
}
