using System.IO.Compression;
using System.Security.Cryptography;
using System.Xml.Linq;

namespace ProxyHost.Hosting.Plugins;

/// <summary>
/// Makes a NuGet-packed plugin loadable: unpacks the package's best <c>lib/&lt;tfm&gt;/</c> folder into a
/// cache directory named by the package's content hash (so a changed package is unpacked afresh and an
/// unchanged one is not unpacked twice), and returns the path of <c>&lt;id&gt;.dll</c> there.
/// </summary>
internal static class NuGetPackageExtractor
{
    // Frameworks this host can load, best first.
    private static readonly string[] CompatibleFrameworks =
        ["net10.0", "net9.0", "net8.0", "net7.0", "net6.0", "netstandard2.1", "netstandard2.0"];

    public static string CacheRoot { get; } = Path.Combine(Path.GetTempPath(), "proxyhost-plugin-packages");

    /// <exception cref="InvalidDataException">The file is not a package, or has no assembly this host can load.</exception>
    public static string Extract(string packagePath)
    {
        using var archive = ZipFile.OpenRead(packagePath);
        var id = ReadPackageId(archive)
            ?? throw new InvalidDataException("it has no .nuspec naming the package id");
        var framework = CompatibleFrameworks.FirstOrDefault(f => archive.Entries.Any(e => InFolder(e, f)))
            ?? throw new InvalidDataException($"it has no lib/ folder for {string.Join(", ", CompatibleFrameworks)}");

        var target = Path.Combine(CacheRoot, $"{id}-{ContentHash(packagePath)}");
        var assembly = Path.Combine(target, id + ".dll");
        if (!File.Exists(assembly))
        {
            var staging = target + ".tmp-" + Environment.ProcessId;
            Directory.CreateDirectory(staging);
            foreach (var entry in archive.Entries.Where(e => InFolder(e, framework) && e.Name.Length > 0))
            {
                // Entry names come from the package: only the file name is used, so none can escape the folder.
                entry.ExtractToFile(Path.Combine(staging, entry.Name), overwrite: true);
            }
            if (!File.Exists(Path.Combine(staging, id + ".dll")))
            {
                Directory.Delete(staging, recursive: true);
                throw new InvalidDataException($"lib/{framework}/ has no {id}.dll");
            }
            MoveIntoPlace(staging, target);
        }
        return assembly;
    }

    private static void MoveIntoPlace(string staging, string target)
    {
        try
        {
            Directory.Move(staging, target);
        }
        catch (IOException) when (Directory.Exists(target))
        {
            // Another ProxyHost unpacked the same package at the same moment; its copy is identical.
            Directory.Delete(staging, recursive: true);
        }
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

    private static string ContentHash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream))[..16];
    }
}
