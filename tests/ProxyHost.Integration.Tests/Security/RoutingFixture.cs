using System.Globalization;
using ProxyHost.Configuration;
using ProxyHost.Integration.Tests.Infrastructure;

namespace ProxyHost.Integration.Tests.Security;

/// <summary>
/// A ProxyHost under <c>/base/</c> in front of three identity backends whose names share prefixes
/// (<c>app</c>, <c>app2</c>, <c>other</c>), reachable by name and by <c>proxy/&lt;port&gt;/</c>.
/// </summary>
internal sealed class RoutingFixture : IAsyncDisposable
{
    public const string BaseUrl = "/base/";

    private readonly IReadOnlyList<IdentityBackend> _backends;

    private RoutingFixture(IReadOnlyList<IdentityBackend> backends, TestProxyHost host, LogCollector logs)
    {
        _backends = backends;
        Host = host;
        Logs = logs;
    }

    public TestProxyHost Host { get; }

    public LogCollector Logs { get; }

    public IdentityBackend this[string name] => _backends.Single(b => b.Name == name);

    public static async Task<RoutingFixture> StartAsync()
    {
        var backends = new List<IdentityBackend>();
        foreach (var name in new[] { "app", "app2", "other" })
        {
            backends.Add(await IdentityBackend.StartAsync(name));
        }
        var logs = new LogCollector();
        var host = await TestProxyHost.StartAsync(
            backends.Select(b => new ServerProcessDefinition { Name = b.Name, Port = b.Port }), baseUrl: BaseUrl, logSignal: logs);
        return new RoutingFixture(backends, host, logs);
    }

    /// <summary>
    /// The only backend a target may reach: the server named by its first segment after the base URL
    /// (decoded once, <c>.</c> skipped), or for <c>proxy/&lt;port&gt;/</c> the backend on that port.
    /// Null when the target names none, so no backend may answer it.
    /// </summary>
    public string? IntendedServer(string target)
    {
        var path = target.Split('?', '#')[0];
        if (!path.StartsWith(BaseUrl, StringComparison.Ordinal))
        {
            return null;
        }
        var segments = path[BaseUrl.Length..].Split('/').Select(Decode).Where(s => s != ".").ToList();
        if (segments.Count == 0 || segments[0] == "..")
        {
            return null;
        }
        if (segments[0] != "proxy")
        {
            return segments[0];
        }
        var absolute = segments.Count > 1 && segments[1] == "absolute";
        var portSegment = segments.ElementAtOrDefault(absolute ? 2 : 1) ?? "";
        var port = portSegment.Split(':')[^1];
        return _backends.FirstOrDefault(b => b.Port.ToString(CultureInfo.InvariantCulture) == port)?.Name;
    }

    private static string Decode(string segment)
    {
        try
        {
            return Uri.UnescapeDataString(segment);
        }
        catch (UriFormatException)
        {
            return segment;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        foreach (var backend in _backends)
        {
            await backend.DisposeAsync();
        }
    }
}
