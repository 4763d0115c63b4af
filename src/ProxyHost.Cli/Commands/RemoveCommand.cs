using System.CommandLine;
using ProxyHost.Configuration;

namespace ProxyHost.Cli.Commands;

/// <summary><c>proxyhost remove NAME</c>: removes one server from the config file, leaving the rest as written.</summary>
internal sealed class RemoveCommand : Command
{
    private readonly ICliConsole _console;

    private readonly Argument<string> _name = new("NAME")
    {
        Description = "The server to remove",
    };

    private readonly Option<string?> _config = ConfigPathOption.Create();

    public RemoveCommand(ICliConsole console)
        : base("remove", "Remove a server from the config file")
    {
        ArgumentNullException.ThrowIfNull(console);
        _console = console;
        Arguments.Add(_name);
        Options.Add(_config);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var name = parseResult.GetValue(_name) ?? "";
        var editor = new ConfigFileEditor(ConfigPathOption.Resolve(parseResult.GetValue(_config)));
        if (!File.Exists(editor.Path))
        {
            await _console.Error.WriteLineAsync(
                $"proxyhost: error: no server named '{name}': {editor.Path} does not exist (use --config or ${ConfigPathOption.EnvironmentVariable} to pick another file)").ConfigureAwait(false);
            return ExitCodes.ServerNotFound;
        }

        await editor.RemoveServerAsync(name, cancellationToken).ConfigureAwait(false);
        await _console.Out.WriteLineAsync($"Removed server '{name}' from {editor.Path}").ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
