using System.Runtime.CompilerServices;

namespace ProxyHost.Proxy.Transports;

/// <summary>
/// Passes every call through to <c>inner</c> and reports the byte count of each read and write that moved
/// bytes, once it has completed. Reads and writes on the proxy path mostly complete synchronously, so only
/// the others pay for an async state machine, and that one is pooled.
/// </summary>
internal abstract class ObservedStream(Stream inner, bool ownsInner) : PassThroughStream(inner)
{
    /// <summary>A read returned <paramref name="count"/> bytes (more than zero).</summary>
    protected abstract void OnRead(int count);

    /// <summary>A write of <paramref name="count"/> bytes (more than zero) completed.</summary>
    protected abstract void OnWritten(int count);

    public override int Read(Span<byte> buffer) => Observed(Inner.Read(buffer));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = Inner.ReadAsync(buffer, cancellationToken);
        return read.IsCompletedSuccessfully ? new(Observed(read.Result)) : ObserveWhenReadAsync(read);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Inner.Write(buffer);
        Written(buffer.Length);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var write = Inner.WriteAsync(buffer, cancellationToken);
        if (!write.IsCompletedSuccessfully)
        {
            return ObserveWhenWrittenAsync(write, buffer.Length);
        }
        Written(buffer.Length);
        return ValueTask.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && ownsInner)
        {
            Inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (ownsInner)
        {
            await Inner.DisposeAsync().ConfigureAwait(false);
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
