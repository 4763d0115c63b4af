using System.Collections.Frozen;
using ProxyHost.Configuration;
using ProxyHost.Supervision.Endpoints;
using ProxyHost.Supervision.Processes;
using ProxyHost.Templating;

namespace ProxyHost.Supervision.Lifecycle;

/// <summary>A server's command, environment and request headers with its endpoint filled in.</summary>
internal sealed record RenderedLaunch(ProcessCommand Command, FrozenDictionary<string, string> Headers);

/// <summary>
/// Fills a definition's templates (<c>&lt;port&gt;</c>, <c>&lt;unix_socket&gt;</c>, <c>&lt;base_url&gt;</c>) and runs
/// its C# callbacks for one endpoint. Errors are <see cref="FormatException"/>s that name the server and
/// the template's place in the definition.
/// </summary>
internal sealed class ServerLaunchRenderer(ServerProcessDefinition definition, string baseUrl)
{
    private string Name => definition.Name;

    public async Task<RenderedLaunch> RenderAsync(ServerEndpoint endpoint, CancellationToken cancellationToken)
    {
        var values = Values(endpoint);
        var context = CallbackContext(endpoint, cancellationToken);
        var argv = new List<string>(definition.Command.Count);
        if (definition.CommandCallback is { } commandCallback)
        {
            // A callback already has the values; its result is used as is (jupyter-server-proxy formats it once more).
            argv.AddRange(await commandCallback(context).ConfigureAwait(false));
            if (argv.Count == 0)
            {
                throw new FormatException($"server '{Name}': the command callback returned no arguments");
            }
        }
        else
        {
            for (var i = 0; i < definition.Command.Count; i++)
            {
                argv.Add(Expand(definition.Command[i], values, $"command[{i}]"));
            }
        }
        var environment = definition.Environment.Select(e => KeyValuePair.Create(e.Key, (string?)Expand(e.Value, values, $"environment '{e.Key}'"))).ToList();
        if (definition.EnvironmentCallback is { } environmentCallback)
        {
            environment.AddRange((await environmentCallback(context).ConfigureAwait(false)).Select(e => KeyValuePair.Create(e.Key, (string?)e.Value)));
        }
        var headers = await RenderHeadersAsync(endpoint, cancellationToken).ConfigureAwait(false);
        return new RenderedLaunch(ProcessCommand.FromArgv(argv).WithEnvironment(environment).WithLimits(definition.Limits), headers);
    }

    public async Task<FrozenDictionary<string, string>> RenderHeadersAsync(ServerEndpoint endpoint, CancellationToken cancellationToken)
    {
        var values = Values(endpoint);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, template) in definition.RequestHeadersOverride)
        {
            headers[name] = Expand(template, values, $"request header '{name}'");
        }
        if (definition.RequestHeadersCallback is { } callback)
        {
            foreach (var (name, value) in await callback(CallbackContext(endpoint, cancellationToken)).ConfigureAwait(false))
            {
                headers[name] = value;
            }
        }
        return headers.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    private TemplateValues Values(ServerEndpoint endpoint) => new(endpoint.Port, endpoint.UnixSocketPath ?? "", baseUrl);

    private ServerProcessContext CallbackContext(ServerEndpoint endpoint, CancellationToken cancellationToken) => new()
    {
        ServerName = Name,
        Port = endpoint.Port,
        UnixSocket = endpoint.UnixSocketPath,
        BaseUrl = baseUrl,
        CancellationToken = cancellationToken,
    };

    private string Expand(string template, TemplateValues values, string location)
    {
        try
        {
            return PlaceholderTemplate.Expand(template, values);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"server '{Name}': {location}: {ex.Message}", ex);
        }
    }
}
