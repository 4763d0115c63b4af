namespace ProxyHost.Configuration;

/// <summary>Accumulates located errors for one config source.</summary>
internal sealed class ConfigErrorCollector(string source) : List<ConfigError>
{
    /// <summary>The config file (or other name) the errors are about.</summary>
    public string Source => source;

    public void Add(string location, string message) => Add(new ConfigError(source, location, message));
}
