using System.CommandLine;
using ProxyHost.Configuration;

namespace ProxyHost.Cli.Commands;

/// <summary>
/// The options of <c>proxyhost add</c>, one for each <c>servers.NAME</c> key (see <see cref="ServerKeys"/>),
/// and how their values become a <see cref="ServerProcessDefinition"/>.
/// </summary>
/// <remarks>
/// Options are instance fields rather than static ones: a System.CommandLine symbol records its parent
/// commands, and tests build many root commands in parallel.
/// </remarks>
internal sealed class AddServerOptions
{
    private readonly Option<string?> _timeout = new("--timeout")
    {
        Description = "Seconds the server may take to start answering [default: 5]",
        HelpName = "SECONDS",
    };

    private readonly Option<string?> _port = new("--port")
    {
        Description = "A fixed TCP port for the server; without a COMMAND, the port of a server that is already running",
        HelpName = "PORT",
    };

    private readonly Option<string?> _unixSocket = new("--unix-socket")
    {
        Description = "Serve over a Unix socket: alone, in a fresh private directory; with PATH, at that path",
        HelpName = "PATH",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private readonly Option<bool> _absoluteUrl = new("--absolute-url")
    {
        Description = "Pass the full public path to the server instead of stripping <base_url>NAME",
    };

    private readonly Option<string[]> _environment = new("--env", "-e")
    {
        Description = "An environment variable for the server (repeatable; the value may use placeholders)",
        HelpName = "KEY=VALUE",
    };

    private readonly Option<string[]> _headers = new("--header")
    {
        Description = "A request header set on every proxied request (repeatable; the value may use placeholders)",
        HelpName = "NAME=VALUE",
    };

    private readonly Option<string[]> _mapPath = new("--mappath")
    {
        Description = "Send requests for one path to another path of the server (repeatable; both start with '/')",
        HelpName = "FROM=TO",
    };

    private readonly Option<string?> _title = new("--title")
    {
        Description = "The launcher tile's title [default: NAME]",
        HelpName = "TITLE",
    };

    private readonly Option<string?> _icon = new("--icon")
    {
        Description = "An SVG or PNG file for the launcher tile",
        HelpName = "PATH",
    };

    private readonly Option<string?> _category = new("--category")
    {
        Description = $"The launcher category [default: {LauncherEntry.DefaultCategory}]",
        HelpName = "CATEGORY",
    };

    private readonly Option<string?> _pathInfo = new("--path-info")
    {
        Description = "The path, relative to the base URL, that the launcher tile opens [default: NAME/]",
        HelpName = "PATH",
    };

    private readonly Option<bool> _noLauncher = new("--no-launcher")
    {
        Description = "Do not show a launcher tile for this server",
    };

    private readonly Option<bool> _noNewTab = new("--no-new-tab")
    {
        Description = "Open the server inside the front-end rather than in a new browser tab",
    };

    private readonly Option<bool> _noActivity = new("--no-activity")
    {
        Description = "Traffic to this server does not count as user activity (for the hub's and ProxyHost's idle culling)",
    };

    private readonly Option<bool> _rawSocket = new("--raw-socket")
    {
        Description = "The server speaks raw TCP; bridge websockets to it",
    };

    private readonly Option<string?> _websocketIdleTimeout = new("--websocket-idle-timeout")
    {
        Description = "Seconds a websocket may carry no traffic before ProxyHost closes it [default: no limit]",
        HelpName = "SECONDS",
    };

    private readonly Option<string?> _websocketPingInterval = new("--websocket-ping-interval")
    {
        Description = "With --raw-socket: seconds between ProxyHost's keep-alive pings to the browser [default: none]",
        HelpName = "SECONDS",
    };

    private readonly Option<string?> _idleTimeout = new("--idle-timeout")
    {
        Description = "Stop the server after this many seconds without traffic; the next request starts it again [default: never]",
        HelpName = "SECONDS",
    };

    private readonly Option<long?> _maxRequestBodySize = new("--max-request-body-size")
    {
        Description = "The largest request body, in bytes, clients may send to this server [default: 1 GiB]",
        HelpName = "BYTES",
    };

    private readonly Option<string?> _readyCheckPath = new("--ready-check-path")
    {
        Description = "The path the readiness check asks the server for [default: /]",
        HelpName = "PATH",
    };

    private readonly Option<string[]> _readyStatus = new("--ready-status")
    {
        Description = "A status that means ready: 200, 2xx or 200-399 (repeatable) [default: any response]",
        HelpName = "STATUS",
    };

    private readonly Option<string?> _memory = new("--memory")
    {
        Description = "The most memory the server's processes may use, e.g. 2G or 512M (limits.memory)",
        HelpName = "SIZE",
    };

    private readonly Option<string?> _cpu = new("--cpu")
    {
        Description = "The most CPU the server's processes may use, in cores, e.g. 1.5 (limits.cpu)",
        HelpName = "CORES",
    };

    private readonly Option<string?> _processes = new("--processes")
    {
        Description = "The most processes and threads the server may run (limits.processes)",
        HelpName = "COUNT",
    };

    private readonly Option<string?> _openFiles = new("--open-files")
    {
        Description = "The most files each of the server's processes may have open (limits.open_files)",
        HelpName = "COUNT",
    };

    public IEnumerable<Option> All =>
    [
        _timeout, _port, _unixSocket, _absoluteUrl, _environment, _headers, _mapPath, _title, _icon, _category, _pathInfo,
        _noLauncher, _noNewTab, _noActivity, _rawSocket, _websocketIdleTimeout, _websocketPingInterval, _idleTimeout,
        _maxRequestBodySize, _readyCheckPath, _readyStatus, _memory, _cpu, _processes, _openFiles,
    ];

    /// <summary>The definition these options describe; a wrong value is a <see cref="CliUsageException"/> naming its option.</summary>
    public ServerProcessDefinition ToDefinition(ParseResult parseResult, string name, string[] command)
    {
        var port = AddOptionValues.Port(parseResult.GetValue(_port), _port.Name);
        var unixSocket = parseResult.GetResult(_unixSocket) is null ? UnixSocketSetting.None : AddOptionValues.UnixSocket(parseResult.GetValue(_unixSocket));
        if (port != 0 && unixSocket.Enabled)
        {
            throw new CliUsageException("--port and --unix-socket cannot be used together: a server listens on one or the other");
        }
        if (command.Length == 0 && port == 0 && unixSocket.Path is null)
        {
            throw new CliUsageException(
                "COMMAND: give the command that starts the server after '--' (e.g. proxyhost add lab -- jupyter lab --port <port>), " +
                "or --port PORT / --unix-socket PATH to proxy a server that is already running");
        }

        return new ServerProcessDefinition
        {
            Name = name,
            Command = command,
            Timeout = AddOptionValues.Seconds(parseResult.GetValue(_timeout), _timeout.Name, ServerKeys.StartTimeout) ?? ServerProcessDefinition.DefaultTimeout,
            Environment = AddOptionValues.Pairs(parseResult.GetValue(_environment), _environment.Name, AddOptionValues.EnvironmentPair),
            AbsoluteUrl = parseResult.GetValue(_absoluteUrl),
            Port = port,
            UnixSocket = unixSocket,
            MapPath = AddOptionValues.Pairs(parseResult.GetValue(_mapPath), _mapPath.Name, AddOptionValues.PathPair),
            LauncherEntry = ToLauncherEntry(parseResult),
            NewBrowserTab = !parseResult.GetValue(_noNewTab),
            RequestHeadersOverride = AddOptionValues.Pairs(parseResult.GetValue(_headers), _headers.Name, AddOptionValues.HeaderPair),
            UpdateLastActivity = !parseResult.GetValue(_noActivity),
            RawSocketProxy = parseResult.GetValue(_rawSocket),
            WebSocketIdleTimeout = AddOptionValues.Seconds(parseResult.GetValue(_websocketIdleTimeout), _websocketIdleTimeout.Name, ServerKeys.WebSocketSeconds),
            WebSocketPingInterval = AddOptionValues.Seconds(parseResult.GetValue(_websocketPingInterval), _websocketPingInterval.Name, ServerKeys.WebSocketSeconds),
            IdleTimeout = AddOptionValues.Seconds(parseResult.GetValue(_idleTimeout), _idleTimeout.Name, ServerKeys.IdleSeconds),
            MaxRequestBodySize = AddOptionValues.ByteCount(parseResult.GetValue(_maxRequestBodySize), _maxRequestBodySize.Name),
            ReadyCheckPath = AddOptionValues.ReadyCheckPath(parseResult.GetValue(_readyCheckPath), _readyCheckPath.Name),
            ReadyStatus = AddOptionValues.ReadyStatuses(parseResult.GetValue(_readyStatus), _readyStatus.Name),
            Limits = new ServerLimits
            {
                MemoryBytes = AddOptionValues.Size(parseResult.GetValue(_memory), _memory.Name),
                Cpus = AddOptionValues.Cores(parseResult.GetValue(_cpu), _cpu.Name),
                Processes = AddOptionValues.Count(parseResult.GetValue(_processes), _processes.Name),
                OpenFiles = AddOptionValues.Count(parseResult.GetValue(_openFiles), _openFiles.Name),
            },
        };
    }

    private LauncherEntry ToLauncherEntry(ParseResult parseResult) => new()
    {
        Enabled = !parseResult.GetValue(_noLauncher),
        Title = AddOptionValues.NonEmpty(parseResult.GetValue(_title)),
        IconPath = AddOptionValues.NonEmpty(parseResult.GetValue(_icon)) is { } icon ? Path.GetFullPath(icon) : null,
        PathInfo = AddOptionValues.NonEmpty(parseResult.GetValue(_pathInfo)),
        Category = AddOptionValues.NonEmpty(parseResult.GetValue(_category)) ?? LauncherEntry.DefaultCategory,
    };
}
