using System.Globalization;
using FluentAssertions;
using Xunit;

namespace ProxyHost.Integration.Tests.Security;

/// <summary>
/// <c>proxy/&lt;host&gt;:&lt;port&gt;/</c> reaches only what the allowlist names (loopback by default):
/// look-alike names, user-info, IPv6 and numeric spellings of 127.0.0.1 are refused, never resolved
/// into something allowed or forwarded somewhere else.
/// </summary>
public sealed class ArbitraryPortTrickTests : IAsyncLifetime
{
    private RoutingFixture _fixture = null!;

    public async Task InitializeAsync() => _fixture = await RoutingFixture.StartAsync();

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    [Theory]
    [InlineData("localhost.evil.example")]
    [InlineData("evil.example")]
    [InlineData("127.0.0.1.evil.example")]
    [InlineData("127.0.0.1.nip.io")]
    [InlineData("localhost.")]
    [InlineData("127.0.0.1@evil.example")]
    [InlineData("evil.example@127.0.0.1")]
    [InlineData("localhost%40evil.example")]
    [InlineData("[::1]")]
    [InlineData("%5B%3A%3A1%5D")]
    [InlineData("::1")]
    [InlineData("[::ffff:127.0.0.1]")]
    [InlineData("0x7f.1")]
    [InlineData("0x7f000001")]
    [InlineData("2130706433")]
    [InlineData("017700000001")]
    [InlineData("0177.0.0.1")]
    [InlineData("127.1")]
    [InlineData("127.0.0.01")]
    [InlineData("127.0.0.1%00.evil.example")]
    [InlineData("127.0.0.1%2f..")]
    [InlineData("%20localhost")]
    [InlineData("local%2ehost")]
    public async Task TrickHost_IsRefused(string host)
    {
        var port = _fixture["app"].Port.ToString(CultureInfo.InvariantCulture);

        foreach (var target in new[] { $"/base/proxy/{host}:{port}/x", $"/base/proxy/absolute/{host}:{port}/x" })
        {
            var response = await RawHttp.SendAsync(_fixture.Host, "GET", target);

            response.Status.Should().BeOneOf([400, 403, 404], target);
            IdentityBackend.ReachedBy(response.Body).Should().BeNull(target);
        }
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST")]
    [InlineData("127.0.0.1")]
    [InlineData("%6c%6fcalhost")]
    public async Task AllowedHost_ReachesItsPort(string host)
    {
        var port = _fixture["other"].Port.ToString(CultureInfo.InvariantCulture);

        var response = await RawHttp.SendAsync(_fixture.Host, "GET", $"/base/proxy/{host}:{port}/x");

        IdentityBackend.ReachedBy(response.Body).Should().Be("other");
    }
}
