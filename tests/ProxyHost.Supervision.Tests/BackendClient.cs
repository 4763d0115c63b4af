using System.Net.Sockets;
using FluentAssertions;
using ProxyHost.Supervision.Lifecycle;
using ProxyHost.Supervision.Readiness;
using ProxyHost.Supervision.Restarts;
using ProxyHost.Supervision.Endpoints;

namespace ProxyHost.Supervision.Tests;

/// <summary>Plain HTTP GETs to a dummy backend over TCP or its Unix socket.</summary>
internal static class BackendClient
{
    public static async Task<string> GetStringAsync(ServerEndpoint endpoint, string path)
    {
        using var handler = new SocketsHttpHandler { UseProxy = false };
        if (endpoint.UnixSocketPath is { } socketPath)
        {
            handler.ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), token);
                return new NetworkStream(socket, ownsSocket: true);
            };
        }
        using var client = new HttpClient(handler) { Timeout = TestTimeouts.Default };
        var baseAddress = endpoint.IsUnixSocket ? "http://localhost" : $"http://127.0.0.1:{endpoint.Port}";
        return await client.GetStringAsync(baseAddress + path);
    }

    /// <summary>Probes until the backend answers (the production readiness pipeline, bounded by the default timeout).</summary>
    public static async Task WaitUntilReadyAsync(ServerEndpoint endpoint)
    {
        using var probe = new HttpReadinessProbe();
        var pipeline = RestartPipelineFactory.CreateReadinessPipeline(TestTimeouts.Default, new SupervisionOptions(), TimeProvider.System);
        (await pipeline.ExecuteAsync(token => probe.ProbeAsync(endpoint, token))).Should().BeTrue();
    }

    public static async Task<int> GetPidAsync(ServerEndpoint endpoint) => int.Parse(await GetStringAsync(endpoint, "/pid"), System.Globalization.CultureInfo.InvariantCulture);
}
