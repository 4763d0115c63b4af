namespace ProxyHost.Proxy.ArbitraryPorts;

/// <summary>The config file's <c>host_allowlist</c>, swapped whole whenever the file is (re)loaded.</summary>
internal sealed class HostAllowlistSource
{
    private volatile IReadOnlyList<string>? _fromConfigFile;

    /// <summary>The patterns from the config file, or null when it has no <c>host_allowlist</c>.</summary>
    public IReadOnlyList<string>? FromConfigFile
    {
        get => _fromConfigFile;
        set => _fromConfigFile = value;
    }
}
