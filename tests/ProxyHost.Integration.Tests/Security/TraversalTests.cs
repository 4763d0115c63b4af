using FluentAssertions;
using ProxyHost.Tests;
using Xunit;

namespace ProxyHost.Integration.Tests.Security;

/// <summary>
/// Path traversal in every spelling never leaves the server a path names: sent byte for byte, each
/// case reaches that server (which may resolve it within itself) or nobody, never a neighbour.
/// </summary>
public sealed class TraversalTests : IAsyncLifetime
{
    private RoutingFixture _fixture = null!;

    public static TheoryData<string> Cases() => new()
    {
        "/base/app/../other/x",
        "/base/app/%2e%2e/other/x",
        "/base/app/%2E%2E/other/x",
        "/base/app/.%2e/other/x",
        "/base/app/%2e./other/x",
        "/base/app/%252e%252e/other/x",
        "/base/app/%25%32%65%25%32%65/other/x",
        "/base/app/..%2fother/x",
        "/base/app/..%2Fother/x",
        "/base/app/%2e%2e%2fother/x",
        "/base/app/..\\other/x",
        "/base/app/..%5cother/x",
        "/base/app/..%5Cother/x",
        "/base/app/%2e%2e%5cother/x",
        "/base/app/\\..\\other\\x",
        "/base/app/x/../../other/x",
        "/base/app/x/%2e%2e/%2e%2e/other/x",
        "/base/app/./../other/x",
        "/base/app//../other/x",
        "/base/app/..;/other/x",
        "/base/app/%c0%ae%c0%ae/other/x",
        "/base/app/%e0%80%ae%e0%80%ae/other/x",
        "/base/app/..%00/other/x",
        "/base/app/.../other/x",
        "/base/app/x/..%2f..%2fother/x",
        "/base/app2/../app/x",
        "/base/app/../app2/x",
        "/base/other/../app/x",
        "/base/%61pp/../other/x",
        "/base/app%2f..%2fother/x",
        "/base/app%2F%2E%2E%2Fother/x",
        "/base/app/..//other/x",
        "/base/app/%2e%2e//other/x",
        "/base/../base/other/x",
        "/base/%2e%2e/base/other/x",
        "/base/proxy/{app}/../{other}/x",
        "/base/proxy/{app}/%2e%2e/{other}/x",
        "/base/proxy/{app}/%2e%2e/%2e%2e/other/x",
        "/base/proxy/absolute/{app}/%2e%2e/{other}/x",
        "/base/proxy/localhost:{app}/..%2f{other}/x",
        "/base/app/x/../y",
        "/base/app/%2e%2e/",
    };

    public async Task InitializeAsync() => _fixture = await RoutingFixture.StartAsync();

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task TraversalCase_NeverReachesAnotherServer(string template)
    {
        var target = template
            .Replace("{app}", _fixture["app"].Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{other}", _fixture["other"].Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var intended = _fixture.IntendedServer(target);

        var response = await RawHttp.SendAsync(_fixture.Host, "GET", target);
        var reached = IdentityBackend.ReachedBy(response.Body);

        response.Status.Should().BeInRange(200, 499, "{0} must not fail inside ProxyHost", target);
        if (reached is not null)
        {
            reached.Should().Be(intended, $"{target} names '{intended}' ({response.Status}, {response.Body.Trim()})");
        }
        _fixture.Logs.Entries.Should().NotContain(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Fact]
    public async Task DotSegmentsWithinTheServer_StillWork()
    {
        var response = await RawHttp.SendAsync(_fixture.Host, "GET", "/base/app/x/%2e%2e/y").DefaultTimeout();

        IdentityBackend.ReachedBy(response.Body).Should().Be("app");
        response.Body.Should().Contain("raw=/y");
    }
}
