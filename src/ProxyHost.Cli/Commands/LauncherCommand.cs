using System.CommandLine;
using ProxyHost.Configuration;
using ProxyHost.Hosting.Api;

namespace ProxyHost.Cli.Commands;

/// <summary>
/// <c>proxyhost launcher</c>: prints the servers-info JSON that <c>serve</c> answers at
/// <c>server-proxy/servers-info</c>, for front-ends that read a file instead of asking the server.
/// </summary>
internal sealed class LauncherCommand : Command
{
    private readonly ICliConsole _console;
    private readonly Option<string?> _config = ConfigPathOption.Create();
    private readonly Option<string> _baseUrl = new("--base-url")
    {
        Description = "The URL prefix ProxyHost is served under; icon_url values start with it",
        DefaultValueFactory = _ => "/",
        HelpName = "PATH",
    };

    public LauncherCommand(ICliConsole console)
        : base("launcher", "Print the launcher JSON (jupyter-server-proxy's servers-info) for the config file")
    {
        ArgumentNullException.ThrowIfNull(console);
        _console = console;
        Options.Add(_config);
        Options.Add(_baseUrl);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var path = ConfigPathOption.Resolve(parseResult.GetValue(_config));
        var servers = File.Exists(path) ? ProxyHostConfigReader.ReadFile(path).Servers : [];
        var baseUrl = ProxyHostOptions.NormalizeBaseUrl(parseResult.GetValue(_baseUrl));
        await _console.Out.WriteLineAsync(ServersInfo.ToJson(servers, baseUrl)).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
