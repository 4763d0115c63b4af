using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ProxyHost.Configuration;
using ProxyHost.Hosting;
using ProxyHost.Proxy.Activity;
using ProxyHost.Hosting.JupyterHub;
using ProxyHost.Security;
using ProxyHost.Supervision.Lifecycle;

namespace ProxyHost.Cli.Commands;

/// <summary><c>proxyhost serve</c>: runs the proxy until Ctrl+C or SIGTERM, then stops every process it started.</summary>
internal sealed class ServeCommand : Command
{
    /// <summary>The environment variable holding the token when <c>--token</c> is not given.</summary>
    public const string TokenEnvironmentVariable = EnvironmentSecrets.ProxyHostToken;

    private readonly ICliConsole _console;
    private readonly Option<string?> _config = ConfigPathOption.Create();
    private readonly Option<string> _ip = new("--ip")
    {
        Description = "The address to listen on; loopback unless you need other machines to reach it",
        DefaultValueFactory = _ => "127.0.0.1",
        HelpName = "ADDRESS",
    };
    private readonly Option<int> _port = new("--port", "-p")
    {
        Description = "The port to listen on (0 picks a free one)",
        DefaultValueFactory = _ => 8888,
    };
    private readonly Option<string> _baseUrl = new("--base-url")
    {
        Description = "The URL prefix every route is served under",
        DefaultValueFactory = _ => "/",
        HelpName = "PATH",
    };
    private readonly Option<string?> _token = new("--token")
    {
        Description = $"The token clients must send [default: ${TokenEnvironmentVariable}, else a random one]",
        HelpName = "TOKEN",
    };
    private readonly Option<string?> _tokenFile = new("--token-file")
    {
        Description = "Read the token from this file (once, at start; it should be readable by you only)",
        HelpName = "PATH",
    };
    private readonly Option<string[]> _allowOrigin = new("--allow-origin")
    {
        Description = "Another origin whose pages may open websockets and send POST/PUT/PATCH/DELETE (repeatable; '*' in the host matches any part, '*' alone any origin)",
        HelpName = "ORIGIN",
    };
    private readonly Option<string[]> _allowHost = new("--allow-host")
    {
        Description = "Another host name requests may arrive under, besides loopback, --ip and this machine's names (repeatable; '*' in the name matches any part, '*' alone any host)",
        HelpName = "HOST",
    };
    private readonly Option<bool> _metricsNoAuth = new("--metrics-no-auth")
    {
        Description = "Serve <base_url>metrics without the token, for a scraper that cannot send one",
    };
    private readonly Option<int?> _maxConnectionsPerClient = new("--max-connections-per-client")
    {
        Description = "Authenticated connections one client address may hold open at once (as many unauthenticated ones again); 0 for no limit [default: 256]",
        HelpName = "COUNT",
    };
    private readonly Option<bool> _noToken = new("--no-token")
    {
        Description = "Serve without authentication (anyone who can reach the port can use every server)",
    };
    private readonly Option<LogLevel> _logLevel = new("--log-level")
    {
        Description = "The least severe log messages to show",
        DefaultValueFactory = _ => LogLevel.Information,
    };

    private readonly Option<double?> _shutdownNoActivityTimeout = new("--shutdown-no-activity-timeout")
    {
        Description = "Stop ProxyHost (and its processes) when nothing has been proxied for this many seconds [default: never]",
        HelpName = "SECONDS",
    };

    private readonly Option<bool> _noArbitraryPorts = new("--no-arbitrary-ports")
    {
        Description = "Do not serve proxy/<port>/ (and its host and absolute forms) to ports that are not configured servers",
    };

    private readonly Option<string[]> _plugins = new("--plugins")
    {
        Description = "A folder of plugin DLLs to load (repeatable); the config file's \"plugins\" key adds more",
        HelpName = "DIR",
    };

    private readonly Option<double?> _resourceSampleInterval = new("--resource-sample-interval")
    {
        Description = "Seconds between samples of each running server's memory, CPU and processes; 0 turns sampling off [default: 5]",
        HelpName = "SECONDS",
    };

    private readonly Option<string?> _sslCert = new("--ssl-cert")
    {
        Description = "A PEM certificate: serve HTTPS and WSS with it (needs --ssl-key)",
        HelpName = "PEM",
    };

