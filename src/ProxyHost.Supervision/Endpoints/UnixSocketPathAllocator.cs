using System.Security.Cryptography;
using System.Text;
using ProxyHost.Security;

namespace ProxyHost.Supervision.Endpoints;

/// <summary>
/// Creates a fresh private directory (mode 0700) per server start, <c>&lt;server name&gt;-&lt;random hex&gt;</c> under
/// the <c>sockets</c> folder of ProxyHost's private state, and puts the socket at <c>&lt;dir&gt;/socket</c>.
/// </summary>
/// <remarks>
/// A socket path must fit in <c>sun_path</c> (<see cref="MaxSocketPathBytes"/> bytes). When the state folder is deep,
/// the server name in the folder's name is shortened (it is only there for people reading a listing); when even a
/// one-letter name does not fit, the start fails with a message naming the path and <c>PROXYHOST_STATE_DIR</c>.
/// There is deliberately no fallback to the shared temp folder: a predictable folder there is what another user
/// could take first.
/// </remarks>
internal sealed class UnixSocketPathAllocator
{
    /// <summary>The longest socket path Linux accepts: <c>sun_path</c> is 108 bytes with the terminating NUL.</summary>
    public const int MaxSocketPathBytes = 107;

    private const int MaxNameLength = 32;
    private const string SocketFileName = "socket";
    private const int RandomHexLength = 12;

    private readonly Func<string> _root;

    public UnixSocketPathAllocator()
        : this(() => PrivateState.Directory("sockets"))
    {
    }

    /// <param name="root">Where the socket folders go; a checked private folder.</param>
    internal UnixSocketPathAllocator(Func<string> root) => _root = root;

    /// <summary>Creates the directory; dispose the result to delete it again.</summary>
    /// <exception cref="PrivateStateException">The state folder is not private, or too deep for a socket path.</exception>
    public UnixSocketDirectory Allocate(string serverName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serverName);
        var root = _root();
        // root + "/" + name + "-" + hex + "/" + "socket"
        var room = MaxSocketPathBytes - Encoding.UTF8.GetByteCount(root) - RandomHexLength - SocketFileName.Length - 3;
        if (room < 1)
        {
            throw new PrivateStateException(
                $"the private folder {root} is too long for Unix socket paths (at most {MaxSocketPathBytes} bytes); set ${PrivateState.OverrideVariable} to a shorter private folder");
        }
        var safeName = new string([.. serverName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').Take(Math.Min(MaxNameLength, room))]);
        for (var attempt = 0; ; attempt++)
        {
            var directory = Path.Combine(root, $"{safeName}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(RandomHexLength / 2))}");
            if (Directory.Exists(directory) && attempt < 10)
            {
                continue;
            }
            PrivateState.Ensure(directory);
            return new UnixSocketDirectory(directory, Path.Combine(directory, SocketFileName));
        }
    }
}

/// <summary>A private socket directory; disposing deletes it with everything in it.</summary>
internal sealed class UnixSocketDirectory : IDisposable
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
