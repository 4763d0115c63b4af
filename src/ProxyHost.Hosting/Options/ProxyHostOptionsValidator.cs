using Microsoft.Extensions.Options;
using ProxyHost.Configuration;
using ProxyHost.Security;

namespace ProxyHost.Hosting;

/// <summary>
/// Every rule on <see cref="ProxyHostOptions"/>, in one place: checked when the host starts, and by
/// <c>proxyhost serve</c> before it starts anything. Failures name the option's property, as
/// <c>"SslKeyPath: /x.pem does not exist"</c>.
/// </summary>
public sealed class ProxyHostOptionsValidator : IValidateOptions<ProxyHostOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxyHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Port is < 0 or > 65535)
        {
            failures.Add($"{nameof(options.Port)}: {options.Port} is not a port number from 0 (any free port) to 65535");
        }
        AddPatternFailures(failures, nameof(options.AllowedOrigins), options.AllowedOrigins, OriginPatterns.Validate);
        AddPatternFailures(failures, nameof(options.AllowedHosts), options.AllowedHosts, HostPatterns.Validate);
        if (options.Limits.MaxConnectionsPerClient < 0)
        {
            failures.Add($"{nameof(options.Limits)}.{nameof(ProxyHostLimits.MaxConnectionsPerClient)}: {options.Limits.MaxConnectionsPerClient} is not a count of 0 (no limit) or more");
        }
        if (TlsFailure(options) is { } tls)
        {
            failures.Add(tls);
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void AddPatternFailures(List<string> failures, string property, IEnumerable<string> patterns, Func<string, string?> validate) =>
        failures.AddRange(patterns.Select(validate).OfType<string>().Select(problem => $"{property}: {problem}"));

    private static string? TlsFailure(ProxyHostOptions options)
    {
        switch (options.SslCertificatePath, options.SslKeyPath)
        {
            case (null, null):
                return null;
            case (null, _):
                return $"{nameof(options.SslKeyPath)} needs {nameof(options.SslCertificatePath)} (the PEM certificate)";
            case (_, null):
                return $"{nameof(options.SslCertificatePath)} needs {nameof(options.SslKeyPath)} (the PEM private key)";
            case var (certificate, key):
                try
                {
                    PemCertificate.Load(certificate, key, nameof(options.SslCertificatePath), nameof(options.SslKeyPath)).Dispose();
                    return null;
                }
                catch (ArgumentException e)
                {
                    return e.Message;
                }
        }
    }
}
