using System.Net.WebSockets;

namespace LoadGen;

/// <summary>Opens N websockets, echoes one message on each, prints "open N", holds them for --hold seconds.</summary>
internal static class WebSocketHold
{
    public static async Task<int> RunAsync(Arguments args, CancellationToken cancellationToken)
    {
        var url = new Uri(args.String("--url"));
        var count = args.Int("--count", 1000);
        var hold = TimeSpan.FromSeconds(args.Double("--hold", 10));
        var sockets = await WebSockets.OpenAsync(url, count, cancellationToken);
        var message = new byte[16];
        await Task.WhenAll(sockets.Select(async s =>
        {
            await s.SendAsync(message, WebSocketMessageType.Binary, true, cancellationToken);
            await s.ReceiveAsync(new byte[64].AsMemory(), cancellationToken);
        }));
        Console.WriteLine($"open {sockets.Count(s => s.State == WebSocketState.Open)}");
        await Console.Out.FlushAsync(cancellationToken);
        await Task.Delay(hold, cancellationToken);
        WebSockets.Abort(sockets);
        return 0;
    }
}
