using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;

namespace ProxyHost.Proxy.Upgrades;

/// <summary>
/// The client's side of a websocket that YARP tunnels as opaque bytes. It follows the frames both ways
/// so that, when ProxyHost stops, it can send the client a close frame of its own at a frame boundary
/// (never inside a backend frame) and tell when the client has answered it. Disposing it leaves the
/// connection's stream open: Kestrel owns that, and the close frame may still follow once YARP has let go.
/// </summary>
internal sealed class WebSocketTunnelStream(Stream inner) : Stream
{
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly WebSocketFrameCursor _toClient = new();
    private readonly WebSocketFrameCursor _fromClient = new();
    private readonly TaskCompletionSource _clientDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[]? _pendingClose;
    private bool _closed;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>
    /// Sends the client a close frame once no backend frame is partly written (at once, or right after the
    /// write that finishes the frame), unless the backend already sent one. Bytes the backend sends after
    /// that close are dropped.
    /// </summary>
    public async Task SendCloseAsync(WebSocketCloseStatus status, string reason, CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _pendingClose ??= CloseFrame(status, reason);
            await CloseAtBoundaryAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>Completes when the client has sent its close frame or ended its stream (seen while the tunnel reads it).</summary>
    public Task ClientClosed => _clientDone.Task;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _fromClient.Advance(buffer.Span[..read], stopAtBoundary: false);
        // YARP waits for data with zero-byte reads; only a read with room that returns nothing is the end of the stream.
        if ((read == 0 && !buffer.IsEmpty) || _fromClient.SawClose)
        {
            _clientDone.TrySetResult();
        }
        return read;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_closed)
            {
                return;
            }
            var length = _toClient.Advance(buffer.Span, stopAtBoundary: _pendingClose is not null);
            await inner.WriteAsync(buffer[..length], cancellationToken).ConfigureAwait(false);
            if (_pendingClose is not null)
            {
                await CloseAtBoundaryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        // Kestrel's output is not safe for a flush during a write, and the close frame is written from another task.
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writing.Release();
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Kestrel refuses synchronous I/O on upgraded connections, and YARP's tunnel never asks for it.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Flush() => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private async Task CloseAtBoundaryAsync(CancellationToken cancellationToken)
    {
        if (_closed || !_toClient.AtBoundary)
        {
            return;
        }
        _closed = true;
        if (!_toClient.SawClose)
        {
            await inner.WriteAsync(_pendingClose, cancellationToken).ConfigureAwait(false);
            await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>An unmasked close frame, as a server sends it.</summary>
    private static byte[] CloseFrame(WebSocketCloseStatus status, string reason)
    {
        var reasonLength = Encoding.UTF8.GetByteCount(reason);
        var frame = new byte[4 + reasonLength];
        frame[0] = 0x88;
        frame[1] = checked((byte)(2 + reasonLength));
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)status);
        Encoding.UTF8.GetBytes(reason, frame.AsSpan(4));
        return frame;
    }
}
