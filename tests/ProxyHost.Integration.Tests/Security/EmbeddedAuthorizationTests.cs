using System.Net;
using System.Net.Http.Headers;
using FluentAssertions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProxyHost.Configuration;
using ProxyHost.Hosting;
using ProxyHost.Integration.Tests.Infrastructure;
using Xunit;
using ProxyHost.Tests;

namespace ProxyHost.Integration.Tests.Security;

/// <summary>
/// An application that embeds ProxyHost keeps ASP.NET authorization: its own endpoints' policies are
/// evaluated against the user the token check established, behind the same token.
/// </summary>
public sealed class EmbeddedAuthorizationTests
{
    [Fact]
    public async Task EmbeddingAppEndpoints_WithPolicies_SeeTheTokenUser_StayBehindTheToken_AndFailAs403()
    {
        var options = new ProxyHostOptions { Address = IPAddress.Loopback, Port = 0, Token = TestProxyHost.Token };
        var app = ProxyHostApplication.Create(options, configure: (builder, _) =>
        {
            builder.Logging.ClearProviders();
            builder.Services.AddAuthorizationBuilder()
                .AddPolicy("named-user", p => p.RequireAuthenticatedUser().RequireUserName("proxyhost-user"))
                .AddPolicy("admins", p => p.RequireRole("admin"));
        });
        app.MapGet("/embedded", (HttpContext context) => "hello " + context.User.Identity?.Name).RequireAuthorization("named-user");
        app.MapGet("/admin", () => "secret").RequireAuthorization("admins");
        await app.StartAsync();
        try
        {
            var address = ListeningAddress.Of(app.Services);
            using var client = new HttpClient { BaseAddress = address };

            (await client.GetAsync("/embedded")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", TestProxyHost.Token);
            var response = await client.GetAsync("/embedded");
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            (await response.Content.ReadAsStringAsync()).Should().Be("hello proxyhost-user");
            (await client.GetAsync("/admin")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "the token user has no admin role");
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
