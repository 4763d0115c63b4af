using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace ProxyHost.Hosting.Security;

/// <summary>
/// Kestrel connection middleware that caps what one client address holds open. A connection counts
/// against the cap (websockets and idle keep-alives included) once a request on it has carried the
/// token; over the cap, that connection is closed unanswered. Until then it is one of the address's
/// unauthenticated connections, of which the cap's worth are kept and the oldest is closed when another
/// arrives: sockets that never authenticate (another user of 127.0.0.1, a flood) cannot lock out a
/// request that carries the token, and cannot make ProxyHost hold more than twice the cap per address.
/// </summary>
internal sealed partial class ClientConnectionLimiter(int limit, ILogger logger)
{
    private readonly Dictionary<IPAddress, ClientAddress> _addresses = [];

    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        if (connection.RemoteEndPoint is not IPEndPoint { Address: var remote })
        {
            await next(connection).ConfigureAwait(false);
            return;
        }
        var slot = new ClientConnectionSlot(this, remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote, connection);
        if (Admit(slot) is { } evicted)
        {
            Log.Evicted(logger, evicted.Address.ToString(), limit);
            evicted.Connection.Abort(new ConnectionAbortedException("Too many unauthenticated connections from this address."));
        }
        connection.Features.Set(slot);
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            Release(slot);
        }
    };

    /// <summary>Counts <paramref name="slot"/> as authenticated; false when its address already has the cap's worth, or it was evicted.</summary>
    internal bool TryAuthenticate(ClientConnectionSlot slot)
    {
        lock (_addresses)
        {
            if (slot.IsAuthenticated)
            {
                return true;
            }
            if (slot.Waiting is not { } waiting)
            {
                return false; // evicted, and already closing
            }
            var address = _addresses[slot.Address];
            if (address.Authenticated < limit)
            {
                address.Unauthenticated.Remove(waiting);
                slot.Waiting = null;
                address.Authenticated++;
                slot.IsAuthenticated = true;
                return true;
            }
        }
        Log.Refused(logger, slot.Address.ToString(), limit);
        return false;
    }

    /// <summary>Adds a new connection to its address's unauthenticated ones; returns the oldest of them when that made one too many.</summary>
    private ClientConnectionSlot? Admit(ClientConnectionSlot slot)
    {
        lock (_addresses)
        {
            if (!_addresses.TryGetValue(slot.Address, out var address))
            {
                _addresses[slot.Address] = address = new ClientAddress();
            }
            ClientConnectionSlot? evicted = null;
            if (address.Unauthenticated.Count >= limit)
            {
                evicted = address.Unauthenticated.First!.Value;
                address.Unauthenticated.RemoveFirst();
                evicted.Waiting = null;
            }
            slot.Waiting = address.Unauthenticated.AddLast(slot);
            return evicted;
        }
    }

    private void Release(ClientConnectionSlot slot)
    {
        lock (_addresses)
        {
            if (!_addresses.TryGetValue(slot.Address, out var address))
            {
                return;
            }
            if (slot.IsAuthenticated)
            {
                address.Authenticated--;
            }
            else if (slot.Waiting is { } waiting)
            {
                address.Unauthenticated.Remove(waiting);
                slot.Waiting = null;
            }
            if (address.Authenticated == 0 && address.Unauthenticated.Count == 0)
            {
                _addresses.Remove(slot.Address);
            }
        }
    }

    private sealed class ClientAddress
    {
        public int Authenticated { get; set; }

        /// <summary>Oldest first.</summary>
        public LinkedList<ClientConnectionSlot> Unauthenticated { get; } = new();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = HostingEventIds.ConnectionRefused, Level = LogLevel.Warning, Message = "Closed a connection from {Address}: it already has {Limit} authenticated connections open (--max-connections-per-client)")]
        public static partial void Refused(ILogger logger, string address, int limit);

        [LoggerMessage(EventId = HostingEventIds.ConnectionEvicted, Level = LogLevel.Warning, Message = "Closed the oldest unauthenticated connection from {Address}: it had {Limit} open that never sent the token (--max-connections-per-client)")]
        public static partial void Evicted(ILogger logger, string address, int limit);
    }
}
