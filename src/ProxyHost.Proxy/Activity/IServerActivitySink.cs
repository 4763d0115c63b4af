namespace ProxyHost.Proxy.Activity;

/// <summary>Where proxied traffic is reported: HTTP requests, websocket and raw-socket messages.</summary>
public interface IServerActivitySink
{
    /// <summary>Records that traffic for <paramref name="serverName"/> passed through just now.</summary>
    void RecordActivity(string serverName);
}
