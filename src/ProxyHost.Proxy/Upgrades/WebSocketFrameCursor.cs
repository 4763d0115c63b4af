using System.Buffers.Binary;

namespace ProxyHost.Proxy.Upgrades;

/// <summary>
/// Follows the frame headers in one direction of a websocket byte stream (skipping payloads in bulk),
/// so ProxyHost knows where one frame ends and can put a frame of its own between two.
/// </summary>
internal sealed class WebSocketFrameCursor
{
    private const byte CloseOpcode = 0x8;
    private readonly byte[] _header = new byte[14];
    private int _headerRead;
    private long _payloadLeft;

    /// <summary>No frame is partly through: the next byte starts a new frame.</summary>
    public bool AtBoundary => _headerRead == 0 && _payloadLeft == 0;

    /// <summary>A close frame has started in this direction.</summary>
    public bool SawClose { get; private set; }

    /// <summary>
    /// Moves over <paramref name="data"/> and returns how many bytes it consumed: all of them, or with
    /// <paramref name="stopAtBoundary"/> only as many as finish the current frame (none when at a boundary).
    /// </summary>
    public int Advance(ReadOnlySpan<byte> data, bool stopAtBoundary)
    {
        var consumed = 0;
        while (consumed < data.Length && !(stopAtBoundary && AtBoundary))
        {
            if (_payloadLeft > 0)
            {
                var skipped = (int)Math.Min(_payloadLeft, data.Length - consumed);
                _payloadLeft -= skipped;
                consumed += skipped;
                continue;
            }
            _header[_headerRead++] = data[consumed++];
            if (_headerRead >= 2 && _headerRead == HeaderLength())
            {
                SawClose |= (_header[0] & 0x0F) == CloseOpcode;
                _payloadLeft = PayloadLength();
                _headerRead = 0;
            }
        }
        return consumed;
    }

    private int HeaderLength() =>
        2 + (_header[1] & 0x7F) switch { 126 => 2, 127 => 8, _ => 0 } + ((_header[1] & 0x80) != 0 ? 4 : 0);

    private long PayloadLength() => (_header[1] & 0x7F) switch
    {
        126 => BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(2)),
        127 => (long)(BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(2)) & long.MaxValue),
        var length => length,
    };
}
