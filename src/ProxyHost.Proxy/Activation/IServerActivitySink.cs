namespace ProxyHost.Proxy.Activation;

/// <summary>
/// Hears that a server's route carried traffic, for idle culling (<c>update_last_activity</c>).
/// Called once per proxied request when it is activated (so a proxied websocket counts at open;
/// YARP tunnels its frames as bytes) and on every message through a raw-socket bridge. Called only
/// for servers whose definition keeps <c>update_last_activity</c> on. Must be cheap and thread-safe.
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
