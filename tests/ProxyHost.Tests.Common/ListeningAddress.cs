using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ProxyHost.Tests;

/// <summary>Where a started test server listens (tests bind port 0 and ask afterwards).</summary>
public static class ListeningAddress
{
    public static Uri Of(IServiceProvider services) =>
        new(services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
