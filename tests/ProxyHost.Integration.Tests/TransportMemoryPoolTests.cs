using FluentAssertions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ProxyHost.Hosting.Transport;
using ProxyHost.Tests;
using ProxyHost.Tests.Hosting;
using Xunit;

namespace ProxyHost.Integration.Tests;

public sealed class TransportMemoryPoolTests
{
    [Fact]
    public async Task AConnectionToProxyHost_ReceivesIntoTheLargeBlockPool()
    {
        await using var host = await TestProxyHost.StartAsync(services: s => s.AddSingleton<IStartupFilter, PoolReportingFilter>());
        using var client = host.CreateClient();

        var maxBufferSize = await client.GetStringAsync("transport-pool").DefaultTimeout();

        maxBufferSize.Should().Be(LargeBlockMemoryPool.BlockSize.ToString(), "Kestrel's socket transport must rent from ProxyHost's pool, not its 4 KiB default");
    }

    [Fact]
    public void Rent_GivesABlockOfBlockSize_AndRefusesALargerRequest()
    {
        using var pool = new LargeBlockMemoryPool();

        using (var block = pool.Rent())
        {
            block.Memory.Length.Should().Be(LargeBlockMemoryPool.BlockSize);
        }
        pool.Invoking(p => p.Rent(LargeBlockMemoryPool.BlockSize + 1)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void ReturnedBlocks_AreReused_UpToTheRetentionLimit()
    {
        using var pool = new LargeBlockMemoryPool();
        var count = LargeBlockMemoryPool.MaxRetainedBlocks + 40;
        var first = Enumerable.Range(0, count).Select(_ => pool.Rent()).ToList();
        var firstArrays = first.Select(b => b.Memory).ToList();
        first.ForEach(b => b.Dispose());

        var second = Enumerable.Range(0, count).Select(_ => pool.Rent()).ToList();

        var reused = second.Count(b => firstArrays.Any(m => m.Span == b.Memory.Span));
        reused.Should().Be(LargeBlockMemoryPool.MaxRetainedBlocks, "a burst beyond the limit is left to the GC instead of staying resident");
        second.ForEach(b => b.Dispose());
    }

    private sealed class PoolReportingFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Map("/transport-pool", branch => branch.Run(context =>
                context.Response.WriteAsync(context.Features.Get<IMemoryPoolFeature>()!.MemoryPool.MaxBufferSize.ToString())));
            next(app);
        };
    }
}
