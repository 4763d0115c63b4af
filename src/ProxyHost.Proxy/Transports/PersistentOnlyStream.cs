using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace ProxyHost.Proxy.Transports;

/// <summary>
/// A backend connection that is never reused after a response that ends it: an HTTP/1.0 response without
/// <c>Connection: keep-alive</c> (Python's <c>http.server</c>) or any response with <c>Connection: close</c>.
/// SocketsHttpHandler pools HTTP/1.0 connections anyway (it only reads the <c>Keep-Alive</c> timeout), so the
/// next request raced the backend's close and was lost when the close won. Once such a response's body has
/// been read this stream reports the end of the connection, which the pool's check before reuse sees, so it
/// opens a fresh connection instead; a request that still gets here is held back, never written.
/// </summary>
internal sealed class PersistentOnlyStream(Stream inner, NewConnectionPacer.Slot? unanswered = null) : PassThroughStream(inner)
{
    private const int MaxHeadLength = 64 * 1024;
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();

    private readonly MemoryStream _head = new();
    private bool _requestSent;
    private bool _readingHead;
    private bool _closesAfterResponse;
    private bool _tunnel;
    private bool _headRequest;
    private bool _heldBack;
    private long _bodyRemaining = -1;

    public override int Read(Span<byte> buffer)
    {
        if (Ended)
        {
            return 0;
        }
        var read = Inner.Read(buffer);
        Received(buffer[..read]);
        return read;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Ended)
        {
            return 0;
        }
        var read = await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Received(buffer.Span[..read]);
        return read;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (Sending(buffer))
        {
            Inner.Write(buffer);
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        return Sending(buffer.Span) ? Inner.WriteAsync(buffer, cancellationToken) : ValueTask.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        unanswered?.Release();
        if (disposing)
        {
            Inner.Dispose();
            _head.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        unanswered?.Release();
        await Inner.DisposeAsync().ConfigureAwait(false);
        await _head.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The backend closes after the response just read in full (or a request was already held back): the
    /// connection has nothing more to give, so reads see its end as if the backend's close had arrived.
    /// </summary>
    private bool Ended => _closesAfterResponse && (_bodyRemaining == 0 || _heldBack);

    /// <summary>
    /// False when the bytes must not go out: the pool handed this connection straight to a queued request
    /// (skipping its check for a closed connection). The request is held back and the next read reports the
    /// end of the connection, which the pool answers by sending the request again on another connection.
    /// A write after the response has begun is the next request (request bodies go out before it).
    /// </summary>
    private bool Sending(ReadOnlySpan<byte> bytes)
    {
        if (_closesAfterResponse)
        {
            _heldBack = true;
            return false;
        }
        if (!_requestSent && !_tunnel)
        {
            _requestSent = true;
            _readingHead = true;
            _headRequest = bytes.StartsWith("HEAD "u8);
            _bodyRemaining = -1;
            _head.SetLength(0);
        }
        return true;
    }

    private void Received(ReadOnlySpan<byte> bytes)
    {
        unanswered?.Release();
        if (_bodyRemaining > 0 && !_readingHead)
        {
            _bodyRemaining = Math.Max(0, _bodyRemaining - bytes.Length);
        }
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
        var bodyRead = end < 0 ? 0 : head.Length - end - HeadEnd.Length;
        _bodyRemaining = BodyLength(text) is { } length ? Math.Max(0, length - bodyRead) : -1;
    }

    /// <summary>The body's length when the head says it (Content-Length, or none for HEAD, 204 and 304); null when it ends with the connection.</summary>
    private long? BodyLength(string head)
    {
        if (_headRequest || head.Length > 12 && (head.AsSpan(9, 3).SequenceEqual("204") || head.AsSpan(9, 3).SequenceEqual("304")))
        {
            return 0;
        }
        foreach (var line in head.Split("\r\n").Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                && long.TryParse(line.AsSpan(colon + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                return length;
            }
        }
        return null;
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
