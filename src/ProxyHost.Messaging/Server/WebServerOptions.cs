namespace ProxyHost.Messaging.Server;

/// <summary>
/// The seed's constructor options for a standalone <see cref="WebServer"/>: where to listen and with
/// which certificate, on top of what the site serves.
/// </summary>
public sealed class WebServerOptions : MessagingOptions
{
    /// <summary>The interface to bind; loopback by default (the seed binds 0.0.0.0, and has no auth).</summary>
    public string WebHost { get; set; } = "127.0.0.1";

    /// <summary>The HTTP(S) port; the websocket is served on it at <c>/ws</c>. 0 picks a free port.</summary>
    public int WebPort { get; set; } = 8050;

    /// <summary>
    /// For pages written for the seed (<c>connectWebsocket(cb, port)</c>): a second port that accepts
    /// the websocket on any path. Null (the default) serves only <c>/ws</c> on <see cref="WebPort"/>.
    /// </summary>
    public int? WebSocketPort { get; set; }

    /// <summary>PEM certificate for HTTPS and WSS; needs <see cref="SslKey"/>.</summary>
    public string? SslCert { get; set; }

    /// <summary>PEM private key of <see cref="SslCert"/>.</summary>
    public string? SslKey { get; set; }
}
