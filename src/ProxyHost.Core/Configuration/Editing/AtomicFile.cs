namespace ProxyHost.Configuration;

/// <summary>Replaces a file so readers see the old or the new content, never a torn write.</summary>
internal static class AtomicFile
{
    /// <summary>Follows a symbolic link so the link survives and its target is what changes.</summary>
    public static string ResolveTarget(string path)
    {
        var fullPath = Path.GetFullPath(path);
        var target = File.Exists(fullPath) ? new FileInfo(fullPath).ResolveLinkTarget(returnFinalTarget: true) : null;
        return target?.FullName ?? fullPath;
    }

    /// <summary>
    /// Writes a temp file in the same directory, flushes it to disk, gives it the original file's mode
    /// (0600 for a new file) and renames it over <paramref name="path"/> (rename is atomic within one file
    /// system). The temp file is created 0600, so what it holds is never readable by others meanwhile.
    /// </summary>
    public static void Write(string path, ReadOnlySpan<byte> contents)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, OwnerOnlyNewFile()))
            {
                stream.Write(contents);
                stream.Flush(flushToDisk: true);
            }
            if (!OperatingSystem.IsWindows() && File.Exists(path))
            {
                File.SetUnixFileMode(temp, File.GetUnixFileMode(path));
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private static FileStreamOptions OwnerOnlyNewFile()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        return options;
    }
}
