using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using ProxyHost.Configuration;
using Xunit;

namespace ProxyHost.Relay.Tests;

public sealed class ConfigTests
{
    [Fact]
    public void Relays_ReadEveryKey()
    {
        var config = ProxyHostConfigReader.Parse("""
            {"relays": {
              "local": {},
              "docs": {"upstream": "wss://elva.example/", "user": "ann", "password": "pw", "magic": "legacy", "send_auth": "on_401",
                       "upstream_headers": {"X-A": "b"}, "upstream_query_awareness": false, "accept_multiplexed": true, "upstream_queue_frames": 5, "upstream_queue_bytes": 6,
                       "client_queue_frames": 7, "client_queue_bytes": 8, "max_message_bytes": 1024, "reconnect_max_delay": 2.5}
            }}
            """, "p.json");

        config.Relays.Select(r => r.Name).Should().Equal("local", "docs");
        config.Relays[0].Options.Should().BeEquivalentTo(new RelayOptions());
        var docs = config.Relays[1].Options;
        docs.Upstream.Should().Be(new Uri("wss://elva.example/"));
        (docs.User, docs.Password, docs.Magic, docs.SendAuth, docs.AcceptMultiplexed, docs.UpstreamQueryAwareness)
            .Should().Be(("ann", "pw", RelayMagic.Legacy, RelaySendAuth.On401, true, false));
        docs.UpstreamHeaders.Should().Equal(new Dictionary<string, string> { ["X-A"] = "b" });
        (docs.UpstreamQueueFrames, docs.UpstreamQueueBytes, docs.ClientQueueFrames, docs.ClientQueueBytes, docs.MaxMessageBytes)
            .Should().Be((5, 6L, 7, 8L, 1024));
        docs.ReconnectMaxDelay.Should().Be(TimeSpan.FromSeconds(2.5));
    }

    [Theory]
    [InlineData("""{"relays": []}""", "relays", "expected an object of relay name")]
    [InlineData("""{"relays": {"a b": {}}}""", "relays.a b", "not a valid relay name")]
    [InlineData("""{"relays": {"r": 3}}""", "relays.r", "expected an object")]
    [InlineData("""{"relays": {"r": {"upstrem": "ws://x/"}}}""", "relays.r.upstrem", "unknown key (known keys: upstream, user")]
    [InlineData("""{"relays": {"r": {"upstream": "http://x/"}}}""", "relays.r.upstream", "expected a ws:// or wss:// URL")]
    [InlineData("""{"relays": {"r": {"upstream": "ws://x/", "user": "u"}}}""", "relays.r.password", "set both or neither")]
    [InlineData("""{"relays": {"r": {"user": "u", "password": "p"}}}""", "relays.r.user", "need an \"upstream\"")]
    [InlineData("""{"relays": {"r": {"upstream": "ws://x/", "user": "a:b", "password": "p"}}}""", "relays.r.user", "cannot contain ':'")]
    [InlineData("""{"relays": {"r": {"magic": "XY"}}}""", "relays.r.magic", "expected one of \"ID\", \"legacy\"")]
    [InlineData("""{"relays": {"r": {"upstream": "ws://x/", "send_auth": "on_401"}}}""", "relays.r.send_auth", "needs \"user\" and \"password\"")]
    [InlineData("""{"relays": {"r": {"send_auth": "lazy"}}}""", "relays.r.send_auth", "expected one of \"eager\", \"on_401\"")]
    [InlineData("""{"relays": {"r": {"client_queue_frames": 0}}}""", "relays.r.client_queue_frames", "positive whole number")]
    [InlineData("""{"relays": {"r": {"upstream_queue_bytes": 1.5}}}""", "relays.r.upstream_queue_bytes", "positive whole number")]
    [InlineData("""{"relays": {"r": {"max_message_bytes": 10}}}""", "relays.r.max_message_bytes", "at least 64")]
    [InlineData("""{"relays": {"r": {"reconnect_max_delay": -1}}}""", "relays.r.reconnect_max_delay", "number of seconds")]
    [InlineData("""{"relays": {"r": {"accept_multiplexed": "yes"}}}""", "relays.r.accept_multiplexed", "expected true or false")]
    [InlineData("""{"relays": {"r": {"upstream_headers": {"X": 1}}}}""", "relays.r.upstream_headers.X", "expected a string")]
    [InlineData("""{"relays": {"r": {}, "R": {}}}""", "relays.R", "defined more than once")]
    public void Relays_ReportProblemsWithFileAndKey(string json, string key, string message)
    {
        var act = () => ProxyHostConfigReader.Parse(json, "/etc/proxyhost.json");

        var error = act.Should().Throw<ConfigValidationException>().Which.Errors.Should().ContainSingle().Which;
        error.Source.Should().Be("/etc/proxyhost.json");
        error.Location.Should().Be(key);
        error.Message.Should().Contain(message);
    }

    [Fact]
    public void TopLevel_UnknownKeyListsRelays() =>
        FluentActions.Invoking(() => ProxyHostConfigReader.Parse("""{"relay": {}}""", "p.json"))
            .Should().Throw<ConfigValidationException>().Which.Errors.Single().Message.Should().Contain("relays");

    [Fact]
    public void AddRelay_RejectsBadNamesOptionsAndDuplicates()
    {
        var builder = new ServiceCollection().AddProxyHost();

        FluentActions.Invoking(() => builder.AddRelay("bad name", new RelayOptions())).Should().Throw<ArgumentException>().WithMessage("*not a valid relay name*");
        FluentActions.Invoking(() => builder.AddRelay("r", new RelayOptions { Upstream = new Uri("http://x/") }))
            .Should().Throw<ArgumentException>().WithMessage("relay 'r': upstream: expected a ws:// or wss:// URL*");
        builder.AddRelay("r", new RelayOptions());
        FluentActions.Invoking(() => builder.AddRelay("R", new RelayOptions())).Should().Throw<ArgumentException>().WithMessage("relay 'R' is already added*");
    }
}