    private readonly Option<string?> _sslKey = new("--ssl-key")
    {
        Description = "The PEM private key of --ssl-cert",
        HelpName = "PEM",
    };

    public ServeCommand(ICliConsole console)
        : base("serve", "Serve the configured servers, starting each on its first request")
    {
        ArgumentNullException.ThrowIfNull(console);
        _console = console;
        Options.Add(_config);
        Options.Add(_ip);
        Options.Add(_port);
        Options.Add(_baseUrl);
        Options.Add(_token);
        Options.Add(_tokenFile);
        Options.Add(_noToken);
        Options.Add(_allowOrigin);
        Options.Add(_allowHost);
        Options.Add(_metricsNoAuth);
        Options.Add(_maxConnectionsPerClient);
        Options.Add(_logLevel);
        Options.Add(_shutdownNoActivityTimeout);
        Options.Add(_resourceSampleInterval);
        Options.Add(_noArbitraryPorts);
        Options.Add(_plugins);
        Options.Add(_sslCert);
        Options.Add(_sslKey);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var options = ReadOptions(parseResult, out var configRequired, out var tokenFileWarning);
        var hub = ApplyJupyterHub(parseResult, options);
        ServeOptionFlags.Validate(options);
        var logLevel = parseResult.GetValue(_logLevel);
        var shutdownAfter = parseResult.GetValue(_shutdownNoActivityTimeout) switch
        {
            null => (TimeSpan?)null,
            > 0 and var seconds => TimeSpan.FromSeconds(seconds),
            var seconds => throw new CliUsageException($"--shutdown-no-activity-timeout: {seconds} is not a number of seconds greater than 0"),
        };
        var sampleInterval = parseResult.GetValue(_resourceSampleInterval) switch
        {
            null => (TimeSpan?)null,
            >= 0 and <= 3600 and var seconds => TimeSpan.FromSeconds(seconds),
            var seconds => throw new CliUsageException($"--resource-sample-interval: {seconds} is not a number of seconds from 0 (off) to 3600"),
        };
        // Checked before anything starts: a state folder another user owns or may write stops serve with one line.
        _ = PrivateState.Root;
        StartupProfile.Start();
        var app = ProxyHostApplication.Create(options, configRequired, (builder, proxyHost) =>
        {
            builder.Logging
                .SetMinimumLevel(logLevel)
                // A failed start (bad config, port in use) is reported by the CLI as one line; the host would log it again with a stack trace.
                .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
            builder.Services.Configure<ActivityOptions>(o => o.ShutdownNoActivityTimeout = shutdownAfter);
            // This process is ProxyHost, so it may adopt its servers' daemons (see SupervisionOptions).
            builder.Services.Configure<SupervisionOptions>(o =>
            {
                o.BecomeChildSubreaper = true;
                o.ResourceSampleInterval = sampleInterval ?? o.ResourceSampleInterval;
            });
            if (hub.ActivityUrl is not null)
            {
                proxyHost.AddJupyterHubActivity(o =>
                {
                    o.ActivityUrl = hub.ActivityUrl;
                    o.ApiToken = hub.ApiToken;
                    o.ServerName = hub.ServerName;
                });
            }
        });
        await using (app.ConfigureAwait(false))
        {
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                throw new CliUsageException($"cannot listen on {options.Address}:{options.Port}: the address is already in use (choose another --port, or --port 0 for a free one)");
            }

            if (tokenFileWarning is not null)
            {
                app.Logger.LogWarning("{Warning}", tokenFileWarning);
            }
            if (hub.IsPresent && options.AllowedHosts.Count == 0 && options.AllowedOrigins.Count == 0)
            {
                app.Logger.LogWarning("JupyterHub gave no public URL (c.JupyterHub.public_url): requests its proxy passes on under the Hub's host name get 403 until you add --allow-host <that name>");
            }
            if (options.Token is null)
            {
                app.Logger.LogWarning("Authentication is off (--no-token): anyone who can reach {Address} can use every server", options.Address);
            }
            await _console.Out.WriteLineAsync("ProxyHost listening on " + PublicUrl(app, options)).ConfigureAwait(false);
            await _console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);

