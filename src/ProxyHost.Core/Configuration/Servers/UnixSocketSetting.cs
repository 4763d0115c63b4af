namespace ProxyHost.Configuration;

/// <summary>
/// jupyter-server-proxy's <c>unix_socket</c>: absent/false (TCP), true (a socket in a fresh private
/// directory), or a path string.
/// </summary>
public sealed record UnixSocketSetting
{
    private UnixSocketSetting(bool enabled, string? path) => (Enabled, Path) = (enabled, path);

    public static UnixSocketSetting None { get; } = new(false, null);

    /// <summary>A socket in a fresh 0700 directory, removed when the process stops.</summary>
    public static UnixSocketSetting PrivateDirectory { get; } = new(true, null);

    public static UnixSocketSetting AtPath(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new(true, path);
    }

    public bool Enabled { get; }

    /// <summary>The fixed socket path, or null for TCP or a private directory.</summary>
    public string? Path { get; }
}
