using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using ProxyHost.Collections;
using ProxyHost.Configuration;
using ProxyHost.Templating;

namespace ProxyHost.Cli.Commands;

/// <summary><c>proxyhost add NAME [options] -- COMMAND...</c>: adds or replaces one server in the config file.</summary>
/// <remarks>
/// Options are instance fields rather than static ones: a System.CommandLine symbol records its parent
/// commands, and tests build many root commands in parallel.
/// </remarks>
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

    private readonly Option<bool> _noLauncher = new("--no-launcher")
    {
        Description = "Do not show a launcher tile for this server",
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

    private readonly Option<long?> _maxRequestBodySize = new("--max-request-body-size")
    {
        Description = "The largest request body, in bytes, clients may send to this server [default: 1 GiB]",
        HelpName = "BYTES",
    };

    private readonly Option<bool> _noNewTab = new("--no-new-tab")
    {
        Description = "Open the server inside the front-end rather than in a new browser tab",
    };

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
        Options.Add(_timeout);
        Options.Add(_port);
        Options.Add(_unixSocket);
        Options.Add(_absoluteUrl);
        Options.Add(_environment);
        Options.Add(_headers);
        Options.Add(_title);
        Options.Add(_icon);
        Options.Add(_category);
        Options.Add(_noLauncher);
        Options.Add(_rawSocket);
        Options.Add(_websocketIdleTimeout);
        Options.Add(_websocketPingInterval);
        Options.Add(_maxRequestBodySize);
        Options.Add(_noNewTab);
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
            CheckTemplate(command[i], $"COMMAND word {i + 1} '{command[i]}'");
        }

        var port = ParsePort(parseResult.GetValue(_port));
        var unixSocket = ParseUnixSocket(parseResult);
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

        var launcher = new LauncherEntry
        {
            Enabled = !parseResult.GetValue(_noLauncher),
            Title = NonEmpty(parseResult.GetValue(_title)),
            IconPath = NonEmpty(parseResult.GetValue(_icon)) is { } icon ? Path.GetFullPath(icon) : null,
            Category = NonEmpty(parseResult.GetValue(_category)) ?? LauncherEntry.DefaultCategory,
        };

        return new ServerProcessDefinition
        {
            Name = name,
            Command = command,
            Timeout = ParseTimeout(parseResult.GetValue(_timeout)),
            Environment = ParsePairs(parseResult.GetValue(_environment), "--env", "KEY=VALUE", key => !key.Contains('=')),
            AbsoluteUrl = parseResult.GetValue(_absoluteUrl),
            Port = port,
            UnixSocket = unixSocket,
            LauncherEntry = launcher,
            NewBrowserTab = !parseResult.GetValue(_noNewTab),
            RequestHeadersOverride = ParsePairs(parseResult.GetValue(_headers), "--header", "NAME=VALUE", HttpHeaderNames.IsValid),
            RawSocketProxy = parseResult.GetValue(_rawSocket),
            WebSocketIdleTimeout = ParseOptionalSeconds(parseResult.GetValue(_websocketIdleTimeout), "--websocket-idle-timeout"),
            WebSocketPingInterval = ParseOptionalSeconds(parseResult.GetValue(_websocketPingInterval), "--websocket-ping-interval"),
            MaxRequestBodySize = parseResult.GetValue(_maxRequestBodySize) is { } maxBody and <= 0
                ? throw new CliUsageException($"--max-request-body-size: {maxBody} is not a number of bytes greater than 0")
                : parseResult.GetValue(_maxRequestBodySize),
        };
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

    private static int ParsePort(string? text)
    {
        if (text is null)
        {
            return 0;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535
            ? port
            : throw new CliUsageException($"--port: expected a port number from 1 to 65535, got '{text}'");
    }

    private static TimeSpan ParseTimeout(string? text)
    {
        if (text is null)
        {
            return ServerProcessDefinition.DefaultTimeout;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= 86_400
            ? TimeSpan.FromSeconds(seconds)
            : throw new CliUsageException($"--timeout: expected a number of seconds greater than 0 (at most 86400), got '{text}'");
    }

    private static TimeSpan? ParseOptionalSeconds(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= 604_800
            ? TimeSpan.FromSeconds(seconds)
            : throw new CliUsageException($"{option}: expected a number of seconds greater than 0 (at most 604800), got '{text}'");
    }

    private UnixSocketSetting ParseUnixSocket(ParseResult parseResult)
    {
        if (parseResult.GetResult(_unixSocket) is null)
        {
            return UnixSocketSetting.None;
        }
        var path = parseResult.GetValue(_unixSocket);
        return string.IsNullOrWhiteSpace(path) ? UnixSocketSetting.PrivateDirectory : UnixSocketSetting.AtPath(Path.GetFullPath(path));
    }

    private static EquatableMap ParsePairs(string[]? items, string option, string shape, Func<string, bool> isValidKey)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var item in items ?? [])
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            var key = equals > 0 ? item[..equals] : "";
            if (key.Length == 0 || !isValidKey(key))
            {
                throw new CliUsageException($"{option} '{item}': expected {shape}, e.g. {option} {Example(option)}");
            }
            var value = item[(equals + 1)..];
            CheckTemplate(value, $"{option} {item}");
            pairs.Add(new(key, value));
        }
        return new EquatableMap(pairs);
    }

    private static string Example(string option) => option == "--env" ? "TOKEN=abc" : "X-Forwarded-Prefix=<base_url>";

    private static void CheckTemplate(string text, string where)
    {
        if (PlaceholderTemplate.Validate(text) is [var problem, ..])
        {
            throw new CliUsageException($"{where}: {problem}");
        }
    }

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
