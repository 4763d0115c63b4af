namespace ProxyHost.Proxy.Activity;

/// <summary>
/// The default <see cref="IServerActivitySink"/> until an activity tracker is registered. Callers report
/// all traffic (HTTP requests and every read/write on their backend connections, every raw-bridge
/// message); the tracker decides what counts, e.g. by <c>update_last_activity</c>.
/// </summary>
internal sealed class NoServerActivitySink : IServerActivitySink
{
    public void RecordActivity(string serverName)
    {
    }
}
