using System.Net;
using FluentAssertions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ProxyHost.Configuration;
using ProxyHost.Hosting;
using ProxyHost.Hosting.Transport;
using Xunit;

namespace ProxyHost.Integration.Tests;

public sealed class TransportMemoryPoolTests
{
    [Fact]
    public async Task AConnectionToProxyHost_ReceivesIntoTheLargeBlockPool()
    {
        var options = new ProxyHostOptions { Address = IPAddress.Loopback, Port = 0, Token = null, ArbitraryPorts = false };
        await using var app = ProxyHostApplication.Create(options, configure: (builder, _) =>
            builder.Services.AddSingleton<IStartupFilter, PoolReportingFilter>());
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        var maxBufferSize = await client.GetStringAsync($"{address}/transport-pool");

        maxBufferSize.Should().Be(LargeBlockMemoryPool.BlockSize.ToString(), "Kestrel's socket transport must rent from ProxyHost's pool, not its 4 KiB default");
        await app.StopAsync();
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
