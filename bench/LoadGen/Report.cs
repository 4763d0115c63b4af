using System.Globalization;
using System.Text;

namespace LoadGen;

/// <summary>
/// Turns run.sh's raw results (section, target, round, metric, value; tab-separated) into the
/// markdown table: medians over rounds, ProxyHost's ratio to every other target, the goals of issue 16.
/// </summary>
internal static class Report
{
    private static readonly (string Key, string Title)[] Targets =
        [("direct", "direct"), ("nginx", "nginx"), ("chp", "CHP"), ("websockify", "websockify"), ("yarp", "YARP alone"), ("proxyhost", "ProxyHost")];

    private static readonly Dictionary<string, string> SectionTitles = new()
    {
        ["http-1kb-c32"] = "HTTP 1 KB, 32 conn",
        ["http-1kb-c128"] = "HTTP 1 KB, 128 conn",
        ["http-1mb-c32"] = "HTTP 1 MB, 32 conn",
        ["http-1mb-c128"] = "HTTP 1 MB, 128 conn",
        ["ws-echo-c50"] = "websocket echo, 50 conn",
        ["bridge"] = "raw TCP echo, 4 streams of 64 KiB (direct TCP, or a websocket bridge)",
        ["bridge-rtt"] = "raw bridge round trip, 10 conn × 64 B",
        ["first-click"] = "first click: a fresh `proxyhost serve`, python http.server not started",
        ["cold"] = "restart of a stopped server in a warm ProxyHost",
        ["rss"] = "ProxyHost RSS",
    };

