// bench/LoadGen: the parts of bench/run.sh that wrk cannot do. Every mode is bounded by a duration
// or a count and prints "key value" lines that run.sh appends to its raw results.
using LoadGen;

var arguments = new Arguments(args.Skip(1).ToArray());
using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(arguments.Double("--timeout", 600)));
return args.FirstOrDefault() switch
{
    "ws-echo" => await WebSocketEcho.RunAsync(arguments, timeout.Token),
    "stream" => await StreamThroughput.RunAsync(arguments, timeout.Token),
    "ws-hold" => await WebSocketHold.RunAsync(arguments, timeout.Token),
    "cold" => await ColdStart.RunAsync(arguments, timeout.Token),
    "first-click" => await FirstClick.RunAsync(arguments, timeout.Token),
    "report" => Report.Run(arguments),
    "free-ports" => FreePorts(arguments.Int("--count", 1)),
    _ => Usage(),
};

// Ports the OS hands out for port 0, all held until every one is picked so that they differ.
static int FreePorts(int count)
{
    var listeners = Enumerable.Range(0, count).Select(_ => new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0)).ToList();
    listeners.ForEach(l => l.Start());
    Console.WriteLine(string.Join(' ', listeners.Select(l => ((System.Net.IPEndPoint)l.LocalEndpoint).Port)));
    listeners.ForEach(l => l.Stop());
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: LoadGen ws-echo|stream|ws-hold|cold|first-click|report|free-ports [--option value]...");
    return 2;
}
