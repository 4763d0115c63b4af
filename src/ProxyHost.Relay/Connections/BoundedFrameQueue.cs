using System.Threading.Channels;

namespace ProxyHost.Relay.Connections;

/// <summary>
/// Frames waiting for one websocket, bounded by count and bytes. The reader peeks, sends, then removes,
/// so a frame whose send failed stays at the head for the next connection (the upstream queue relies on it).
/// </summary>
internal sealed class BoundedFrameQueue(int maxFrames, long maxBytes)
{
    private readonly Channel<ReadOnlyMemory<byte>> _channel = Channel.CreateUnbounded<ReadOnlyMemory<byte>>(new() { SingleReader = true });
    private readonly Lock _lock = new();
    private int _frames;
    private long _bytes;

    public int Count => Volatile.Read(ref _frames);

    public long Bytes => Interlocked.Read(ref _bytes);

    public int MaxFrames => maxFrames;

    public long MaxBytes => maxBytes;

    /// <summary>Queues <paramref name="frame"/> unless that would pass a bound.</summary>
    public bool TryEnqueue(ReadOnlyMemory<byte> frame)
    {
        lock (_lock)
        {
            if (_frames + 1 > maxFrames || _bytes + frame.Length > maxBytes)
            {
                return false;
            }
            _frames++;
            _bytes += frame.Length;
            _channel.Writer.TryWrite(frame);
            return true;
        }
    }

    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => _channel.Reader.WaitToReadAsync(cancellationToken);

    public bool TryPeek(out ReadOnlyMemory<byte> frame) => _channel.Reader.TryPeek(out frame);

    /// <summary>Removes the frame <see cref="TryPeek"/> returned, once it was sent.</summary>
    public void RemoveHead()
    {
        lock (_lock)
        {
            if (_channel.Reader.TryRead(out var frame))
            {
                _frames--;
                _bytes -= frame.Length;
            }
        }
    }

    /// <summary>Drops everything queued and returns how many frames that was.</summary>
    public int Clear()
    {
        lock (_lock)
        {
            var dropped = 0;
            while (_channel.Reader.TryRead(out _))
            {
                dropped++;
            }
            _frames = 0;
            _bytes = 0;
            return dropped;
        }
    }
}
