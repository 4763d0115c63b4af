using System.Globalization;
using System.Text;

namespace LoadGen;

/// <summary>
/// Turns run.sh's raw results (section, target, round, metric, value; tab-separated) into the
/// markdown table: medians over rounds, the ratios ProxyHost/direct, ProxyHost/nginx and ProxyHost/YARP alone, the goals.
/// </summary>
internal static class Report
{
    private static readonly string[] Targets = ["direct", "nginx", "yarp", "proxyhost"];

    private static readonly Dictionary<string, string> SectionTitles = new()
    {
        ["http-1kb-c32"] = "HTTP 1 KB, 32 conn",
        ["http-1kb-c128"] = "HTTP 1 KB, 128 conn",
        ["http-1mb-c32"] = "HTTP 1 MB, 32 conn",
        ["http-1mb-c128"] = "HTTP 1 MB, 128 conn",
        ["ws-echo-c50"] = "websocket echo, 50 conn",
        ["bridge"] = "raw TCP echo (bridge for ProxyHost)",
        ["cold"] = "cold start through ProxyHost",
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
        md.AppendLine("| measurement | direct | nginx | YARP alone | ProxyHost | ProxyHost/direct | ProxyHost/nginx | ProxyHost/YARP alone |");
        md.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var (section, metric) in rows.Select(r => (r.Section, r.Metric)).Distinct())
        {
            var values = Targets.Select(t => M(section, metric, t)).ToArray();
            md.AppendLine(CultureInfo.InvariantCulture, $"| {SectionTitles.GetValueOrDefault(section, section)}: {metric} | {F(values[0])} | {F(values[1])} | {F(values[2])} | {F(values[3])} | {Ratio(values[3], values[0])} | {Ratio(values[3], values[1])} | {Ratio(values[3], values[2])} |");
        }

        md.AppendLine();
        md.AppendLine("| goal | measured | met |");
        md.AppendLine("|---|--:|:-:|");
        void Goal(string text, double? measured, Func<double, bool> met, string unit = "×") =>
            md.AppendLine(CultureInfo.InvariantCulture, $"| {text} | {(measured is { } m ? m.ToString("0.00", CultureInfo.InvariantCulture) + unit : "n/a")} | {(measured is { } v ? (met(v) ? "yes" : "**no**") : "n/a")} |");
        foreach (var c in new[] { 32, 128 })
        {
            var s = $"http-1kb-c{c}";
            Goal($"HTTP 1 KB c{c}: req/s ≥ 1.0 × nginx", Div(M(s, "rps", "proxyhost"), M(s, "rps", "nginx")), v => v >= 1.0);
            Goal($"HTTP 1 KB c{c}: p99 ≤ nginx p99 + 1 ms (ProxyHost − nginx)", Sub(M(s, "p99_ms", "proxyhost"), M(s, "p99_ms", "nginx")), v => v <= 1.0, " ms");
        }
        foreach (var c in new[] { 32, 128 })
        {
            var s = $"http-1mb-c{c}";
            Goal($"HTTP 1 MB c{c}: throughput ≥ 0.9 × nginx", Div(M(s, "rps", "proxyhost"), M(s, "rps", "nginx")), v => v >= 0.9);
        }
        Goal("websocket echo: msgs/s ≥ 0.8 × nginx", Div(M("ws-echo-c50", "msgs_per_sec", "proxyhost"), M("ws-echo-c50", "msgs_per_sec", "nginx")), v => v >= 0.8);
        Goal("raw-socket bridge: MB/s ≥ 0.5 × direct TCP", Div(M("bridge", "mb_per_sec", "proxyhost"), M("bridge", "mb_per_sec", "direct")), v => v >= 0.5);
        Goal("cold start overhead ≤ 30 ms: first byte through ProxyHost − the backend's exec-to-listening", M("cold", "overhead_ms", "proxyhost"), v => v <= 30, " ms");
        Goal("cold start overhead ≤ 30 ms: first byte through ProxyHost − the backend's own exec-to-first-response", M("cold", "overhead_vs_direct_first_byte_ms", "proxyhost"), v => v <= 30, " ms");
        Goal("RSS idle ≤ 80 MB", M("rss", "idle_mb", "proxyhost"), v => v <= 80, " MB");
        Goal("RSS with 1,000 websockets ≤ 250 MB", M("rss", "ws1000_mb", "proxyhost"), v => v <= 250, " MB");

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
