using System.Diagnostics;
using System.Net.WebSockets;

namespace LoadGen;

/// <summary>N websockets, each sending a message and awaiting its echo in a loop, for a duration.</summary>
internal static class WebSocketEcho
{
    public static async Task<int> RunAsync(Arguments args, CancellationToken cancellationToken)
    {
        var url = new Uri(args.String("--url"));
        var connections = args.Int("--connections", 50);
        var duration = TimeSpan.FromSeconds(args.Double("--duration", 10));
        var message = new byte[args.Int("--size", 64)];
        Random.Shared.NextBytes(message);

        var sockets = await WebSockets.OpenAsync(url, connections, cancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(duration);
        var started = Stopwatch.GetTimestamp();
        var rtts = await Task.WhenAll(sockets.Select(s => EchoLoopAsync(s, message, stop.Token)));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        WebSockets.Abort(sockets);

        var all = rtts.SelectMany(r => r).Select(Stats.TicksToMs).Order().ToList();
        Stats.Print("msgs_per_sec", all.Count / elapsed);
        Stats.Print("messages", all.Count);
        Stats.Print("p50_ms", Stats.Percentile(all, 50));
        Stats.Print("p99_ms", Stats.Percentile(all, 99));
        return all.Count > 0 ? 0 : 1;
    }

    private static async Task<List<long>> EchoLoopAsync(ClientWebSocket socket, byte[] message, CancellationToken stop)
    {
        var rtts = new List<long>(100_000);
        var buffer = new byte[message.Length * 2];
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var sent = Stopwatch.GetTimestamp();
                await socket.SendAsync(message, WebSocketMessageType.Binary, true, stop);
                var received = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(received), stop);
                    received += result.Count;
                }
                while (!result.EndOfMessage);
                rtts.Add(Stopwatch.GetTimestamp() - sent);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // the duration is over (or the peer went away): what was measured stands
        }
        return rtts;
    }
}
