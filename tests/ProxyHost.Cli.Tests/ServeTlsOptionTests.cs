using FluentAssertions;
using ProxyHost.Tests;
using Xunit;

namespace ProxyHost.Cli.Tests;

/// <summary>Bad <c>--ssl-cert</c>/<c>--ssl-key</c> values: one line naming the option, before anything starts.</summary>
public sealed class ServeTlsOptionTests : IDisposable
{
    private readonly ConfigDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task SslOptions_MissingUnreadableOrMismatched_AreOneLineNamingTheOption()
    {
        var one = SelfSignedCertificate.Create(_directory.Path, "one");
        var two = SelfSignedCertificate.Create(_directory.Path, "two");
        var missing = _directory.Combine("missing.pem");
        var empty = _directory.Combine("empty.pem");
        await File.WriteAllTextAsync(empty, "");

        (await ServeAsync("--ssl-cert", missing, "--ssl-key", one.KeyPath)).Should().Be($"proxyhost: error: --ssl-cert: {missing} does not exist");
        (await ServeAsync("--ssl-cert", one.CertificatePath, "--ssl-key", missing)).Should().Be($"proxyhost: error: --ssl-key: {missing} does not exist");
        (await ServeAsync("--ssl-cert", empty, "--ssl-key", one.KeyPath)).Should().Be($"proxyhost: error: --ssl-cert: {empty} holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        (await ServeAsync("--ssl-cert", one.CertificatePath, "--ssl-key", two.KeyPath))
            .Should().Be($"proxyhost: error: --ssl-key: {two.KeyPath} is not the private key of the certificate in {one.CertificatePath}");
        (await ServeAsync("--ssl-cert", one.CertificatePath)).Should().Be("proxyhost: error: --ssl-cert needs --ssl-key (the PEM private key)");
        (await ServeAsync("--ssl-key", one.KeyPath)).Should().Be("proxyhost: error: --ssl-key needs --ssl-cert (the PEM certificate)");
    }

    private async Task<string> ServeAsync(params string[] tls)
    {
        var run = await CliRun.RunAsync(["serve", "--port", "0", "--config", _directory.ConfigPath, .. tls]);
        run.ExitCode.Should().Be(ExitCodes.InvalidArguments);
        return run.Error.Trim();
    }
}
