using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProxyHost.Catalog;
using ProxyHost.Configuration;
using ProxyHost.Supervision.Lifecycle;
using ProxyHost.Supervision.Limits;
using ProxyHost.Supervision.Processes;
using Xunit.Abstractions;

namespace ProxyHost.Supervision.Tests;

/// <summary>A real supervisor over an in-memory catalog, wired through the DI extension, logging to the test output.</summary>
internal sealed class SupervisorHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private SupervisorHarness(ServiceProvider services, InMemoryServerProcessCatalog catalog)
    {
        _services = services;
        Catalog = catalog;
        Supervisor = services.GetRequiredService<ServerProcessSupervisor>();
    }

    public InMemoryServerProcessCatalog Catalog { get; }

    public ServerProcessSupervisor Supervisor { get; }

    /// <param name="logLevel">Debug shows every output line; floods of output need less.</param>
    /// <param name="logSignals">Also receive every log event, to wait for one.</param>
    /// <param name="enforcement">How limits are applied; the machine's, detected once per test run, by default.</param>
    /// <param name="clock">A fake clock for tests of backoff and cool-down windows; the system clock otherwise.</param>
    public static SupervisorHarness Create(
        ITestOutputHelper output,
        IEnumerable<ServerProcessDefinition> servers,
        Action<SupervisionOptions>? configure = null,
        LogLevel logLevel = LogLevel.Debug,
        TimeProvider? clock = null,
        IReadOnlyList<ILoggerProvider>? logSignals = null,
        LimitEnforcement? enforcement = null)
    {
        var catalog = new InMemoryServerProcessCatalog(servers);
        var registrations = new ServiceCollection();
        if (enforcement is not null)
        {
            registrations.AddSingleton(new ProcessRunner(TimeProvider.System, File.Exists(ProcessRunner.SetsidPath), File.Exists(ProcessRunner.SetprivPath), enforcement));
        }
        var services = registrations
            .AddSingleton(clock ?? TimeProvider.System)
            .AddLogging(logging =>
            {
                logging.AddProvider(new TestLoggerProvider(output)).SetMinimumLevel(logLevel);
                foreach (var signal in logSignals ?? [])
                {
                    logging.AddProvider(signal);
                }
            })
            .AddSingleton<IServerProcessCatalog>(catalog)
            .Configure<ProxyHostOptions>(options => options.BaseUrl = "/hub/")
            .AddServerProcessSupervision(options =>
            {
                options.StopGracePeriod = TimeSpan.FromSeconds(5);
                options.RestartBackoffInitialDelay = TimeSpan.FromMilliseconds(50);
                options.RestartBackoffMaximumDelay = TimeSpan.FromMilliseconds(200);
                configure?.Invoke(options);
            })
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new SupervisorHarness(services, catalog);
    }

    public static SupervisorHarness Create(ITestOutputHelper output, params ServerProcessDefinition[] servers) => Create(output, servers, null);

    /// <summary>A managed server running the dummy with <paramref name="arguments"/>.</summary>
    public static ServerProcessDefinition Dummy(string name, params string[] arguments) => new()
    {
        Name = name,
        Command = DummyProgram.Argv(arguments),
        Timeout = TimeSpan.FromSeconds(20),
    };

    public async ValueTask DisposeAsync()
    {
        await Supervisor.DisposeAsync();
        await _services.DisposeAsync();
    }
}
