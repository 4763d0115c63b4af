using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace LoadGen;

/// <summary>
/// The first click, as a user who has just started ProxyHost: each sample execs a fresh
/// <c>proxyhost serve</c> whose one server is <c>python3 -m http.server</c> (not started), and times
/// exec → the first HTTP answer (GET api/servers, polled every millisecond), then the first request
/// to the server (ProxyHost starts python, probes it, forwards), then a second request on a new
/// connection. Interleaved with it, python alone: exec → the first byte of its own first response.
/// The overhead is the first request through ProxyHost minus python's own exec → first byte. Each sample
/// also clicks in a second fresh ProxyHost one second after its first answer, as a user who opens the
/// page before clicking a tile. The samples share one state folder, as a user's launches do.
/// </summary>
internal static class FirstClick
{
    /// <summary>A user who opens the page first and clicks a tile a moment later.</summary>
    private static readonly TimeSpan IdleBeforeClick = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(Arguments args, CancellationToken cancellationToken)
    {
        var proxyhost = args.String("--proxyhost");
        var python = args.Optional("--python") ?? "/usr/bin/python3";
        var reps = args.Int("--reps", 10);
        var extraEnvironment = (args.Optional("--env") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var work = Directory.CreateTempSubdirectory("proxyhost-first-click");
        var config = Path.Combine(work.FullName, "proxyhost.json");
        await File.WriteAllTextAsync(config, $$"""
            { "servers": { "py": { "command": ["{{python}}", "-m", "http.server", "<port>", "--bind", "127.0.0.1", "--directory", "{{work.FullName}}"] } } }
            """, cancellationToken);

        var backend = new List<double>();
        var answer = new List<double>();
        var first = new List<double>();
        var second = new List<double>();
        var firstAfterIdle = new List<double>();
        string[] environment = [$"PROXYHOST_STATE_DIR={work.FullName}/state", .. extraEnvironment];
        try
        {
            for (var i = 0; i < reps; i++)
            {
                backend.Add(await BackendAloneAsync(python, work.FullName, cancellationToken));
                var (a, f, s) = await ThroughFreshProxyHostAsync(proxyhost, config, environment, TimeSpan.Zero, cancellationToken);
                answer.Add(a);
                first.Add(f);
                second.Add(s);
                firstAfterIdle.Add((await ThroughFreshProxyHostAsync(proxyhost, config, environment, IdleBeforeClick, cancellationToken)).First);
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
        Stats.Print("serve_answers_ms", Stats.Median(answer));
        Stats.Print("backend_first_byte_ms", Stats.Median(backend));
        Stats.Print("first_request_ms", Stats.Median(first));
        Stats.Print("first_request_overhead_ms", Stats.Median(first) - Stats.Median(backend));
        Stats.Print("second_request_ms", Stats.Median(second));
        Stats.Print("first_request_after_1s_overhead_ms", Stats.Median(firstAfterIdle) - Stats.Median(backend));
        // The very first sample ran with an empty state folder: a first launch ever, before any start-up profile.
        Stats.Print("first_launch_first_request_overhead_ms", first[0] - Stats.Median(backend));
        return 0;
    }

    private static async Task<double> BackendAloneAsync(string python, string directory, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var started = Stopwatch.GetTimestamp();
        using var process = Start(python, ["-m", "http.server", Str(port), "--bind", "127.0.0.1", "--directory", directory], []);
        try
        {
            await PollUntilAnswerAsync(new Uri($"http://127.0.0.1:{port}/"), cancellationToken);
            return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        finally
        {
            await StopAsync(process, cancellationToken);
        }
    }

    private static async Task<(double Answer, double First, double Second)> ThroughFreshProxyHostAsync(
        string proxyhost, string config, string[] environment, TimeSpan idleBeforeClick, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var started = Stopwatch.GetTimestamp();
        using var process = Start(proxyhost, ["serve", "--config", config, "--ip", "127.0.0.1", "--port", Str(port), "--no-token"],
            environment);
        try
        {
            var root = new Uri($"http://127.0.0.1:{port}/");
            await PollUntilAnswerAsync(new Uri(root, "api/servers"), cancellationToken);
            var answer = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            await Task.Delay(idleBeforeClick, cancellationToken);
            var first = await TimeFirstByteAsync(new Uri(root, "py/"), cancellationToken);
            var second = await TimeFirstByteAsync(new Uri(root, "py/"), cancellationToken);
            return (answer, first, second);
        }
        finally
        {
            await StopAsync(process, cancellationToken);
        }
    }

    /// <summary>Time to the response headers of one GET on a new connection.</summary>
    private static async Task<double> TimeFirstByteAsync(Uri url, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var started = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        response.EnsureSuccessStatusCode();
        return elapsed;
    }

    /// <summary>Connects every millisecond (at most 30 s) until the port accepts, then GETs until a 2xx.</summary>
    private static async Task PollUntilAnswerAsync(Uri url, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            using var probe = new Socket(SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(IPAddress.Loopback, url.Port, deadline.Token);
                break;
            }
            catch (SocketException)
            {
                await Task.Delay(1, deadline.Token);
            }
        }
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        while (true)
        {
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (response.IsSuccessStatusCode)
            {
                return;
            }
            await Task.Delay(1, deadline.Token);
        }
    }

    private static Process Start(string file, string[] arguments, string[] environment)
    {
        var info = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var pair in environment)
        {
            var equals = pair.IndexOf('=');
            info.Environment[pair[..equals]] = pair[(equals + 1)..];
        }
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>SIGTERM (ProxyHost stops its servers on it), then SIGKILL after 10 s.</summary>
    private static async Task StopAsync(Process process, CancellationToken cancellationToken)
    {
        if (!process.HasExited)
        {
            _ = Kill(process.Id, 15);
        }
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
