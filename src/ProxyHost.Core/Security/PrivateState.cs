using System.Runtime.InteropServices;

namespace ProxyHost.Security;

/// <summary>
/// The per-user private folder for everything ProxyHost writes and later trusts (unpacked plugins,
/// Unix-socket folders, lock files, records of started processes). It is
/// <c>$PROXYHOST_STATE_DIR</c>, else <c>$XDG_RUNTIME_DIR/proxyhost</c>, else <c>~/.cache/proxyhost</c>;
/// every folder handed out is created 0700 and checked before use: one owned by another user, one
/// that group or others may write, or a symbolic link is refused with a <see cref="PrivateStateException"/>.
/// </summary>
public static partial class PrivateState
{
    /// <summary>Environment variable that moves the private folder (tests, unusual layouts).</summary>
    public const string OverrideVariable = "PROXYHOST_STATE_DIR";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The private root folder, created and checked.</summary>
    public static string Root => Ensure(RootPath());

    /// <summary>A folder under <see cref="Root"/> (each segment created 0700 and checked).</summary>
    public static string Directory(params string[] segments)
    {
        var path = Root;
        foreach (var segment in segments)
        {
            if (segment.Length == 0 || segment is "." or ".." || segment.IndexOfAny(['/', '\\', '\0']) >= 0)
            {
                throw new ArgumentException($"'{segment}' is not a single folder name", nameof(segments));
            }
            path = Ensure(Path.Combine(path, segment));
        }
        return path;
    }

    /// <summary>Where the root would be, without creating or checking it.</summary>
    public static string RootPath()
    {
        var configured = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            return Path.GetFullPath(configured);
        }
        var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        if (!string.IsNullOrEmpty(runtime) && Path.IsPathRooted(runtime) && IsOwnPrivateFolder(runtime))
        {
            return Path.Combine(runtime, "proxyhost");
        }
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(cache) || !Path.IsPathRooted(cache))
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            if (string.IsNullOrEmpty(home))
            {
                throw new PrivateStateException($"cannot find a private folder for ProxyHost's state: set ${OverrideVariable}, $XDG_RUNTIME_DIR or $HOME");
            }
            cache = Path.Combine(home, ".cache");
        }
        return Path.Combine(cache, "proxyhost");
    }

    /// <summary>Creates <paramref name="path"/> 0700 if missing, then checks owner, mode and type.</summary>
    public static string Ensure(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(path);
            return path;
        }
        try
        {
            if (!System.IO.Directory.Exists(path))
            {
                System.IO.Directory.CreateDirectory(path, OwnerOnly);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PrivateStateException($"cannot create the private folder {path}: {ex.Message}");
        }
        Verify(path);
        return path;
    }

    /// <summary>Throws unless <paramref name="path"/> is a real folder of this user that nobody else may write.</summary>
    public static void Verify(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var info = Inspect(path) ?? throw new PrivateStateException($"the private folder {path} does not exist");
        if (!info.IsDirectory)
        {
            throw new PrivateStateException($"refusing {path}: it must be a folder, not a symbolic link or a file");
        }
        if (info.Owner is { } owner && owner != EffectiveUserId())
        {
            throw new PrivateStateException($"refusing {path}: it belongs to user {owner}, not to this user ({EffectiveUserId()}); remove it or set ${OverrideVariable}");
        }
        if ((info.Mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            throw new PrivateStateException($"refusing {path}: group or others may write to it (mode {Octal(info.Mode)}); run 'chmod 700 {path}'");
        }
        if ((info.Mode & (UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute)) != 0)
        {
            File.SetUnixFileMode(path, OwnerOnly);
        }
    }

    /// <summary>True when <paramref name="path"/> is a folder of this user that nobody else may write.</summary>
    public static bool IsOwnPrivateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return System.IO.Directory.Exists(path);
        }
        var info = Inspect(path);
        return info is { IsDirectory: true }
            && (info.Owner is null || info.Owner == EffectiveUserId())
            && (info.Mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) == 0;
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');

    private sealed record FolderInfo(bool IsDirectory, uint? Owner, UnixFileMode Mode);

    private static FolderInfo? Inspect(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            // statx's layout is the same on every Linux architecture, unlike struct stat.
            Span<byte> buffer = stackalloc byte[256];
            if (Statx(AtCurrentDirectory, path, AtSymlinkNoFollow, StatxBasicStats, ref MemoryMarshal.GetReference(buffer)) != 0)
            {
                return null;
            }
            var owner = BitConverter.ToUInt32(buffer[20..24]);
            var mode = BitConverter.ToUInt16(buffer[28..30]);
            return new FolderInfo((mode & 0xF000) == 0x4000, owner, (UnixFileMode)(mode & 0xFFF));
        }
        if (OperatingSystem.IsWindows() || !Path.Exists(path))
        {
            return null;
        }
        var attributes = File.GetAttributes(path);
        return new FolderInfo(
            attributes.HasFlag(FileAttributes.Directory) && !attributes.HasFlag(FileAttributes.ReparsePoint),
            null,
            File.GetUnixFileMode(path));
    }

    private static uint EffectiveUserId() => OperatingSystem.IsWindows() ? 0 : GetEffectiveUserId();

    private const int AtCurrentDirectory = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, ref byte buffer);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();
}

/// <summary>ProxyHost's private folder is missing, foreign or open to others; the message is one line for the user.</summary>
public sealed class PrivateStateException(string message) : Exception(message);
