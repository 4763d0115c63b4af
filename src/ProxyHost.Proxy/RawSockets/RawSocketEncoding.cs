namespace ProxyHost.Proxy.RawSockets;

/// <summary>How stream bytes travel in websocket messages, chosen by websockify-style subprotocol.</summary>
internal enum RawSocketEncoding
{
    /// <summary>Binary messages carry the bytes as they are (subprotocol <c>binary</c>, or none).</summary>
    Binary,

    /// <summary>Text messages carry the bytes base64-encoded (subprotocol <c>base64</c>, older noVNC).</summary>
    Base64,
}

/// <summary>Picks the subprotocol a raw-socket bridge answers with, websockify's way.</summary>
internal static class RawSocketSubProtocol
{
    public const string Binary = "binary";

    public const string Base64 = "base64";

    /// <summary>
    /// <c>binary</c> wins when offered (it is cheaper), then <c>base64</c>; other offers are not
    /// accepted and the bridge answers with no subprotocol and binary messages, as websockify does.
    /// </summary>
    public static (string? SubProtocol, RawSocketEncoding Encoding) Select(IList<string> requested)
    {
        ArgumentNullException.ThrowIfNull(requested);
        if (requested.Contains(Binary, StringComparer.OrdinalIgnoreCase))
        {
            return (Binary, RawSocketEncoding.Binary);
        }
        if (requested.Contains(Base64, StringComparer.OrdinalIgnoreCase))
        {
            return (Base64, RawSocketEncoding.Base64);
        }
        return (null, RawSocketEncoding.Binary);
    }
}
