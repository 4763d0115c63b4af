namespace ProxyHost.Relay;

/// <summary>Timing knobs tests shorten; not user options.</summary>
internal sealed class RelayTuning
{
    /// <summary>First reconnect delay, doubled (with jitter) up to the relay's <c>reconnect_max_delay</c>; also the pause after a connection ends.</summary>
    public TimeSpan ReconnectBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long one upstream connect (TCP + upgrade) may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a closing websocket may take to finish the close handshake before it is aborted.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
