using System.Buffers;
using System.Buffers.Text;
using System.Net.WebSockets;

namespace ProxyHost.Proxy.RawSockets;

/// <summary>
/// The two copy loops of a raw-socket bridge. Each owns one pooled buffer and awaits every write
/// before it reads again, so a slow reader on one side slows the other side's reads (backpressure
/// through TCP flow control) and memory stays at one buffer per direction.
/// </summary>
internal static class RawSocketPumps
{
    public const int BufferSize = 64 * 1024;

    /// <summary>
    /// Writes every client message to the backend (text as its UTF-8 bytes, or base64-decoded on a
    /// base64 websocket) until the client sends a close or the websocket fails. After a failed write
    /// it keeps receiving (and discarding) so the close handshake can still finish. A message longer
    /// than <paramref name="maxMessageSize"/> ends the pump.
    /// </summary>
    public static async Task<ClientEnd> ClientToBackendAsync(
        WebSocket webSocket, Stream backend, RawSocketEncoding encoding, long maxMessageSize, Action onMessage, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize + 4);
        var decoded = encoding == RawSocketEncoding.Base64 ? ArrayPool<byte>.Shared.Rent(BufferSize) : null;
        var pending = 0;
        var messageSize = 0L;
        var backendWritable = true;
        try
        {
            while (true)
            {
                var result = await webSocket.ReceiveAsync(buffer.AsMemory(pending, BufferSize), cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return ClientEnd.Closed;
                }
                messageSize += result.Count;
                if (messageSize > maxMessageSize)
                {
                    return ClientEnd.MessageTooBig;
                }
                if (result.EndOfMessage)
                {
                    messageSize = 0;
                }
                onMessage();
                if (!backendWritable)
                {
                    continue;
                }

                ReadOnlyMemory<byte> payload = buffer.AsMemory(0, pending + result.Count);
                if (decoded is not null && result.MessageType == WebSocketMessageType.Text)
                {
                    var status = Base64.DecodeFromUtf8(payload.Span, decoded, out var consumed, out var written, result.EndOfMessage);
                    if (status is OperationStatus.InvalidData || (status is OperationStatus.NeedMoreData && result.EndOfMessage))
                    {
                        return ClientEnd.InvalidBase64;
                    }
                    // Keep the unfinished quantum (under 4 characters) for the next fragment of this message.
                    pending = payload.Length - consumed;
                    payload[consumed..].CopyTo(buffer);
                    payload = decoded.AsMemory(0, written);
                }
                else
                {
                    pending = 0;
                }

                try
                {
                    await backend.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException)
                {
                    backendWritable = false;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            return ClientEnd.Gone;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (decoded is not null)
            {
                ArrayPool<byte>.Shared.Return(decoded);
            }
        }
    }

    /// <summary>
    /// Sends every chunk read from the backend as one message (binary, or base64 text on a base64
    /// websocket) until the backend ends the stream, fails, or the websocket can no longer send.
    /// </summary>
    public static async Task<BackendEnd> BackendToClientAsync(
        Stream backend, WebSocket webSocket, RawSocketEncoding encoding, Action onMessage, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var encoded = encoding == RawSocketEncoding.Base64 ? ArrayPool<byte>.Shared.Rent(Base64.GetMaxEncodedToUtf8Length(BufferSize)) : null;
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await backend.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false);
                }
                catch (IOException)
                {
                    return BackendEnd.Failed;
                }
                if (read == 0)
                {
                    return BackendEnd.Closed;
                }
                onMessage();

                if (encoded is null)
                {
                    await webSocket.SendAsync(buffer.AsMemory(0, read), WebSocketMessageType.Binary, true, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    Base64.EncodeToUtf8(buffer.AsSpan(0, read), encoded, out _, out var written);
                    await webSocket.SendAsync(encoded.AsMemory(0, written), WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            return BackendEnd.ClientGone;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (encoded is not null)
            {
                ArrayPool<byte>.Shared.Return(encoded);
            }
        }
    }

    internal enum ClientEnd
    {
        Closed,
        Gone,
        InvalidBase64,
        MessageTooBig,
    }

    internal enum BackendEnd
    {
        Closed,
        Failed,
        ClientGone,
    }
}
