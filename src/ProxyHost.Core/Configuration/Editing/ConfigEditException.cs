namespace ProxyHost.Configuration;

/// <summary>Why a config edit was refused; the file is unchanged in every case.</summary>
public enum ConfigEditError
{
    /// <summary>A server with that name (ignoring case) is already defined and replacing was not asked for.</summary>
    ServerExists,

    /// <summary>No server with that name is defined.</summary>
    ServerNotFound,

    /// <summary>Another process held the config's lock file for longer than the editor waits.</summary>
    Locked,
}

/// <summary>A refused config edit, with a message that names the file and what to do.</summary>
public sealed class ConfigEditException : Exception
{
    public ConfigEditException(ConfigEditError error, string message, IReadOnlyList<string>? knownServers = null)
        : base(message)
    {
        Error = error;
        KnownServers = knownServers ?? [];
    }

    public ConfigEditError Error { get; }

    /// <summary>The server names the file defines, for messages that list them.</summary>
    public IReadOnlyList<string> KnownServers { get; }
}
