using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace ProxyHost.Hosting.Security;

/// <summary>
/// Kestrel connection middleware that caps how many connections one client address holds open at
/// once (websockets and idle keep-alives included); a connection over the cap is closed before any
/// byte of it is read, so a flood from one address cannot use up the host's sockets and threads.
/// </summary>
internal sealed partial class ClientConnectionLimiter(int limit, ILogger logger)
{
    private readonly Dictionary<IPAddress, int> _open = [];

    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        if (connection.RemoteEndPoint is not IPEndPoint { Address: var remote })
        {
            await next(connection).ConfigureAwait(false);
            return;
        }
        var address = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        if (!TryEnter(address))
        {
            Log.Refused(logger, address.ToString(), limit);
            return;
        }
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            Exit(address);
        }
    };

    private bool TryEnter(IPAddress address)
    {
        lock (_open)
        {
            var count = _open.GetValueOrDefault(address);
            if (count >= limit)
            {
                return false;
            }
            _open[address] = count + 1;
            return true;
        }
    }

    private void Exit(IPAddress address)
    {
        lock (_open)
        {
            if (--_open[address] == 0)
            {
                _open.Remove(address);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Closed a connection from {Address}: it already has {Limit} open (--max-connections-per-client)")]
        public static partial void Refused(ILogger logger, string address, int limit);
    }
}
