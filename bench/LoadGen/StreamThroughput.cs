using System.Diagnostics;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace LoadGen;

/// <summary>
/// Echo throughput: each connection writes chunks as fast as the peer takes them while reading the
/// echo back, for a duration; MB/s counts echoed bytes. --tcp HOST:PORT goes straight to the echo
/// port, --ws URL through a websocket bridge to it.
/// </summary>
internal static class StreamThroughput
{
    public static async Task<int> RunAsync(Arguments args, CancellationToken cancellationToken)
    {
        var connections = args.Int("--connections", 4);
        var duration = TimeSpan.FromSeconds(args.Double("--duration", 10));
        var chunk = new byte[args.Int("--chunk", 64 * 1024)];
        Random.Shared.NextBytes(chunk);

        Func<int, CancellationToken, Task<IEchoChannel>> open = args.Optional("--ws") is { } ws
            ? async (_, ct) => new WebSocketChannel(await WebSockets.OpenAsync(new Uri(ws), 1, ct) is [var s] ? s : throw new InvalidOperationException())
            : async (_, ct) => await TcpChannel.OpenAsync(args.String("--tcp"), ct);
        var channels = await Task.WhenAll(Enumerable.Range(0, connections).Select(i => open(i, cancellationToken)));

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(duration);
        var started = Stopwatch.GetTimestamp();
        var received = await Task.WhenAll(channels.Select(c => PumpAsync(c, chunk, stop.Token)));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        foreach (var channel in channels)
        {
            channel.Dispose();
        }
        Stats.Print("mb_per_sec", received.Sum() / elapsed / (1024 * 1024));
        Stats.Print("mb_total", received.Sum() / (1024.0 * 1024));
        return received.Sum() > 0 ? 0 : 1;
    }

    private static async Task<long> PumpAsync(IEchoChannel channel, byte[] chunk, CancellationToken stop)
    {
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await channel.WriteAsync(chunk, stop);
            }
        }, CancellationToken.None);
        long total = 0;
        var buffer = new byte[chunk.Length];
        try
        {
            int read;
            while (!stop.IsCancellationRequested && (read = await channel.ReadAsync(buffer, stop)) > 0)
            {
                total += read;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or WebSocketException)
        {
            // the duration is over
        }
        try
        {
            await writer;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or WebSocketException)
        {
            // cancelled mid-write
        }
        return total;
    }

    private interface IEchoChannel : IDisposable
    {
        ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

        ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken);
    }

    private sealed class TcpChannel(Socket socket) : IEchoChannel
    {
        public static async Task<IEchoChannel> OpenAsync(string hostPort, CancellationToken cancellationToken)
        {
            var (host, port) = (hostPort[..hostPort.LastIndexOf(':')], int.Parse(hostPort[(hostPort.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(host, port, cancellationToken);
            return new TcpChannel(socket);
        }

        public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
            await socket.SendAsync(data, SocketFlags.None, cancellationToken);

        public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
            socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);

        public void Dispose() => socket.Dispose();
    }

    private sealed class WebSocketChannel(ClientWebSocket socket) : IEchoChannel
    {
        public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
            socket.SendAsync(data, WebSocketMessageType.Binary, true, cancellationToken);

        public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
            (await socket.ReceiveAsync(buffer, cancellationToken)).Count;

        public void Dispose()
        {
            socket.Abort();
            socket.Dispose();
        }
    }
}
