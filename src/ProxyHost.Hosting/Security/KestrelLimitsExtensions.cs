using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProxyHost.Configuration;
using ProxyHost.Security;

namespace ProxyHost.Hosting.Security;

/// <summary>
/// Listens where the options say, with <see cref="ProxyHostLimits"/> applied to every connection and TLS
/// when a certificate is given (the per-client limit admits connections before their TLS handshake, and
/// counts them against the cap once a request on them carries the token).
/// </summary>
internal static class KestrelLimitsExtensions
{
    public static void ApplyProxyHostLimits(this KestrelServerOptions kestrel, ProxyHostOptions options)
    {
        var limits = options.Limits;
        // The options were validated at start-up, so a configured pair loads.
        var certificate = options is { SslCertificatePath: { } certificatePath, SslKeyPath: { } keyPath }
            ? PemCertificate.Load(certificatePath, keyPath, nameof(options.SslCertificatePath), nameof(options.SslKeyPath))
            : null;
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersTotalSize;
        kestrel.Limits.MaxRequestBodySize = limits.MaxRequestBodySize;
        kestrel.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
        kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(limits.MinRequestBodyDataRate, limits.MinRequestBodyGracePeriod);
        kestrel.Listen(options.Address, options.Port, listen =>
        {
            if (limits.MaxConnectionsPerClient > 0)
            {
                var logger = kestrel.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger<ClientConnectionLimiter>();
                listen.Use(new ClientConnectionLimiter(limits.MaxConnectionsPerClient, logger).Wrap);
            }
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        });
    }
}
