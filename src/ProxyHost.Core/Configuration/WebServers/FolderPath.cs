using System.Runtime.InteropServices;

namespace ProxyHost.Configuration;

/// <summary>Folder paths compared as the file system sees them: full, without a trailing separator, symbolic links resolved.</summary>
internal static partial class FolderPath
{
    /// <summary>
    /// The full path with symbolic links resolved (<c>realpath</c>) along the longest part that exists;
    /// the part that does not exist yet is appended as written.
    /// </summary>
    public static string Canonical(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var existing = full;
        while (!Path.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
        {
            existing = parent;
        }
        var rest = full[existing.Length..].TrimStart(Path.DirectorySeparatorChar);
        return rest.Length == 0 ? Resolve(existing) : Path.Combine(Resolve(existing), rest);
    }

    /// <summary>True when <paramref name="folder"/> is <paramref name="root"/> or lies below it (both canonical).</summary>
    public static bool IsSameOrInside(string folder, string root)
    {
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return folder.Equals(root, comparison)
            || folder.StartsWith(Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar, comparison);
    }

    /// <summary>The same folder as written (full paths, ignoring a trailing separator), as a site's layout matches its upload mount.</summary>
    public static bool SameAsWritten(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)), StringComparison.Ordinal);

    private static string Resolve(string existing)
    {
        if (OperatingSystem.IsWindows())
        {
            return existing;
        }
        var resolved = RealPath(existing, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
        {
            return existing;
        }
        try
        {
            return Marshal.PtrToStringUTF8(resolved) ?? existing;
        }
        finally
        {
            Free(resolved);
        }
    }

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr RealPath(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(IntPtr pointer);
}
