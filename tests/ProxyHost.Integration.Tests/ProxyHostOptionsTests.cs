using System.Net;
using FluentAssertions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ProxyHost.Configuration;
using ProxyHost.Hosting;
using Xunit;

namespace ProxyHost.Integration.Tests;

public sealed class ProxyHostOptionsTests
{
    [Fact]
    public async Task Create_UsesTheGivenOptionsObjectItself_SoNoPropertyCanBeDropped()
    {
        var options = new ProxyHostOptions
        {
            Address = IPAddress.Loopback,
            Port = 0,
            BaseUrl = "/user/ana/",
            Token = "secret",
            ArbitraryPorts = false,
            AllowedOrigins = ["https://hub.example.org"],
            AllowedHosts = ["lab.example.org"],
            MetricsWithoutAuth = true,
            Limits = new ProxyHostLimits { MaxConnectionsPerClient = 7 },
        };
        await using var app = ProxyHostApplication.Create(options);

        await app.StartAsync();

        app.Services.GetRequiredService<IOptions<ProxyHostOptions>>().Value.Should().BeSameAs(options);
        await app.StopAsync();
    }

    [Theory]
    [InlineData(null, "/k.pem", "SslKeyPath needs SslCertificatePath (the PEM certificate)")]
    [InlineData("/c.pem", null, "SslCertificatePath needs SslKeyPath (the PEM private key)")]
    [InlineData("/nonexistent/c.pem", "/nonexistent/k.pem", "SslCertificatePath: /nonexistent/c.pem does not exist")]
    public async Task EmbeddingHost_WithBrokenOptions_FailsToStartNamingTheProperty(string? certificate, string? key, string expected)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddProxyHost(o =>
        {
            o.Port = 0;
            o.SslCertificatePath = certificate;
            o.SslKeyPath = key;
        });
        await using var app = builder.Build();

        var start = async () => await app.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Failures.Should().Equal(expected);
    }

    [Fact]
    public void Validator_ReportsEveryBrokenRuleAtOnce()
    {
        var options = new ProxyHostOptions
        {
            Port = 70000,
            AllowedOrigins = ["not an origin"],
            Limits = new ProxyHostLimits { MaxConnectionsPerClient = -1 },
        };

        var result = new ProxyHostOptionsValidator().Validate(null, options);

        result.Failures.Should().HaveCount(3).And.Contain(f => f.StartsWith("Port: 70000", StringComparison.Ordinal))
            .And.Contain(f => f.StartsWith("AllowedOrigins: ", StringComparison.Ordinal))
            .And.Contain("Limits.MaxConnectionsPerClient: -1 is not a count of 0 (no limit) or more");
    }
}
