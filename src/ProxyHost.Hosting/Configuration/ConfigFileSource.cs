using ProxyHost.Configuration;

namespace ProxyHost.Hosting.Configuration;

/// <summary>The config file to serve from and whether it must exist at start-up.</summary>
internal sealed class ConfigFileSource
{
    private readonly Lazy<ProxyHostConfiguration?> _atStartup;

    /// <param name="required">False for the default path: a missing file means no servers yet (it is watched for).</param>
    public ConfigFileSource(string path, bool required)
    {
        Path = System.IO.Path.GetFullPath(path);
        Required = required;
        _atStartup = new(() => required || File.Exists(Path) ? ProxyHostConfigReader.ReadFile(Path) : null);
    }

    public string Path { get; }

    public bool Required { get; }

    /// <summary>
    /// The file as first read, null when it is absent and not required. The catalog's first load and the
    /// sections read only at start-up (apps, relays, webservers) share this one read, so they see one version
    /// of the file and an invalid file is reported once; later changes are read by the catalog's watcher.
    /// </summary>
    public ProxyHostConfiguration? AtStartup => _atStartup.Value;
}
