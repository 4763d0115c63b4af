using System.Text;

namespace ProxyHost.Proxy.Transports;

/// <summary>
/// A backend connection that refuses to carry a request after a response that ends it: an HTTP/1.0 response
/// without <c>Connection: keep-alive</c> (Python's <c>http.server</c>) or any response with <c>Connection: close</c>.
/// SocketsHttpHandler pools such connections anyway (it only reads HTTP/1.0's <c>Keep-Alive</c> timeout), so the
/// next request races the backend's close and is lost when the close wins. The refused write fails before a
/// byte is sent, which the handler's retry turns into a send on a fresh connection.
/// </summary>
internal sealed class PersistentOnlyStream(Stream inner) : Stream
{
    private const int MaxHeadLength = 64 * 1024;
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();

    private readonly MemoryStream _head = new();
    private bool _requestSent;
    private bool _readingHead;
    private bool _closesAfterResponse;
    private bool _tunnel;

    public override bool CanRead => inner.CanRead;

    public override bool CanWrite => inner.CanWrite;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Received(buffer[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Received(buffer.Span[..read]);
        return read;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Sending();
        inner.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Sending();
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            _head.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await _head.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>A write after the response has begun is the next request (request bodies go out before it).</summary>
    private void Sending()
    {
        if (_closesAfterResponse)
        {
            throw new BackendClosesConnectionException();
        }
        if (!_requestSent && !_tunnel)
        {
            _requestSent = true;
            _readingHead = true;
            _head.SetLength(0);
        }
    }

    private void Received(ReadOnlySpan<byte> bytes)
    {
        if (!_readingHead || _tunnel || bytes.IsEmpty)
        {
            return;
        }
        _head.Write(bytes);
        var head = _head.GetBuffer().AsSpan(0, (int)_head.Length);
        var end = head.IndexOf(HeadEnd);
        if (end < 0 && head.Length < MaxHeadLength)
        {
            return;
        }
        var text = Encoding.Latin1.GetString(end < 0 ? head : head[..end]);
        // 1xx responses precede the real one on the same request; keep reading heads until a final status.
        if (end >= 0 && IsInformational(text))
        {
            _head.SetLength(0);
            _head.Write(head[(end + HeadEnd.Length)..]);
            return;
        }
        _readingHead = false;
        _requestSent = false;
        // After 101 the connection carries websocket frames, which are not HTTP heads.
        _tunnel = text.StartsWith("HTTP/1.1 101", StringComparison.Ordinal);
        _closesAfterResponse = !_tunnel && ClosesAfterResponse(text);
    }

    private static bool IsInformational(string head) => head.Length > 9 && head[9] == '1' && head.StartsWith("HTTP/1.", StringComparison.Ordinal);

    private static bool ClosesAfterResponse(string head)
    {
        var keepAlive = false;
        foreach (var line in head.Split("\r\n").Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var token in line[(colon + 1)..].Split(','))
                {
                    if (token.Trim().Equals("close", StringComparison.OrdinalIgnoreCase))
                    {
                        return true;
                    }
                    keepAlive |= token.Trim().Equals("keep-alive", StringComparison.OrdinalIgnoreCase);
                }
            }
        }
        return head.StartsWith("HTTP/1.0", StringComparison.Ordinal) && !keepAlive;
    }
}

/// <summary>The connection was not used because its backend closes it after the response it already sent; nothing was written.</summary>
internal sealed class BackendClosesConnectionException() : IOException("The backend closes this connection after its response; the request was not sent on it.");
