namespace ProxyHost.Configuration;

/// <summary>
/// Sets the C# callables of a definition from delegates that ask for what they need, e.g.
/// <c>definition.WithCommand((int port) =&gt; new[] { "python3", "-m", "http.server", port.ToString() })</c>.
/// </summary>
public static class ServerProcessDefinitionCallbackExtensions
{
    /// <summary>The argv is computed when the process starts (see <see cref="ServerProcessCallbacks"/> for parameters).</summary>
    public static ServerProcessDefinition WithCommand(this ServerProcessDefinition definition, Delegate callback)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return definition with { CommandCallback = ServerProcessCallbacks.Adapt<IReadOnlyList<string>>(callback) };
    }

    /// <summary>Environment variables computed when the process starts.</summary>
    public static ServerProcessDefinition WithEnvironment(this ServerProcessDefinition definition, Delegate callback)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return definition with { EnvironmentCallback = ServerProcessCallbacks.Adapt<IReadOnlyDictionary<string, string>>(callback) };
    }

    /// <summary>Request header overrides computed once per start.</summary>
    public static ServerProcessDefinition WithRequestHeaders(this ServerProcessDefinition definition, Delegate callback)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return definition with { RequestHeadersCallback = ServerProcessCallbacks.Adapt<IReadOnlyDictionary<string, string>>(callback) };
    }

    /// <summary>A function of the request path (after prefix stripping); the query is kept.</summary>
    public static ServerProcessDefinition WithMapPath(this ServerProcessDefinition definition, Func<string, string> mapPath)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(mapPath);
        return definition with { MapPathCallback = mapPath };
    }

    /// <summary>Adds response rewriters, run in order after any already set; the server's responses are then buffered.</summary>
    public static ServerProcessDefinition WithRewriteResponse(this ServerProcessDefinition definition, params ResponseRewriter[] rewriters)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(rewriters);
        return definition with { RewriteResponse = new([.. definition.RewriteResponse, .. rewriters]) };
    }
}