    public static int Run(Arguments args)
    {
        var rows = File.ReadAllLines(args.String("--raw"))
            .Select(l => l.Split('\t'))
            .Where(f => f.Length == 5)
            .Select(f => (Section: f[0], Target: f[1], Round: f[2], Metric: f[3], Value: double.Parse(f[4], CultureInfo.InvariantCulture)))
            .Where(r => !double.IsNaN(r.Value))
            .ToList();
        var medians = rows.GroupBy(r => (r.Section, r.Metric, r.Target)).ToDictionary(g => g.Key, g => Stats.Median(g.Select(r => r.Value)));
        double? M(string section, string metric, string target) => medians.TryGetValue((section, metric, target), out var v) ? v : null;

        var md = new StringBuilder();
        foreach (var line in File.ReadAllLines(args.String("--meta")))
        {
            md.AppendLine(line);
        }
        md.AppendLine();
        var others = Targets.Where(t => t.Key != "proxyhost").ToArray();
        md.AppendLine($"| measurement | {string.Join(" | ", Targets.Select(t => t.Title))} | {string.Join(" | ", others.Select(t => "ProxyHost/" + t.Title))} |");
        md.AppendLine($"|---|{string.Concat(Enumerable.Repeat("--:|", Targets.Length + others.Length))}");
        foreach (var (section, metric) in rows.Select(r => (r.Section, r.Metric)).Distinct())
        {
            var ours = M(section, metric, "proxyhost");
            var values = Targets.Select(t => F(M(section, metric, t.Key)));
            var ratios = others.Select(t => Ratio(ours, M(section, metric, t.Key)));
            md.AppendLine(CultureInfo.InvariantCulture, $"| {SectionTitles.GetValueOrDefault(section, section)}: {metric} | {string.Join(" | ", values)} | {string.Join(" | ", ratios)} |");
        }

        md.AppendLine();
        md.AppendLine("| goal | measured | met |");
        md.AppendLine("|---|--:|:-:|");
        void Goal(string text, double? measured, Func<double, bool> met, string unit = "×") =>
            md.AppendLine(CultureInfo.InvariantCulture, $"| {text} | {(measured is { } m ? m.ToString("0.00", CultureInfo.InvariantCulture) + unit : "n/a")} | {(measured is { } v ? (met(v) ? "yes" : "**no**") : "n/a")} |");
        double? Ours(string section, string metric, string peer) => Div(M(section, metric, "proxyhost"), M(section, metric, peer));
        foreach (var c in new[] { 32, 128 })
        {
            var s = $"http-1kb-c{c}";
            Goal($"HTTP 1 KB c{c}: req/s ≥ 0.8 × nginx", Ours(s, "rps", "nginx"), v => v >= 0.8);
            Goal($"HTTP 1 KB c{c}: p99 ≤ nginx p99 + 1 ms (ProxyHost − nginx)", Sub(M(s, "p99_ms", "proxyhost"), M(s, "p99_ms", "nginx")), v => v <= 1.0, " ms");
        }
        foreach (var c in new[] { 32, 128 })
        {
            Goal($"HTTP 1 MB c{c}: throughput ≥ 0.9 × nginx", Ours($"http-1mb-c{c}", "rps", "nginx"), v => v >= 0.9);
        }
        Goal("websocket echo: CPU per message ≤ 0.8 × CHP", Ours("ws-echo-c50", "cpu_us_per_msg", "chp"), v => v <= 0.8);
        Goal("websocket echo: msgs/s ≥ 0.9 × nginx", Ours("ws-echo-c50", "msgs_per_sec", "nginx"), v => v >= 0.9);
        Goal("raw bridge: MB/s ≥ 1.5 × websockify", Ours("bridge", "mb_per_sec", "websockify"), v => v >= 1.5);
        Goal("raw bridge: CPU per MB ≤ 0.5 × websockify", Ours("bridge", "cpu_us_per_mb", "websockify"), v => v <= 0.5);
        Goal("raw bridge: round-trip p50 ≤ websockify's", Ours("bridge-rtt", "p50_ms", "websockify"), v => v <= 1.0);
        Goal("first click: first request − python's own exec → first byte ≤ 30 ms", M("first-click", "first_request_overhead_ms", "proxyhost"), v => v <= 30, " ms");
        Goal("first click 1 s after serve answers: the same overhead ≤ 30 ms", M("first-click", "first_request_after_1s_overhead_ms", "proxyhost"), v => v <= 30, " ms");
        Goal("first click: second request ≤ 2 ms", M("first-click", "second_request_ms", "proxyhost"), v => v <= 2, " ms");
        Goal("first click: `serve` answers HTTP ≤ 300 ms after exec", M("first-click", "serve_answers_ms", "proxyhost"), v => v <= 300, " ms");
        Goal("RSS idle ≤ 60 MB", M("rss", "idle_mb", "proxyhost"), v => v <= 60, " MB");
        Goal("RSS with 1,000 websockets ≤ 150 MB", M("rss", "ws1000_mb", "proxyhost"), v => v <= 150, " MB");

        md.AppendLine();
        md.AppendLine("<details><summary>Every round (the table shows medians)</summary>");
        md.AppendLine();
        foreach (var g in rows.GroupBy(r => (r.Section, r.Metric, r.Target)))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {g.Key.Section} {g.Key.Metric} {g.Key.Target}: {string.Join(", ", g.Select(r => F(r.Value)))}");
        }
        md.AppendLine();
        md.AppendLine("</details>");

        var text = md.ToString();
        Console.Write(text);
        if (args.Optional("--out") is { } output)
        {
            File.WriteAllText(output, text);
        }
        return 0;
    }

    private static double? Div(double? a, double? b) => a is { } x && b is { } y && y != 0 ? x / y : null;

    private static double? Sub(double? a, double? b) => a is { } x && b is { } y ? x - y : null;

    private static string Ratio(double? a, double? b) => Div(a, b) is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) : "";

    private static string F(double? v) => v switch
    {
        null => "",
        >= 1000 => v.Value.ToString("0", CultureInfo.InvariantCulture),
        >= 10 => v.Value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => v.Value.ToString("0.00", CultureInfo.InvariantCulture),
    };
}
