using ProxyHost.Collections;

namespace ProxyHost.Configuration;

/// <summary>
/// One <c>webservers.NAME</c> entry: a typed-messaging site served at
/// <c>&lt;base_url&gt;_/messaging/NAME/</c> (under ProxyHost's own <c>_/</c> prefix, so it can never
/// take a server's path). Folders are as written; relative ones are resolved against the config file's folder.
/// </summary>
public sealed record WebServerDefinition
{
    /// <summary>The default <see cref="MaxMessageSize"/>: 16 MiB.</summary>
    public const int DefaultMaxMessageSize = 16 * 1024 * 1024;

    public required string Name { get; init; }

    /// <summary>The site folder (<c>static/</c>, the index page, optionally <c>templates/</c>).</summary>
    public string? Root { get; init; }

    public string Index { get; init; } = "index.html";

    /// <summary>Local folder → URL prefix relative to the site (normalised without slashes, e.g. <c>uploads</c>).</summary>
    public EquatableMap Mounts { get; init; } = EquatableMap.Empty;

    /// <summary>Where FILE/IMAGE uploads go; null disables uploads unless a mount's folder or prefix contains "upload".</summary>
    public string? UploadDirectory { get; init; }

    public int MaxMessageSize { get; init; } = DefaultMaxMessageSize;

    /// <summary>Messages that may wait for one client before it counts as too slow and is disconnected.</summary>
    public int SendQueueCapacity { get; init; } = 256;

    /// <summary>Reply to each message with what was received (for examples and smoke tests).</summary>
    public bool Echo { get; init; }
}
