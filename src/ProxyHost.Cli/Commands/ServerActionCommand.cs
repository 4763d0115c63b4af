using System.CommandLine;
using ProxyHost.Cli.Remote;

namespace ProxyHost.Cli.Commands;

/// <summary>
/// <c>proxyhost start|stop|restart NAME</c> against a running host. Start and restart wait until the
/// server is ready (or report why it is not); stop waits until the process tree is gone.
/// </summary>
internal sealed class ServerActionCommand : Command
{
    private readonly ICliConsole _console;
    private readonly string _action;
    private readonly HostConnectionOptions _connection = new();
    private readonly Argument<string> _name = new("NAME") { Description = "The server's name" };

    private ServerActionCommand(ICliConsole console, string action, string description)
        : base(action, description)
    {
        ArgumentNullException.ThrowIfNull(console);
        _console = console;
        _action = action;
        Arguments.Add(_name);
        _connection.AddTo(this);
        SetAction(ExecuteAsync);
    }

    public static ServerActionCommand Start(ICliConsole console) =>
        new(console, "start", "Start a server on a running ProxyHost and wait until it is ready");

    public static ServerActionCommand Stop(ICliConsole console) =>
        new(console, "stop", "Stop a server's processes on a running ProxyHost (it starts again on its next request)");

    public static ServerActionCommand Restart(ICliConsole console) =>
        new(console, "restart", "Restart a server on a running ProxyHost and wait until it is ready");

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var name = parseResult.GetValue(_name)!;
        var (baseUrl, token) = _connection.Resolve(parseResult);
        using var client = new HostApiClient(baseUrl, token);
        try
        {
            var server = await client.ChangeAsync(name, _action, cancellationToken).ConfigureAwait(false);
            var details = server.Pid is { } pid ? $" (pid {pid}{(server.Port is { } port ? $", port {port}" : "")})" : "";
            await _console.Out.WriteLineAsync($"{server.Name}: {server.State.Replace('_', ' ')}{details}").ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (HostApiException e)
        {
            await _console.Error.WriteLineAsync("proxyhost: error: " + e.Message).ConfigureAwait(false);
            return e.Failure == HostApiFailure.NotFound ? ExitCodes.ServerNotFound : ExitCodes.UnexpectedError;
        }
    }
}
