using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ProxyHost.Proxy.Upgrades;

/// <summary>
/// The upgraded connections (websockets and other upgrades) that are open, so a stopping host closes
/// them instead of waiting: Kestrel's graceful stop waits for every running request, an upgraded one
/// never ends by itself, and one open terminal or kernel websocket used to hold the whole shutdown until
/// the process was killed, before any server process was stopped.
/// </summary>
internal sealed partial class UpgradedConnections
{
    /// <summary>How long a connection gets, from the moment ProxyHost starts stopping, to finish its close handshake before it is aborted.</summary>
    public static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    private readonly Lock _lock = new();
    private readonly HashSet<UpgradedConnection> _open = [];
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private CancellationTokenSource? _closeTimeout;

    public UpgradedConnections(IHostApplicationLifetime lifetime, TimeProvider time, ILogger<UpgradedConnections> logger)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        _time = time;
        _logger = logger;
        lifetime.ApplicationStopping.Register(() => _ = CloseAllAsync());
    }

    /// <summary>Tracks a request until it ends; null once the host is stopping (no new upgrade may start then).</summary>
    internal UpgradedConnection? Open(HttpContext context)
    {
        lock (_lock)
        {
            if (_closeTimeout is not null)
            {
                return null;
            }
            var connection = new UpgradedConnection(context);
            _open.Add(connection);
            return connection;
        }
    }

    internal async Task EndAsync(UpgradedConnection connection)
    {
        CancellationToken? closeTimeout;
        lock (_lock)
        {
            _open.Remove(connection);
            closeTimeout = _closeTimeout?.Token;
        }
        await connection.EndAsync(closeTimeout).ConfigureAwait(false);
    }

    private async Task CloseAllAsync()
    {
        List<UpgradedConnection> open;
        CancellationToken timeout;
        lock (_lock)
        {
            _closeTimeout = new CancellationTokenSource(CloseTimeout, _time);
            timeout = _closeTimeout.Token;
            open = [.. _open];
        }
        if (open.Count > 0)
        {
            Log.Closing(_logger, open.Count);
            await Task.WhenAll(open.Select(c => c.CloseAsync(timeout))).ConfigureAwait(false);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = ProxyEventIds.UpgradedConnectionsClosing, Level = LogLevel.Information, Message = "closing {Count} open websocket or upgraded connection(s): ProxyHost is stopping")]
        public static partial void Closing(ILogger logger, int count);
    }
}
