using System.Security.Cryptography;

namespace ProxyHost.Supervision.Endpoints;

/// <summary>
/// Creates a fresh private directory (mode 0700) per server start under <c>$XDG_RUNTIME_DIR</c> when
/// it is set and writable, else under the temp directory, and puts the socket at <c>&lt;dir&gt;/socket</c>.
/// </summary>
public class UnixSocketPathAllocator
{
    private const UnixFileMode PrivateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the directory; dispose the result to delete it again.</summary>
    public virtual UnixSocketDirectory Allocate(string serverName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serverName);
        var root = RuntimeRoot();
        var safeName = new string([.. serverName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').Take(32)]);
        for (var attempt = 0; ; attempt++)
        {
            var directory = Path.Combine(root, $"proxyhost-{safeName}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}");
            if (Directory.Exists(directory) && attempt < 10)
            {
                continue;
            }
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, PrivateMode);
                File.SetUnixFileMode(directory, PrivateMode);
            }
            return new UnixSocketDirectory(directory, Path.Combine(directory, "socket"));
        }
    }

    private static string RuntimeRoot()
    {
        var runtimeDirectory = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        if (!string.IsNullOrEmpty(runtimeDirectory) && Directory.Exists(runtimeDirectory) && IsWritable(runtimeDirectory))
        {
            return runtimeDirectory;
        }
        return Path.GetTempPath();
    }

    private static bool IsWritable(string directory)
    {
        try
        {
            var probe = Path.Combine(directory, ".proxyhost-probe-" + Guid.NewGuid().ToString("N"));
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

/// <summary>A private socket directory; disposing deletes it with everything in it.</summary>
public sealed class UnixSocketDirectory : IDisposable
{
    internal UnixSocketDirectory(string directoryPath, string socketPath) => (DirectoryPath, SocketPath) = (directoryPath, socketPath);

    public string DirectoryPath { get; }

    public string SocketPath { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(DirectoryPath, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
