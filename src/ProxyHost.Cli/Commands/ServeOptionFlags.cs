using System.Text.RegularExpressions;
using ProxyHost.Configuration;
using ProxyHost.Hosting;

namespace ProxyHost.Cli.Commands;

/// <summary>
/// Runs the host's own options validator before <c>serve</c> starts anything, and words its failure in
/// <c>serve</c>'s flags (<c>--ssl-key: …</c>) rather than the option properties the library names.
/// </summary>
internal static class ServeOptionFlags
{
    private static readonly (Regex Property, string Flag)[] Flags =
    [
        (Word($"{nameof(ProxyHostOptions.Limits)}.{nameof(ProxyHostLimits.MaxConnectionsPerClient)}"), "--max-connections-per-client"),
        (Word(nameof(ProxyHostOptions.SslCertificatePath)), "--ssl-cert"),
        (Word(nameof(ProxyHostOptions.SslKeyPath)), "--ssl-key"),
        (Word(nameof(ProxyHostOptions.AllowedOrigins)), "--allow-origin"),
        (Word(nameof(ProxyHostOptions.AllowedHosts)), "--allow-host"),
        (Word(nameof(ProxyHostOptions.Port)), "--port"),
    ];

    /// <exception cref="CliUsageException">The first rule the options break, in flag terms.</exception>
    public static void Validate(ProxyHostOptions options)
    {
        var result = new ProxyHostOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new CliUsageException(InFlagTerms(result.Failures.First()));
        }
    }

    public static string InFlagTerms(string failure) => Flags.Aggregate(failure, (text, flag) => flag.Property.Replace(text, flag.Flag));

    private static Regex Word(string property) => new($@"\b{Regex.Escape(property)}\b", RegexOptions.CultureInvariant);
}
