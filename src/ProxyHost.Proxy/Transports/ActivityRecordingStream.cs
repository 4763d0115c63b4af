using ProxyHost.Proxy.Activity;

namespace ProxyHost.Proxy.Transports;

/// <summary>
/// Wraps a backend connection and reports every read and write as activity of its server, so a
/// proxied websocket (which YARP tunnels as bytes) counts on each message, not only when it opens.
/// </summary>
internal sealed class ActivityRecordingStream(Stream inner, IServerActivitySink sink, string serverName) : ObservedStream(inner, ownsInner: true)
{
    protected override void OnRead(int count) => sink.RecordActivity(serverName);

    protected override void OnWritten(int count) => sink.RecordActivity(serverName);
}
