using System.Diagnostics;
using System.Globalization;
using ProxyHost.Supervision.Processes;
using ProxyHost.Supervision.Resources;

// bench/Sampler: the cost of one sampling round of ProcessRunner-started trees, as the sampler reads them:
// tree membership from /proc, then RSS, PSS, CPU, threads and open files of every member.
//   dotnet run -c Release --project bench/Sampler -- [servers=20] [processes=50] [rounds=50]
var servers = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
var perServer = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50;
const string Forker = "import os, time, sys\nfor _ in range(int(sys.argv[1]) - 1):\n    if os.fork() == 0:\n        time.sleep(3600)\n        os._exit(0)\ntime.sleep(3600)\n";

var runner = new ProcessRunner();
var trees = new List<RunningProcess>();
try
{
    for (var i = 0; i < servers; i++)
    {
        trees.Add(runner.Start(ProcessCommand.FromArgv(["python3", "-c", Forker, perServer.ToString(CultureInfo.InvariantCulture)])));
    }
    var deadline = Stopwatch.StartNew();
    int Members() { var table = ProcessTable.Scan(); return trees.Sum(t => t.Tree.MembersIn(table, new HashSet<int>()).Count); }
    while (Members() < servers * perServer && deadline.Elapsed < TimeSpan.FromSeconds(60))
    {
        Thread.Sleep(200);
    }
    var members = Members();

    var self = Process.GetCurrentProcess();
    var cpuBefore = self.TotalProcessorTime;
    var wall = Stopwatch.StartNew();
    long memory = 0;
    for (var round = 0; round < rounds; round++)
    {
        // As ServerResourceSampler.SampleOnce does it at its default 5 s: one /proc scan per round, each tree's
        // members found in it, PSS every 6th round.
        var table = ProcessTable.Scan(ownOnly: false);
        var groups = trees.Select(t => t.Tree.GroupId).ToHashSet();
        foreach (var tree in trees)
        {
            memory += ProcUsageReader.Read(tree.Tree.MembersIn(table, groups.Where(g => g != tree.Tree.GroupId).ToHashSet()), readPss: round % 6 == 0).Rss;
        }
    }
    wall.Stop();
    self.Refresh();
    var cpu = self.TotalProcessorTime - cpuBefore;

    var perRound = cpu.TotalMilliseconds / rounds;
    Console.WriteLine($"{servers} servers, {members} processes in all (asked {servers * perServer}), {rounds} rounds");
    Console.WriteLine($"CPU per round: {perRound:F1} ms ({perRound * 1000 / members:F0} µs per process); wall per round: {wall.Elapsed.TotalMilliseconds / rounds:F1} ms");
    Console.WriteLine($"at the default 5 s interval: {perRound / 5000 * 100:F2} % of one core (memory read: {memory / rounds / servers >> 20} MiB per tree)");
}
finally
{
    await Task.WhenAll(trees.Select(t => t.DisposeAsync().AsTask()));
}
