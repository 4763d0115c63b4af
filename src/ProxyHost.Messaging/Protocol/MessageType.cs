namespace ProxyHost.Messaging.Protocol;

/// <summary>The message type codes of the NanoLLM web server's wire format (same numbers both ways).</summary>
public enum MessageType : ushort
{
    /// <summary>UTF-8 JSON text.</summary>
    Json = 0,

    /// <summary>UTF-8 text.</summary>
    Text = 1,

    /// <summary>Raw bytes.</summary>
    Binary = 2,

    /// <summary>A file upload; the metadata holds its extension.</summary>
    File = 3,

    /// <summary>PCM samples: int16, little-endian, mono (48 kHz by convention).</summary>
    Audio = 4,

    /// <summary>An encoded image file (png, jpg, …); the metadata holds its extension.</summary>
    Image = 5,
}
