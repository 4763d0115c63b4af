namespace ProxyHost.Configuration;

/// <summary>Accumulates located errors for one config source.</summary>
internal sealed class ConfigErrorCollector(string source) : List<ConfigError>
{
    public void Add(string location, string message) => Add(new ConfigError(source, location, message));
}
