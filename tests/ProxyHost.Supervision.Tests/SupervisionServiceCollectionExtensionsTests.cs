using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ProxyHost.Catalog;
using ProxyHost.Supervision.Lifecycle;
using Xunit;

namespace ProxyHost.Supervision.Tests;

public sealed class SupervisionServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddServerProcessSupervision_Resolved_SupervisorIsAlsoTheHostedService()
    {
        await using var services = new ServiceCollection()
            .AddSingleton<IServerProcessCatalog>(new InMemoryServerProcessCatalog())
            .AddServerProcessSupervision(options => options.StopGracePeriod = TimeSpan.FromSeconds(2))
            .AddServerProcessSupervision()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        var supervisor = services.GetRequiredService<IServerProcessSupervisor>();

        services.GetServices<IHostedService>().Should().ContainSingle().Which.Should().BeSameAs(supervisor);
        supervisor.Should().BeSameAs(services.GetRequiredService<ServerProcessSupervisor>());
        services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SupervisionOptions>>().Value.StopGracePeriod.Should().Be(TimeSpan.FromSeconds(2));
    }
}
