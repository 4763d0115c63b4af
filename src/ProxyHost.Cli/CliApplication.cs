using System.CommandLine;
using System.CommandLine.Invocation;
using ProxyHost.Cli.Commands;
using ProxyHost.Configuration;
using ProxyHost.Hosting;

namespace ProxyHost.Cli;

/// <summary>
/// Builds the <c>proxyhost</c> command tree and runs it, turning every failure into one readable
/// line (or one line per config error) on stderr and a named exit code. Used by <c>Main</c> and by tests.
/// </summary>
public static class CliApplication
{
    public static RootCommand CreateRootCommand(ICliConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var root = new RootCommand("ProxyHost: a reverse proxy and process supervisor for web tools")
        {
            new AddCommand(console),
            new RemoveCommand(console),
            new ListCommand(console),
            new ServeCommand(console),
            new StatusCommand(console),
            ServerActionCommand.Start(console),
            ServerActionCommand.Stop(console),
            ServerActionCommand.Restart(console),
            new LauncherCommand(console),
        };
        return root;
    }

    public static async Task<int> RunAsync(string[] args, ICliConsole console, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        var parseResult = CreateRootCommand(console).Parse(args);
        if (parseResult.Action is ParseErrorAction && parseResult.Errors.Count > 0)
        {
            var verb = parseResult.CommandResult.Command is RootCommand ? "proxyhost" : "proxyhost " + parseResult.CommandResult.Command.Name;
            // A stray word explains the other errors it causes ("required command was not provided"), so it goes first.
            var message = parseResult.UnmatchedTokens.Count > 0
                ? $"unrecognized command or argument '{parseResult.UnmatchedTokens[0]}'"
                : parseResult.Errors[0].Message;
            await console.Error.WriteLineAsync($"proxyhost: error: {message} (see '{verb} --help')").ConfigureAwait(false);
            return ExitCodes.InvalidArguments;
        }

        var configuration = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            EnableDefaultExceptionHandler = false,
            // serve stops its processes after Ctrl+C/SIGTERM; an exit forced sooner would leave them running.
            ProcessTerminationTimeout = ShutdownTimeouts.ForcedExit,
        };
        try
        {
            return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return await ReportAsync(e, console).ConfigureAwait(false);
        }
    }

    private static async Task<int> ReportAsync(Exception exception, ICliConsole console)
    {
        switch (exception)
        {
            case CliUsageException usage:
                await console.Error.WriteLineAsync("proxyhost: error: " + usage.Message).ConfigureAwait(false);
                return ExitCodes.InvalidArguments;
            case ConfigValidationException invalid:
                foreach (var error in invalid.Errors)
                {
                    await console.Error.WriteLineAsync(error.ToString()).ConfigureAwait(false);
                }
                return ExitCodes.InvalidConfig;
            case ConfigEditException edit:
                await console.Error.WriteLineAsync("proxyhost: error: " + edit.Message).ConfigureAwait(false);
                return edit.Error switch
                {
                    ConfigEditError.ServerExists => ExitCodes.ServerExists,
                    ConfigEditError.ServerNotFound => ExitCodes.ServerNotFound,
                    _ => ExitCodes.ConfigLocked,
                };
            case OperationCanceledException:
                await console.Error.WriteLineAsync("proxyhost: canceled").ConfigureAwait(false);
                return ExitCodes.Canceled;
            default:
                await console.Error.WriteLineAsync("proxyhost: error: " + OneLine(exception.Message)).ConfigureAwait(false);
                return ExitCodes.UnexpectedError;
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
