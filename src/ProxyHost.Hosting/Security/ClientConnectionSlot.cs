using System.Net;
using Microsoft.AspNetCore.Connections;

namespace ProxyHost.Hosting.Security;

/// <summary>
/// One connection's place under <see cref="ClientConnectionLimiter"/>, set as a connection feature so
/// the token check can move the connection to its address's authenticated count.
/// </summary>
internal sealed class ClientConnectionSlot(ClientConnectionLimiter limiter, IPAddress address, ConnectionContext connection)
{
    private volatile bool _isAuthenticated;

    public IPAddress Address { get; } = address;

    public ConnectionContext Connection { get; } = connection;

    /// <summary>Set under the limiter's lock; read without it on every request, so a stale false only costs a locked re-check.</summary>
    public bool IsAuthenticated
    {
        get => _isAuthenticated;
        set => _isAuthenticated = value;
    }

    /// <summary>Its node among its address's unauthenticated connections; null once authenticated or evicted.</summary>
    public LinkedListNode<ClientConnectionSlot>? Waiting { get; set; }

    /// <summary>Counts the connection as authenticated; false when its address is at the cap (the caller closes it).</summary>
    public bool TryAuthenticate() => IsAuthenticated || limiter.TryAuthenticate(this);
}
