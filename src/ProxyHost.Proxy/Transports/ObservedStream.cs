using System.Runtime.CompilerServices;

namespace ProxyHost.Proxy.Transports;

/// <summary>
/// Passes every call through to <c>inner</c> and reports the byte count of each read and write that moved
/// bytes, once it has completed. Reads and writes on the proxy path mostly complete synchronously, so only
/// the others pay for an async state machine, and that one is pooled.
/// </summary>
internal abstract class ObservedStream(Stream inner, bool ownsInner) : Stream
{
    public override bool CanRead => inner.CanRead;

    public override bool CanWrite => inner.CanWrite;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>A read returned <paramref name="count"/> bytes (more than zero).</summary>
    protected abstract void OnRead(int count);

    /// <summary>A write of <paramref name="count"/> bytes (more than zero) completed.</summary>
    protected abstract void OnWritten(int count);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Observed(inner.Read(buffer));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = inner.ReadAsync(buffer, cancellationToken);
        return read.IsCompletedSuccessfully ? new(Observed(read.Result)) : ObserveWhenReadAsync(read);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        Written(buffer.Length);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var write = inner.WriteAsync(buffer, cancellationToken);
        if (!write.IsCompletedSuccessfully)
        {
            return ObserveWhenWrittenAsync(write, buffer.Length);
        }
        Written(buffer.Length);
        return ValueTask.CompletedTask;
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && ownsInner)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (ownsInner)
        {
            await inner.DisposeAsync().ConfigureAwait(false);
        }
        await base.DisposeAsync().ConfigureAwait(false);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ObserveWhenReadAsync(ValueTask<int> read) => Observed(await read.ConfigureAwait(false));

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ObserveWhenWrittenAsync(ValueTask write, int count)
    {
        await write.ConfigureAwait(false);
        Written(count);
    }

    private int Observed(int read)
    {
        if (read > 0)
        {
            OnRead(read);
        }
        return read;
    }

    private void Written(int count)
    {
        if (count > 0)
        {
            OnWritten(count);
        }
    }
}
