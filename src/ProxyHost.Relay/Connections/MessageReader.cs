using System.Buffers;
using System.Net.WebSockets;

namespace ProxyHost.Relay.Connections;

/// <summary>Reads whole websocket messages into exact-size arrays, refusing ones above a size limit.</summary>
internal sealed class MessageReader(WebSocket socket, int maxMessageBytes) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);

    public async Task<ReceivedMessage> ReadAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        var tooBig = false;
        while (true)
        {
            if (length == _buffer.Length && !tooBig)
            {
                if (length >= maxMessageBytes)
                {
                    tooBig = true;
                }
                else
                {
                    Grow(Math.Min(maxMessageBytes, length * 2));
                }
            }
            // Past the limit the rest of the message is read into the same space and thrown away.
            var target = tooBig ? _buffer.AsMemory() : _buffer.AsMemory(length);
            var result = await socket.ReceiveAsync(target, cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return new ReceivedMessage(ReceivedKind.Close, default);
            }
            if (!tooBig)
            {
                length += result.Count;
            }
            if (result.EndOfMessage)
            {
                if (tooBig || length > maxMessageBytes)
                {
                    return new ReceivedMessage(ReceivedKind.TooBig, default);
                }
                var kind = result.MessageType == WebSocketMessageType.Binary ? ReceivedKind.Binary : ReceivedKind.Text;
                return new ReceivedMessage(kind, _buffer.AsSpan(0, length).ToArray());
            }
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void Grow(int size)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        _buffer.CopyTo(bigger, 0);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}

internal enum ReceivedKind
{
    Binary,
    Text,
    TooBig,
    Close,
}

internal readonly record struct ReceivedMessage(ReceivedKind Kind, ReadOnlyMemory<byte> Payload);
