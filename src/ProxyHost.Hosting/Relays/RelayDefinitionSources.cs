using ProxyHost.Configuration;
using ProxyHost.Hosting.Configuration;

namespace ProxyHost.Hosting.Relays;

/// <summary>
/// Relays added in code plus those of the config file's <c>relays</c> key. Read once at start-up: relays
/// hold live connections, so a change to the key takes effect on the next start.
/// </summary>
internal sealed class RelayDefinitionSources
{
    public List<RelayDefinition> CodeDefined { get; } = [];

    public IReadOnlyList<RelayDefinition> Load(ConfigFileSource? file)
    {
        if (file?.AtStartup is not { } configuration)
        {
            return [.. CodeDefined];
        }
        var fromFile = configuration.Relays;
        var clash = fromFile.FirstOrDefault(r => CodeDefined.Any(c => string.Equals(c.Name, r.Name, StringComparison.OrdinalIgnoreCase)));
        if (clash is not null)
        {
            throw new ConfigValidationException([new ConfigError(file.Path, "relays." + clash.Name, "this relay is already added in code (AddRelay)")]);
        }
        return [.. CodeDefined, .. fromFile];
    }
}
