using System.Collections.Concurrent;
using System.Net;
using FluentAssertions;
using ProxyHost.Collections;
using ProxyHost.Supervision.Endpoints;
using ProxyHost.Supervision.Processes;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Supervision.Tests;

/// <summary>The credentials ProxyHost reads from its environment never reach the processes it starts, unless a server asks for them.</summary>
public sealed class SecretEnvironmentTests(ITestOutputHelper output)
{
    private static readonly string[] Secrets = ["PROXYHOST_TOKEN", "PROXYHOST_URL", "JUPYTERHUB_API_TOKEN", "JPY_API_TOKEN"];

    [Fact]
    public async Task EnsureRunningAsync_SecretsInProxyHostsEnvironment_AreNotPassedToTheServer()
    {
        using var leaked = new InheritedVariables(Secrets);
        await using var harness = SupervisorHarness.Create(output, SupervisorHarness.Dummy("lab", "http", "--port", "<port>"));

        var active = await harness.Supervisor.EnsureRunningAsync("lab", CancellationToken.None).DefaultTimeout();

        foreach (var name in Secrets)
        {
            (await GetVariableAsync(active.Endpoint, name)).Should().BeNull($"{name} is ProxyHost's secret");
        }
        (await GetVariableAsync(active.Endpoint, "PATH")).Should().NotBeNull("the rest of the environment is inherited");
    }

    [Fact]
    public async Task EnsureRunningAsync_ServerEnvironmentSetsASecretName_PassesTheServersOwnValue()
    {
        using var leaked = new InheritedVariables(Secrets);
        var definition = SupervisorHarness.Dummy("lab", "http", "--port", "<port>") with
        {
            Environment = new EquatableMap([new("JUPYTERHUB_API_TOKEN", "the-servers-own-token")]),
        };
        await using var harness = SupervisorHarness.Create(output, definition);

        var active = await harness.Supervisor.EnsureRunningAsync("lab", CancellationToken.None).DefaultTimeout();

        (await GetVariableAsync(active.Endpoint, "JUPYTERHUB_API_TOKEN")).Should().Be("the-servers-own-token");
        (await GetVariableAsync(active.Endpoint, "PROXYHOST_TOKEN")).Should().BeNull();
    }

    [Fact]
    public async Task ProcessRunner_SecretsInProxyHostsEnvironment_AreRemovedAndTheMarkerIsSet()
    {
        using var leaked = new InheritedVariables([.. Secrets, "PROXYHOST_TEST_CANARY"]);
        var lines = new ConcurrentQueue<ProcessOutputLine>();
        await using var process = new ProcessRunner().Start(new ProcessCommand("env"), lines.Enqueue);

        await process.Exited.DefaultTimeout();
        await process.OutputCompleted.DefaultTimeout();

        var variables = lines.Select(l => l.Text).ToList();
        variables.Should().Contain("PROXYHOST_TEST_CANARY=leaked-PROXYHOST_TEST_CANARY", "the rest of the environment is inherited");
        variables.Should().NotContain(v => Secrets.Any(name => v.StartsWith(name + "=", StringComparison.Ordinal)));
        variables.Should().Contain($"{ProcessTree.MarkerVariable}={process.Marker}");
    }

    /// <summary>The dummy's <c>/env/NAME</c>: the variable's value, or null when the process does not have it.</summary>
    private static async Task<string?> GetVariableAsync(ServerEndpoint endpoint, string name)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TestTimeouts.Default };
        using var response = await client.GetAsync($"{endpoint.HttpOrigin}/env/{name}");
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync();
    }

    /// <summary>Sets the variables in this (ProxyHost's) process for the test's duration, as a spawner would have.</summary>
    private sealed class InheritedVariables : IDisposable
    {
        private readonly Dictionary<string, string?> _previous;

        public InheritedVariables(IEnumerable<string> names)
        {
            _previous = names.ToDictionary(n => n, Environment.GetEnvironmentVariable);
            foreach (var name in _previous.Keys)
            {
                Environment.SetEnvironmentVariable(name, "leaked-" + name);
            }
        }

        public void Dispose()
        {
            foreach (var (name, value) in _previous)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
