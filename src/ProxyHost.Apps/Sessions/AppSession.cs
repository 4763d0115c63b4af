using System.Net.WebSockets;
using System.Threading.Channels;
using ProxyHost.Apps.Messaging;

namespace ProxyHost.Apps.Sessions;

/// <summary>
/// One browser connection: its identity, and a bounded outbound queue that the websocket writer drains,
/// so a sending app never waits on a slow browser; a browser that falls too far behind is disconnected.
/// </summary>
internal sealed class AppSession
{
    internal const int OutboundCapacity = 4096;

    // Caps one session's messages waiting on the instance queue: a flooding browser slows only its own reads.
    internal const int InboundInFlight = 256;

    private readonly Channel<AppMessage> _outbound = Channel.CreateBounded<AppMessage>(
        new BoundedChannelOptions(OutboundCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public AppSession(string appName, IReadOnlyDictionary<string, string> queryParameters, IReadOnlyDictionary<string, string> headers, DateTimeOffset opened)
    {
        AppName = appName;
        QueryParameters = queryParameters;
        Headers = headers;
        Opened = opened;
    }

    public string Id { get; } = Guid.NewGuid().ToString();

    public string AppName { get; }

    public IReadOnlyDictionary<string, string> QueryParameters { get; }

    public IReadOnlyDictionary<string, string> Headers { get; }

    public DateTimeOffset Opened { get; }

    public SemaphoreSlim InboundSlots { get; } = new(InboundInFlight, InboundInFlight);

    /// <summary>The close the server asked for; null while open or when the browser closed first.</summary>
    public (WebSocketCloseStatus Status, string Reason)? ServerClose { get; private set; }

    public ChannelReader<AppMessage> Outbound => _outbound.Reader;

    public void Enqueue(AppMessage message)
    {
        if (!_outbound.Writer.TryWrite(message))
        {
            Close(WebSocketCloseStatus.PolicyViolation, "too many messages queued for this session");
        }
    }

    /// <summary>Ends the session from the server side once what is queued has been written.</summary>
    public void Close(WebSocketCloseStatus status, string reason)
    {
        ServerClose ??= (status, reason);
        _outbound.Writer.TryComplete();
    }

    /// <summary>Ends the outbound queue after the browser went away.</summary>
    public void Complete() => _outbound.Writer.TryComplete();
}
