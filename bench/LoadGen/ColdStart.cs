using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LoadGen;

/// <summary>
/// Cold start, interleaved: (a) the backend started directly — exec to listening (connect polled
/// every millisecond) and exec to the first byte of GET /1kb; (b) through ProxyHost — the server is
/// stopped over the API, then the time from GET &lt;proxy&gt;&lt;server&gt;/1kb to its first byte, which
/// includes ProxyHost starting the backend lazily and waiting until it is ready.
/// </summary>
internal static class ColdStart
{
    public static async Task<int> RunAsync(Arguments args, CancellationToken cancellationToken)
    {
        var backend = args.String("--backend");
        var proxy = new Uri(args.String("--proxy"));
        var server = args.String("--server");
        var reps = args.Int("--reps", 10);
        var listen = new List<double>();
        var direct = new List<double>();
        var proxied = new List<double>();
        for (var i = 0; i < reps; i++)
        {
            var (l, d) = await DirectAsync(backend, cancellationToken);
            listen.Add(l);
            direct.Add(d);
            proxied.Add(await ProxiedAsync(proxy, server, cancellationToken));
        }
        Stats.Print("listen_ms", Stats.Median(listen));
        Stats.Print("direct_first_byte_ms", Stats.Median(direct));
        Stats.Print("proxied_first_byte_ms", Stats.Median(proxied));
        Stats.Print("overhead_ms", Stats.Median(proxied) - Stats.Median(listen));
        Stats.Print("overhead_vs_direct_first_byte_ms", Stats.Median(proxied) - Stats.Median(direct));
        return 0;
    }

    private static async Task<(double Listen, double FirstByte)> DirectAsync(string backend, CancellationToken cancellationToken)
    {
        var port = FreePort();
        using var process = Process.Start(new ProcessStartInfo(backend, ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(30));
            while (true)
            {
                using var probe = new Socket(SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    await probe.ConnectAsync(IPAddress.Loopback, port, deadline.Token);
                    break;
                }
                catch (SocketException)
                {
                    await Task.Delay(1, deadline.Token);
                }
            }
            var listen = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            using var client = new HttpClient();
            using var response = await client.GetAsync($"http://127.0.0.1:{port}/1kb", HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            response.EnsureSuccessStatusCode();
            return (listen, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(cancellationToken);
        }
    }

    private static async Task<double> ProxiedAsync(Uri proxy, string server, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using (var stop = new HttpRequestMessage(HttpMethod.Post, new Uri(proxy, $"api/servers/{server}/stop")))
        {
            stop.Headers.Add("X-ProxyHost-Request", "1");
            using var stopped = await client.SendAsync(stop, cancellationToken);
            stopped.EnsureSuccessStatusCode();
        }
        using var fresh = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var started = Stopwatch.GetTimestamp();
        using var response = await fresh.GetAsync(new Uri(proxy, $"{server}/1kb"), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        response.EnsureSuccessStatusCode();
        return elapsed;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
