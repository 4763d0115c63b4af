using System.Diagnostics;
using System.Globalization;
using System.Text;
using FluentAssertions;
using Microsoft.Extensions.Logging;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Integration.Tests.Security;

/// <summary>
/// Random request targets and headers (seeded, bounded in count and time) against a running ProxyHost
/// in front of identity backends: nothing crashes it, no 500 goes out without a logged reason, and no
/// request reaches a server other than the one its path names.
/// </summary>
public sealed class RouterFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 6;
    private const int Requests = 1500;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(40);

    private static readonly string[] Pieces =
    [
        "app", "app2", "other", "proxy", "absolute", "x", "..", ".", "%2e", "%2E", "%2e%2e", ".%2e", "%252e%252e", "%2f", "%2F", "%5c", "\\",
        "/", "//", ";", "%00", "%c0%ae", "%ff", "%", "%zz", "~", "%61pp", "ü", "a b", "{port}", "localhost:{port}", "127.0.0.1:{port}",
        "[::1]:{port}", "evil.example:80", "127.0.0.1@evil.example:{port}", "?", "?token=x", "#", "&", "=", "*", "base", "_", "api", "metrics",
    ];

    private static readonly string[] Headers =
    [
        "X-Forwarded-Prefix: /evil/", "X-Forwarded-Host: evil.example", "X-Original-URL: /base/other/", "X-Rewrite-URL: /base/other/",
        "Accept: text/html", "Origin: http://evil.example", "Origin: null", "Cookie: proxyhost-auth=garbage", "Connection: keep-alive, X-Secret",
        "X-Secret: 1", "Upgrade: websocket", "Upgrade: h2c", "Keep-Alive: timeout=5", "TE: trailers", "Proxy-Authorization: Basic eDp5",
        "Host: evil.example", "X-Who: evil", "Expect: 100-continue", "Range: bytes=0-0", "X-HTTP-Method-Override: DELETE",
    ];

    private static readonly string[] Methods = ["GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"];

    [Fact]
    public async Task RandomTargetsAndHeaders_NeverCrashNever500SilentlyNeverReachTheWrongServer()
    {
        await using var fixture = await RoutingFixture.StartAsync();
        var random = new Random(Seed);
        var ports = new[] { "app", "app2", "other" }.Select(n => fixture[n].Port.ToString(CultureInfo.InvariantCulture)).ToArray();
        var statuses = new Dictionary<int, int>();
        var reachedCount = 0;
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < Requests && clock.Elapsed < Budget; i++)
        {
            var method = Methods[random.Next(Methods.Length)];
            var target = RandomTarget(random, ports);
            var headers = Enumerable.Range(0, random.Next(4)).Select(_ => Headers[random.Next(Headers.Length)]).Distinct().ToList();
            var logsBefore = fixture.Logs.Entries.Count;

            var response = await RawHttp.SendAsync(fixture.Host, method, target, headers);
            statuses[response.Status] = statuses.GetValueOrDefault(response.Status) + 1;
            var reached = IdentityBackend.ReachedBy(response.Body);
            var intended = headers.Any(h => h.StartsWith("Host:", StringComparison.Ordinal)) ? null : fixture.IntendedServer(target);
            var what = $"#{i} {method} {target} [{string.Join(" | ", headers)}] -> {response.Status}";

            response.Status.Should().BeGreaterThan(0, $"{what}: ProxyHost must answer (or Kestrel refuse) every request");
            if (reached is not null)
            {
                reachedCount++;
                if (!headers.Any(h => h.StartsWith("Host:", StringComparison.Ordinal)))
                {
                    reached.Should().Be(intended, what);
                }
            }
            if (response.Status >= 500)
            {
                fixture.Logs.Entries.Count.Should().BeGreaterThan(logsBefore, $"{what}: a 5xx needs a logged reason");
            }
            response.Status.Should().NotBe(500, what);
        }

        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s; reached a backend {reachedCount} times; statuses: "
            + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
        fixture.Logs.Entries.Should().NotContain(e => e.Level >= LogLevel.Error, "no unhandled exception");
        reachedCount.Should().BeGreaterThan(Requests / 20, "the fuzz must also produce requests that reach backends");
        var healthy = await RawHttp.SendAsync(fixture.Host, "GET", "/base/app/still-up");
        IdentityBackend.ReachedBy(healthy.Body).Should().Be("app", "ProxyHost still serves after the fuzz");
    }

    private static string RandomTarget(Random random, string[] ports)
    {
        var target = new StringBuilder(RoutingFixture.BaseUrl);
        if (random.Next(10) == 0)
        {
            target.Clear().Append('/');
        }
        else if (random.Next(2) == 0)
        {
            // Half start like a real request, so the pieces after it probe each route's own handling.
            string[] starts = ["app/", "app2/", "other/", "proxy/{port}/", "proxy/absolute/{port}/", "proxy/localhost:{port}/"];
            target.Append(starts[random.Next(starts.Length)].Replace("{port}", ports[random.Next(ports.Length)], StringComparison.Ordinal));
        }
        var count = random.Next(1, 7);
        for (var i = 0; i < count; i++)
        {
            if (i > 0 && random.Next(4) != 0)
            {
                target.Append('/');
            }
            target.Append(Pieces[random.Next(Pieces.Length)].Replace("{port}", ports[random.Next(ports.Length)], StringComparison.Ordinal));
        }
        return target.ToString();
    }
}
