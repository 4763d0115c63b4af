using System.Security.Cryptography;

namespace ProxyHost.Messaging.Server;

/// <summary>
/// Saves FILE and IMAGE uploads. Names are the seed's <c>yyyyMMdd_HHmmss</c> (server time, not the
/// client's) plus a random suffix, created with <see cref="FileMode.CreateNew"/>, so two uploads in the
/// same second never overwrite each other; the client's extension is reduced to 1–8 lower-case letters
/// and digits, so it can neither leave the folder nor smuggle a second extension.
/// </summary>
internal sealed class UploadStore(string directory, string urlPrefix, TimeProvider time)
{
    private const string FallbackExtension = "bin";
    private const int MaxAttempts = 8;

    public string Directory { get; } = System.IO.Path.GetFullPath(directory);

    /// <summary>Writes the bytes and returns the file's path and site-relative URL.</summary>
    public async Task<(string Path, string Url)> SaveAsync(ReadOnlyMemory<byte> content, string clientExtension, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var extension = SanitizeExtension(clientExtension);
        var stamp = time.GetUtcNow().ToString("yyyyMMdd_HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        for (var attempt = 1; ; attempt++)
        {
            var name = $"{stamp}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}.{extension}";
            var path = System.IO.Path.Combine(Directory, name);
            try
            {
                var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true);
                await using (file.ConfigureAwait(false))
                {
                    await file.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                }
                return (path, urlPrefix + name);
            }
            catch (IOException) when (File.Exists(path) && attempt < MaxAttempts)
            {
                // Lost a race for the same random name; draw another.
            }
        }
    }

    /// <summary>The last dot-separated part of <paramref name="clientExtension"/>, letters and digits only, lower case, at most 8; else "bin".</summary>
    public static string SanitizeExtension(string? clientExtension)
    {
        var last = (clientExtension ?? "").Trim().TrimEnd('.').Split('.', '/', '\\')[^1];
        var clean = new string(last.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant).Take(8).ToArray());
        return clean.Length == 0 ? FallbackExtension : clean;
    }
}
