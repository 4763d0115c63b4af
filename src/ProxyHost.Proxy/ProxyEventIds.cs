namespace ProxyHost.Proxy;

/// <summary>The one table of this assembly's log event ids (2000-2099; Supervision has 1000-1099); ids are stable, never reused.</summary>
internal static class ProxyEventIds
{
    public const int ForwardFailed = 2001;
    public const int StoppingIdleServer = 2002;
    public const int IdleStopFailed = 2003;
    public const int ShuttingDownNoActivity = 2004;
    public const int ArbitraryPortForwardFailed = 2005;
    public const int BackgroundStartFailed = 2006;
    public const int RawSocketConnectFailed = 2007;
    public const int RawSocketBridging = 2008;
    public const int RawSocketEnded = 2009;
    public const int RoutesApplied = 2010;
    public const int RoutesRejected = 2011;
    public const int UpgradedConnectionsClosing = 2012;
}
