using Microsoft.Extensions.DependencyInjection;

namespace ProxyHost.Hosting;

/// <summary>Returned by <c>AddProxyHost()</c>; every ProxyHost feature is an extension method on it.</summary>
public interface IProxyHostBuilder
{
    IServiceCollection Services { get; }
}

internal sealed class ProxyHostBuilder(IServiceCollection services) : IProxyHostBuilder
{
    public IServiceCollection Services { get; } = services;
}
