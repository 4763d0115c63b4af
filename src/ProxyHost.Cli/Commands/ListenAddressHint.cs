using ProxyHost.Configuration;
using ProxyHost.Templating;

namespace ProxyHost.Cli.Commands;

/// <summary>
/// Spots a server that could not know where to listen: ProxyHost picks its port or socket path, but
/// neither its command nor its environment passes that on.
/// </summary>
internal static class ListenAddressHint
{
    public static string? For(ServerProcessDefinition definition)
    {
        if (definition.Command.Count == 0 || definition.Port != 0 || definition.UnixSocket.Path is not null)
        {
            return null;
        }

        var placeholder = definition.UnixSocket.Enabled ? "unix_socket" : "port";
        var templates = definition.Command.Concat(definition.Environment.Values);
        if (templates.Any(t => PlaceholderTemplate.Uses(t, placeholder)))
        {
            return null;
        }

        return definition.UnixSocket.Enabled
            ? $"hint: the command of '{definition.Name}' never uses <unix_socket>, so the tool will not know which socket " +
              "ProxyHost waits on; pass the path with the tool's own socket flag (e.g. --socket <unix_socket>), or give --unix-socket PATH"
            : $"hint: the command of '{definition.Name}' never uses <port>, so the tool will not know which port ProxyHost " +
              "waits on; pass it with the tool's own port flag (e.g. --port <port>, or -e PORT=<port>), or give --port PORT for a tool with a fixed port";
    }
}
