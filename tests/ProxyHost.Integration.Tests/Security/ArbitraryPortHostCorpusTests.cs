using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using FluentAssertions;
using ProxyHost.Configuration;
using ProxyHost.Integration.Tests.Infrastructure;
using Xunit;

namespace ProxyHost.Integration.Tests.Security;

/// <summary>
/// <c>proxy/&lt;host&gt;:&lt;port&gt;/</c> over a seeded corpus of hostile hosts with allowlisted suffixes: every
/// request is refused, or it reached the real loopback backend at the checked port under a checked host that
/// names loopback. Characters that end a URI's authority (<c>#</c>, <c>?</c>, <c>\</c>) must never move the
/// connection somewhere the allowlist did not check.
/// </summary>
public sealed partial class ArbitraryPortHostCorpusTests
{
    private static readonly string[] Allowlist = ["localhost", "127.0.0.1", "*.localhost"];

    private static readonly string[] Pieces =
    [
        "a", "b", "z", "Q", "0", "1", "9", "-", ".", "%", ":", "@", "#", "?", "/", "\\", "[", "]",
        "%23", "%3F", "%3f", "%2F", "%40", "%5C", "%25", "%3A", "%5B", "%5D", "%2E", "%2D", "%00", "%20",
        "%2523", "%C3%A9", "%E3%80%82", "%EF%BC%8E", "%C4%B1", "127.0.0.1", "localhost", "0x7f", "[::1]",
    ];

    private static readonly string[] Suffixes = [".localhost", "localhost", "127.0.0.1", ".127.0.0.1", ""];

    private static readonly string[] Known =
    [
        "127.0.0.1%23.localhost", "localhost%23.localhost", "127.0.0.1%3F.localhost", "localhost%3f.localhost",
        "127.0.0.1%5C.localhost", "localhost%2F.localhost", "127.0.0.1%2523.localhost", "127.0.0.1%40x.localhost",
        "127.0.0.1%E3%80%82localhost", "localhost", "LocalHost", "127.0.0.1", "%6c%6fcalhost",
    ];

    [Fact]
    public async Task GeneratedHosts_AreRefusedOrConnectToExactlyTheCheckedHostAndPort()
    {
        var checkedHosts = new ConcurrentQueue<string>();
        await using var backend = await TestBackend.StartTcpAsync();
        await using var host = await TestProxyHost.StartAsync(configureOptions: o => o.HostAllowed = h =>
        {
            checkedHosts.Enqueue(h);
            return HostAllowlist.Matches(Allowlist, h);
        });
        var port = backend.Port.ToString(CultureInfo.InvariantCulture);
        var random = new Random(14_02);
        var corpus = Known.Concat(Enumerable.Range(0, 400).Select(_ => Generate(random))).ToList();

        var failures = new List<string>();
        var reached = 0;
        for (var i = 0; i < corpus.Count; i++)
        {
            checkedHosts.Clear();
            var marker = $"corpus-{i}-end";
            var response = await RawHttp.SendAsync(host, "GET", $"/proxy/{corpus[i]}:{port}/{marker}");
            var checkedHost = checkedHosts.Count == 1 && checkedHosts.TryPeek(out var only) ? only : null;
            var verdict = response.Status switch
            {
                400 or 403 or 404 => response.Body.Contains(marker, StringComparison.Ordinal) ? "refused, yet the backend answered" : null,
                200 when checkedHost is not null && NamesLoopback(checkedHost) && response.Body.Contains(marker, StringComparison.Ordinal) => null,
                502 when checkedHost is not null && UnresolvableLoopbackName().IsMatch(checkedHost) => null,
                502 when checkedHosts.IsEmpty && PortOnlyForm().IsMatch(corpus[i]) => null,
                _ => $"status {response.Status} after checking [{string.Join(", ", checkedHosts)}]",
            };
            if (verdict is not null)
            {
                failures.Add($"{corpus[i]}: {verdict}");
            }
            reached += response.Status == 200 ? 1 : 0;
        }

        failures.Should().BeEmpty();
        reached.Should().BeGreaterThanOrEqualTo(5, "the corpus's plain loopback names reach the backend");
    }

    /// <summary>One to four pieces, then an allowlisted suffix.</summary>
    private static string Generate(Random random)
    {
        var host = new StringBuilder();
        for (var n = random.Next(1, 5); n > 0; n--)
        {
            host.Append(Pieces[random.Next(Pieces.Length)]);
        }
        return host.Append(Suffixes[random.Next(Suffixes.Length)]).ToString();
    }

    /// <summary>Loopback under every resolver: reaching the backend under such a host means it was connected to as checked.</summary>
    private static bool NamesLoopback(string host) =>
        host is "localhost" or "127.0.0.1" || host.EndsWith(".localhost", StringComparison.Ordinal);

    /// <summary>A raw <c>/</c> after digits makes <c>proxy/&lt;port&gt;/…</c>, which always means localhost and checks no host.</summary>
    [GeneratedRegex("^[0-9]+/")]
    private static partial Regex PortOnlyForm();

    /// <summary>A well-formed <c>*.localhost</c> name the resolver may not know: a 502 then means nothing was connected.</summary>
    [GeneratedRegex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+localhost$")]
    private static partial Regex UnresolvableLoopbackName();
}
