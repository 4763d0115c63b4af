using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using ProxyHost.Configuration;

namespace ProxyHost.Cli.Commands;

/// <summary><c>proxyhost add NAME [options] -- COMMAND...</c>: adds or replaces one server in the config file.</summary>
internal sealed class AddCommand : Command
{
    private readonly ICliConsole _console;

    private readonly Argument<string> _name = new("NAME")
    {
        Description = "The server's name; it is served at <base_url>NAME/",
    };

    private readonly Argument<string[]> _command = new("COMMAND")
    {
        Description = "The command that starts the server, after '--', with <port>, <unix_socket> and <base_url> placeholders",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private readonly Option<string?> _config = ConfigPathOption.Create();

    private readonly AddServerOptions _server = new();

    private readonly Option<bool> _replace = new("--replace")
    {
        Description = "Replace a server that already has this name",
    };

    public AddCommand(ICliConsole console)
        : base("add", "Add a server to the config file; everything after '--' is its command, word for word")
    {
        ArgumentNullException.ThrowIfNull(console);
        _console = console;
        Arguments.Add(_name);
        Arguments.Add(_command);
        Options.Add(_config);
        foreach (var option in _server.All)
        {
            Options.Add(option);
        }
        Options.Add(_replace);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var definition = BuildDefinition(parseResult);
        var editor = new ConfigFileEditor(ConfigPathOption.Resolve(parseResult.GetValue(_config)));
        ServerEditOutcome outcome;
        try
        {
            outcome = await editor.SetServerAsync(definition, parseResult.GetValue(_replace), cancellationToken).ConfigureAwait(false);
        }
        catch (ConfigEditException e) when (e.Error == ConfigEditError.ServerExists)
        {
            var existing = e.KnownServers.FirstOrDefault(n => string.Equals(n, definition.Name, StringComparison.OrdinalIgnoreCase)) ?? definition.Name;
            await _console.Error.WriteLineAsync(
                $"proxyhost: error: {editor.Path} already has a server named '{existing}'; pass --replace to replace it, or choose another NAME").ConfigureAwait(false);
            return ExitCodes.ServerExists;
        }

        var verb = outcome == ServerEditOutcome.Replaced ? "Replaced server '{0}' in" : "Added server '{0}' to";
        await _console.Out.WriteLineAsync(
            string.Format(CultureInfo.InvariantCulture, verb, definition.Name) + $" {editor.Path} (served at <base_url>{definition.Name}/)").ConfigureAwait(false);
        if (ListenAddressHint.For(definition) is { } hint)
        {
            await _console.Error.WriteLineAsync($"proxyhost: {hint}").ConfigureAwait(false);
        }
        return ExitCodes.Success;
    }

    private ServerProcessDefinition BuildDefinition(ParseResult parseResult)
    {
        var name = parseResult.GetValue(_name) ?? "";
        if (ServerNames.Validate(name) is { } nameProblem)
        {
            throw new CliUsageException($"NAME: {nameProblem}");
        }

        var command = parseResult.GetValue(_command) ?? [];
        RequireCommandAfterDoubleDash(parseResult, command);
        for (var i = 0; i < command.Length; i++)
        {
            AddOptionValues.CheckTemplate(command[i], $"COMMAND word {i + 1} '{command[i]}'");
        }

        return _server.ToDefinition(parseResult, name, command);
    }

    // Only the words after "--" are the command, verbatim. A word before it is a mistyped option or a
    // second value for an option that takes one ("--env A=1 B=2"), so it is refused rather than run.
    private static void RequireCommandAfterDoubleDash(ParseResult parseResult, string[] command)
    {
        var tokens = parseResult.Tokens.ToList();
        var doubleDash = tokens.FindIndex(t => t.Type == TokenType.DoubleDash);
        var afterDoubleDash = doubleDash < 0 ? 0 : tokens.Count - doubleDash - 1;
        if (command.Length <= afterDoubleDash)
        {
            return;
        }
        var stray = command[0];
        throw new CliUsageException(stray.StartsWith('-')
            ? $"unknown option '{stray}' (see 'proxyhost add --help'); put the server's command after '--'"
            : $"unexpected argument '{stray}': put the server's command after '--' (proxyhost add NAME [options] -- COMMAND...), and repeat --env/--header for each value");
    }
}
