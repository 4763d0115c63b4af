using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using ProxyHost.Proxy.Routing;
using ProxyHost.Supervision.Logs;

namespace ProxyHost.Proxy.Metrics;

/// <summary>
/// The first proxy-pipeline step: opens the server-name log scope, times every request to a server,
/// counts its body bytes both ways and its status class, and counts open websockets. It wraps
/// activation, so starting pages and 503s count too.
/// </summary>
public sealed class ProxyTelemetryStep(ProxyHostMetrics metrics, ILogger<ProxyTelemetryStep> logger)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var metadata = context.GetRouteModel().Config.Metadata;
        if (metadata is null || !metadata.TryGetValue(ProxyMetadata.ServerName, out var name))
        {
            await next(context);
            return;
        }

        using var logScope = logger.BeginScope(new ServerLogScope(name));
        var started = Stopwatch.GetTimestamp();
        var responseBody = new CountingStream(context.Response.Body);
        context.Response.Body = responseBody;
        CountingStream? requestBody = null;
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>() is not { CanHaveBody: false } && context.Request.Body is { } body && body != Stream.Null)
        {
            requestBody = new CountingStream(body);
            context.Request.Body = requestBody;
        }
        var kind = metadata.TryGetValue(ProxyMetadata.RawSocket, out var raw) && raw == "true" ? ProxyHostMetrics.RawSocket : ProxyHostMetrics.WebSocket;
        using var connection = IsWebSocket(context) ? metrics.ConnectionOpened(name, kind) : null;
        try
        {
            await next(context);
        }
        finally
        {
            // An upgraded connection's bytes bypass these streams; its lifetime shows as an open connection instead.
            metrics.RequestCompleted(name, context.Response.StatusCode, Stopwatch.GetElapsedTime(started),
                requestBody?.BytesCounted ?? 0, responseBody.BytesCounted);
        }
    }

    // YARP forwards upgrades itself (no websocket middleware), so look at the request rather than context.WebSockets.
    private static bool IsWebSocket(HttpContext context) =>
        context.WebSockets.IsWebSocketRequest
        || string.Equals(context.Request.Headers.Upgrade, "websocket", StringComparison.OrdinalIgnoreCase)
        || context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true, Protocol: var protocol }
            && string.Equals(protocol, "websocket", StringComparison.OrdinalIgnoreCase);

    /// <summary>Passes every call through and counts the bytes read or written.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        private long _bytes;

        public long BytesCounted => Interlocked.Read(ref _bytes);

        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => false;

        public override bool CanWrite => inner.CanWrite;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => Add(inner.Read(buffer, offset, count));

        // Reads and writes mostly complete synchronously: only the rest pay for an async state machine.
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = inner.ReadAsync(buffer, cancellationToken);
            return read.IsCompletedSuccessfully ? new(Add(read.Result)) : AddWhenReadAsync(read);
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<int> AddWhenReadAsync(ValueTask<int> read) => Add(await read.ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            Add(count);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var write = inner.WriteAsync(buffer, cancellationToken);
            if (write.IsCompletedSuccessfully)
            {
                Add(buffer.Length);
                return ValueTask.CompletedTask;
            }
            return AddWhenWrittenAsync(write, buffer.Length);
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        private async ValueTask AddWhenWrittenAsync(ValueTask write, int count)
        {
            await write.ConfigureAwait(false);
            Add(count);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        private int Add(int count)
        {
            Interlocked.Add(ref _bytes, count);
            return count;
        }
    }
}