            // Returns once the host has stopped: websockets closed, every process tree stopped (see ShutdownTimeouts).
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }
        return ExitCodes.Success;
    }

    private ProxyHostOptions ReadOptions(ParseResult parseResult, out bool configRequired, out string? tokenFileWarning)
    {
        if (!IPAddress.TryParse(parseResult.GetValue(_ip), out var address))
        {
            throw new CliUsageException($"--ip: '{parseResult.GetValue(_ip)}' is not an IP address (for example 127.0.0.1 or ::1)");
        }
        var port = parseResult.GetValue(_port);
        if (port is < 0 or > 65535)
        {
            throw new CliUsageException($"--port: {port} is not a port number from 0 to 65535");
        }

        string? token = null;
        tokenFileWarning = null;
        if (parseResult.GetValue(_noToken))
        {
            if (parseResult.GetValue(_token) is not null || parseResult.GetValue(_tokenFile) is not null)
            {
                throw new CliUsageException("--no-token cannot be used with --token or --token-file");
            }
        }
        else
        {
            token = ReadToken(parseResult, out tokenFileWarning);
            if (string.IsNullOrWhiteSpace(token))
            {
                token = ProxyHostCredentials.Generate();
            }
        }

        var configOption = parseResult.GetValue(_config);
        configRequired = configOption is not null || Environment.GetEnvironmentVariable(ConfigPathOption.EnvironmentVariable) is { Length: > 0 };
        return new ProxyHostOptions
        {
            Address = address,
            Port = port,
            BaseUrl = parseResult.GetValue(_baseUrl)!,
            Token = token,
            ConfigPath = ConfigPathOption.Resolve(configOption),
            ArbitraryPorts = !parseResult.GetValue(_noArbitraryPorts),
            PluginDirectories = parseResult.GetValue(_plugins) ?? [],
            AllowedOrigins = parseResult.GetValue(_allowOrigin) ?? [],
            AllowedHosts = parseResult.GetValue(_allowHost) ?? [],
            MetricsWithoutAuth = parseResult.GetValue(_metricsNoAuth),
            Limits = new ProxyHostLimits { MaxConnectionsPerClient = parseResult.GetValue(_maxConnectionsPerClient) ?? new ProxyHostLimits().MaxConnectionsPerClient },
            SslCertificatePath = parseResult.GetValue(_sslCert) is { } certificate ? Path.GetFullPath(certificate) : null,
            SslKeyPath = parseResult.GetValue(_sslKey) is { } key ? Path.GetFullPath(key) : null,
        };
    }

    private string? ReadToken(ParseResult parseResult, out string? tokenFileWarning)
    {
        tokenFileWarning = null;
        if (parseResult.GetValue(_tokenFile) is not { } path)
        {
            return parseResult.GetValue(_token) ?? Environment.GetEnvironmentVariable(TokenEnvironmentVariable);
        }
        if (parseResult.GetValue(_token) is not null)
        {
            throw new CliUsageException("--token and --token-file cannot be used together");
        }
        return TokenFile.Read(path, out tokenFileWarning);
    }




    /// <summary>
    /// Under JupyterHub (its variables set), the base URL, address and port come from the spawner unless
    /// given on the command line, and the Hub's public hosts are served besides <c>--allow-host</c>.
    /// </summary>
    private JupyterHubEnvironment ApplyJupyterHub(ParseResult parseResult, ProxyHostOptions options)
    {
        var hub = JupyterHubEnvironment.Read(Environment.GetEnvironmentVariable);
        if (hub.BaseUrl is { } baseUrl && IsImplicit(parseResult, _baseUrl))
        {
            options.BaseUrl = baseUrl;
        }
        if (hub.Address is { } address && IsImplicit(parseResult, _ip))
        {
            options.Address = address;
        }
        if (hub.Port is { } port && IsImplicit(parseResult, _port))
        {
            options.Port = port;
        }
        options.AllowedHosts = [.. options.AllowedHosts, .. hub.PublicHosts];
        return hub;
    }

    private static bool IsImplicit(ParseResult parseResult, Option option) => parseResult.GetResult(option) is null or { Implicit: true };

    private static string PublicUrl(WebApplication app, ProxyHostOptions options)
    {
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var url = bound.TrimEnd('/') + options.BaseUrl;
        return options.Token is null ? url : $"{url}?{ProxyHostCredentials.QueryParameter}={options.Token}";
    }
}
