using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ProxyHost.Security;

/// <summary>Loads a TLS certificate and its private key from PEM files, with errors that name the setting at fault.</summary>
public static class PemCertificate
{
    /// <summary>Loads <paramref name="certificatePath"/> and <paramref name="keyPath"/> as one certificate with its key.</summary>
    /// <param name="certificateSetting">How the user names the certificate path (e.g. <c>--ssl-cert</c>), used in errors.</param>
    /// <param name="keySetting">How the user names the key path (e.g. <c>--ssl-key</c>), used in errors.</param>
    /// <exception cref="ArgumentException">A file is missing, unreadable, not PEM, or the key does not belong to the certificate; the message names the setting.</exception>
    public static X509Certificate2 Load(string certificatePath, string keyPath, string certificateSetting = "ssl_cert", string keySetting = "ssl_key")
    {
        ArgumentNullException.ThrowIfNull(certificatePath);
        ArgumentNullException.ThrowIfNull(keyPath);
        var certificateText = ReadText(certificatePath, certificateSetting);
        var keyText = ReadText(keyPath, keySetting);
        if (!certificateText.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{certificateSetting}: {certificatePath} holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        if (!keyText.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{keySetting}: {keyPath} holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
        }
        try
        {
            return X509Certificate2.CreateFromPem(certificateText, keyText);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            var why = e.Message.Contains("does not match", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("public key", StringComparison.OrdinalIgnoreCase)
                ? "is not the private key of the certificate in " + certificatePath
                : "could not be used with the certificate in " + certificatePath + ": " + e.Message.Split(" (Parameter", 2)[0].TrimEnd('.');
            throw new ArgumentException($"{keySetting}: {keyPath} {why}", e);
        }
    }

    private static string ReadText(string path, string setting)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var why = e is FileNotFoundException or DirectoryNotFoundException ? "does not exist" : "cannot be read: " + e.Message.TrimEnd('.');
            throw new ArgumentException($"{setting}: {path} {why}", e);
        }
    }
}
