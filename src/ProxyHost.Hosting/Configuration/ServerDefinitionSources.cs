using ProxyHost.Configuration;

namespace ProxyHost.Hosting.Configuration;

/// <summary>Definitions added in code; a config file's definitions are served after them.</summary>
internal sealed class ServerDefinitionSources
{
    public List<ServerProcessDefinition> CodeDefined { get; } = [];
}
