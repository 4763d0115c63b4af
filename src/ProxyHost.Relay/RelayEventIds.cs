namespace ProxyHost.Relay;

/// <summary>The one table of this assembly's log event ids (900-999; Supervision has 1000-1099); ids are stable, never reused.</summary>
internal static class RelayEventIds
{
    public const int RoomJoined = 900;
    public const int RoomLeft = 901;
    public const int NoRoom = 902;
    public const int UpstreamConnected = 910;
    public const int UpstreamLost = 911;
    public const int UpstreamBadFrame = 912;
    public const int UpstreamQueueFull = 913;
    public const int UpstreamResynced = 914;
    public const int UpstreamRetryingWithCredentials = 915;
    public const int UpstreamConnectFailed = 916;
    public const int ClientSessionTooSlow = 920;
    public const int ClientSessionRejected = 921;
    public const int ClientSessionClosed = 922;
    public const int MultiplexedSessionOpened = 930;
    public const int MultiplexedSessionRejected = 931;
    public const int MultiplexedSessionClosed = 932;
    public const int MultiplexedSessionTooSlow = 933;
}
