using FluentAssertions;
using ProxyHost.Configuration;
using ProxyHost.Relay.Tests.Infrastructure;
using ProxyHost.Tests;
using Xunit;
using Xunit.Abstractions;

namespace ProxyHost.Relay.Tests;

public sealed class HostingTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("relay-config-").FullName;

    [Fact]
    public async Task ConfigFileRelays_AreServedUnderTheBaseUrl()
    {
        var path = Path.Combine(_directory, "proxyhost.json");
        await File.WriteAllTextAsync(path, """{"relays": {"notes": {"client_queue_frames": 50}}}""");
        await using var host = await RelayTestHost.StartAsync(output, configPath: path, baseUrl: "/user/ann/");
        await using var a = await host.ConnectAsync("user/ann/relay/notes/doc");
        await using var b = await host.ConnectAsync("user/ann/relay/notes/doc");

        await a.SendAsync([0x00, 0x02, 0x01, 0x05]);

        (await b.ReceiveDataAsync()).Should().Equal(0x00, 0x02, 0x01, 0x05);
    }

    [Fact]
    public async Task ConfigFileRelay_ClashingWithCodeIsAnErrorNamingFileAndKey()
    {
        var path = Path.Combine(_directory, "proxyhost.json");
        await File.WriteAllTextAsync(path, """{"relays": {"Notes": {}}}""");

        var act = () => RelayTestHost.StartAsync(output, [("notes", new RelayOptions())], configPath: path);

        var error = (await act.Should().ThrowAsync<ConfigValidationException>()).Which.Errors.Single();
        (error.Source, error.Location).Should().Be((path, "relays.Notes"));
        error.Message.Should().Contain("already added in code");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
