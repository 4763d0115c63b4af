using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace ProxyHost.Hosting.Transport;

/// <summary>
/// Kestrel's own pool hands out 4 KiB blocks, and its socket transport receives into one block at a
/// time, so a stream through the proxy costs a receive, a pipe flush and a reader wake-up per 4 KiB.
/// With 32 KiB blocks the raw-socket bridge costs 0.57× the CPU per MiB and 1 MB responses about 0.7×
/// (docs/benchmarks.md); 64 KiB gained little more and held twice the memory while 1,000 websockets
/// opened at once. Idle connections hold no block (Kestrel waits for data before it rents one), so
/// memory follows the bytes in flight, not the connections open.
/// </summary>
internal sealed class LargeBlockMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool();
}

internal sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    public const int BlockSize = 32 * 1024;

    /// <summary>Free blocks kept for reuse (4 MiB); beyond that a returned block is left to the GC, so a burst does not stay resident.</summary>
    public const int MaxRetainedBlocks = 128;

    private readonly ConcurrentQueue<Block> _free = new();
    private int _freeCount;

    public override int MaxBufferSize => BlockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _freeCount);
            return block;
        }
        return new Block(this, GC.AllocateUninitializedArray<byte>(BlockSize));
    }

    protected override void Dispose(bool disposing) => _free.Clear();

    private void Return(Block block)
    {
        if (Interlocked.Increment(ref _freeCount) <= MaxRetainedBlocks)
        {
            _free.Enqueue(block);
        }
        else
        {
            Interlocked.Decrement(ref _freeCount);
        }
    }

    private sealed class Block(LargeBlockMemoryPool pool, byte[] array) : IMemoryOwner<byte>
    {
        public Memory<byte> Memory { get; } = array;

        public void Dispose() => pool.Return(this);
    }
}
