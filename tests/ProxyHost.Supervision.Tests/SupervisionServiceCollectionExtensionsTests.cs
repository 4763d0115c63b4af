using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ProxyHost.Catalog;
using ProxyHost.Supervision.Lifecycle;
using ProxyHost.Supervision.Resources;
using Xunit;

namespace ProxyHost.Supervision.Tests;

public sealed class SupervisionServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddServerProcessSupervision_Resolved_SupervisorAndResourceSamplerAreTheHostedServices()
    {
        await using var services = new ServiceCollection()
            .AddSingleton<IServerProcessCatalog>(new InMemoryServerProcessCatalog())
            .AddServerProcessSupervision(options => options.StopGracePeriod = TimeSpan.FromSeconds(2))
            .AddServerProcessSupervision()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        var supervisor = services.GetRequiredService<IServerProcessSupervisor>();

        services.GetServices<IHostedService>().Should().HaveCount(2, "registering twice adds nothing")
            .And.ContainInOrder((IHostedService)supervisor, (IHostedService)services.GetRequiredService<IServerResourceMonitor>());
        supervisor.Should().BeSameAs(services.GetRequiredService<ServerProcessSupervisor>());
        services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SupervisionOptions>>().Value.StopGracePeriod.Should().Be(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task HostStop_RunningServer_StopsItsProcessTree()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services
            .AddSingleton<IServerProcessCatalog>(new InMemoryServerProcessCatalog([SupervisorHarness.Dummy("lab", "http", "--port", "<port>")]))
            .AddServerProcessSupervision();
        using var host = builder.Build();
        await host.StartAsync().DefaultTimeout();
        var supervisor = host.Services.GetRequiredService<IServerProcessSupervisor>();
        await supervisor.EnsureRunningAsync("lab", CancellationToken.None).DefaultTimeout();
        var pid = supervisor.GetSnapshot("lab")!.ProcessId!.Value;

        await host.StopAsync().DefaultTimeout();

        ProcessChecks.IsAlive(pid).Should().BeFalse();
    }
}
