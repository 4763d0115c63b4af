using System.IO.Compression;
using System.Security.Cryptography;
using System.Xml.Linq;
using ProxyHost.Security;

namespace ProxyHost.Hosting.Plugins;

/// <summary>
/// Makes a NuGet-packed plugin loadable: unpacks the package's best <c>lib/&lt;tfm&gt;/</c> folder into the
/// private state folder (<c>plugins/&lt;id&gt;-&lt;package hash&gt;</c>, so a changed package is unpacked afresh and an
/// unchanged one is not unpacked twice), and returns the path of <c>&lt;id&gt;.dll</c> there. Before that path is
/// returned the unpacked folder is compared with the package, file by file (SHA-256): a copy that differs — a
/// file changed, missing or added — is replaced by a fresh one, so only the package's own code is ever loaded.
/// Dependencies are loaded from the folder later, on demand; being 0700 in the private state folder, it can only
/// have been changed since the check by this user.
/// </summary>
internal static class NuGetPackageExtractor
{
    // Frameworks this host can load, best first.
    private static readonly string[] CompatibleFrameworks =
        ["net10.0", "net9.0", "net8.0", "net7.0", "net6.0", "netstandard2.1", "netstandard2.0"];

    // One check of an existing copy, and one of each of two fresh unpackings (a concurrent ProxyHost may replace one).
    private const int Attempts = 3;

    /// <exception cref="InvalidDataException">The file is not a package, or has no assembly this host can load.</exception>
    /// <exception cref="PrivateStateException">The private state folder is not this user's alone.</exception>
    public static string Extract(string packagePath, ICollection<string> warnings)
    {
        using var archive = ZipFile.OpenRead(packagePath);
        var id = ReadPackageId(archive)
            ?? throw new InvalidDataException("it has no .nuspec naming the package id");
        var framework = CompatibleFrameworks.FirstOrDefault(f => archive.Entries.Any(e => InFolder(e, f)))
            ?? throw new InvalidDataException($"it has no lib/ folder for {string.Join(", ", CompatibleFrameworks)}");
        var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        foreach (var entry in archive.Entries.Where(e => InFolder(e, framework) && e.Name.Length > 0))
        {
            entries[entry.Name] = entry; // as when unpacking, the last of two same-named entries wins
        }
        if (!entries.ContainsKey(id + ".dll"))
        {
            throw new InvalidDataException($"lib/{framework}/ has no {id}.dll");
        }
        var expected = entries.ToDictionary(e => e.Key, e => Sha256(e.Value.Open()), StringComparer.Ordinal);

        var target = Path.Combine(PrivateState.Directory("plugins"), $"{id}-{Sha256(File.OpenRead(packagePath))[..16]}");
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            if (Directory.Exists(target))
            {
                PrivateState.Verify(target);
                if (Difference(target, expected) is not { } difference)
                {
                    return Path.Combine(target, id + ".dll");
                }
                warnings.Add($"plugin {packagePath}: the unpacked copy in {target} does not match the package ({difference}); unpacking it again");
                Discard(target);
            }
            Unpack(entries.Values, target);
        }
        throw new InvalidDataException($"its unpacked copy in {target} kept changing while it was checked");
    }

    /// <summary>What differs between the folder and the package's files, or null when they are the same.</summary>
    private static string? Difference(string folder, Dictionary<string, string> expected)
    {
        var present = Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        if (present.FirstOrDefault(name => !expected.ContainsKey(name!)) is { } extra)
        {
            return $"{extra} is not in the package";
        }
        foreach (var (name, hash) in expected)
        {
            var path = Path.Combine(folder, name);
            if (!present.Contains(name) || !File.Exists(path))
            {
                return $"{name} is missing";
            }
            if (File.GetAttributes(path).HasFlag(FileAttributes.ReparsePoint))
            {
                return $"{name} is a symbolic link"; // its target could change after the check
            }
            if (Sha256(File.OpenRead(path)) != hash)
            {
                return $"{name} was changed";
            }
        }
        return null;
    }

    private static void Unpack(IEnumerable<ZipArchiveEntry> entries, string target)
    {
        var staging = PrivateState.Ensure($"{target}.tmp-{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
        foreach (var entry in entries)
        {
            // Entry names come from the package: only the file name is used, so none can escape the folder.
            entry.ExtractToFile(Path.Combine(staging, entry.Name), overwrite: true);
        }
        try
        {
            Directory.Move(staging, target);
        }
        catch (IOException) when (Directory.Exists(target))
        {
            // Another ProxyHost unpacked the same package at the same moment; its copy is checked like any other.
            Directory.Delete(staging, recursive: true);
        }
    }

    // Renamed first, so no other ProxyHost loads from a half-deleted folder.
    private static void Discard(string folder)
    {
        var doomed = $"{folder}.old-{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        try
        {
            Directory.Move(folder, doomed);
        }
        catch (DirectoryNotFoundException)
        {
            return; // another ProxyHost discarded it first
        }
        Directory.Delete(doomed, recursive: true);
    }

    private static bool InFolder(ZipArchiveEntry entry, string framework) =>
        entry.FullName.StartsWith($"lib/{framework}/", StringComparison.OrdinalIgnoreCase)
        && !entry.FullName[($"lib/{framework}/".Length)..].Contains('/');

    private static string? ReadPackageId(ZipArchive archive)
    {
        var nuspec = archive.Entries.FirstOrDefault(e => !e.FullName.Contains('/') && e.Name.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase));
        if (nuspec is null)
        {
            return null;
        }
        using var stream = nuspec.Open();
        var id = XDocument.Load(stream).Descendants().FirstOrDefault(e => e.Name.LocalName == "id")?.Value.Trim();
        return string.IsNullOrEmpty(id) || id.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 ? null : id;
    }

    private static string Sha256(Stream stream)
    {
        using (stream)
        {
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        }
    }
}
