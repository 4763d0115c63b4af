namespace ProxyHost.Proxy.Activation;

/// <summary>
/// Hears that a server's route carried traffic, for idle culling (<c>update_last_activity</c>).
/// Called once per request when it is activated, on every read and write of a proxied request's
/// backend connection (YARP tunnels websocket frames as bytes, so a proxied websocket counts per
/// chunk, about once per message), and on every message through a raw-socket bridge. Called only
/// for servers whose definition keeps <c>update_last_activity</c> on. Must be cheap and thread-safe:
/// it is on the hot path.
/// </summary>
public interface IServerActivitySink
{
    void RecordActivity(string serverName);
}

/// <summary>The default sink: activity is not recorded until an activity tracker is registered.</summary>
internal sealed class NoServerActivitySink : IServerActivitySink
{
    public void RecordActivity(string serverName)
    {
    }
}
