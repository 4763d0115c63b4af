using System.Collections.Concurrent;
using System.Reflection;

namespace ProxyHost.Apps.Hosting;

/// <summary>
/// Files shipped inside assemblies: the browser client <c>narvi.js</c>, the monitor app's page, and
/// <see cref="GetPathOfResource(Assembly, string)"/> for app assemblies (Narvi's <c>get_path_of_resource</c>).
/// </summary>
public static class EmbeddedResources
{
    private static readonly ConcurrentDictionary<(Assembly, string), string> Extracted = new();

    internal static byte[] NarviJs { get; } = Read(typeof(EmbeddedResources).Assembly, "narvi.js");

    /// <summary>
    /// The folder an assembly was loaded from, or the path of <paramref name="resource"/> in it: a file next
    /// to the assembly if there is one, else an embedded resource of that name (extracted once to a private
    /// temporary folder).
    /// </summary>
    /// <exception cref="FileNotFoundException">Neither a file nor an embedded resource of that name exists.</exception>
    public static string GetPathOfResource(Assembly assembly, string resource = "")
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentNullException.ThrowIfNull(resource);
        var folder = string.IsNullOrEmpty(assembly.Location) ? AppContext.BaseDirectory : Path.GetDirectoryName(assembly.Location)!;
        if (resource.Length == 0)
        {
            return folder;
        }
        var onDisk = Path.Combine(folder, resource);
        if (File.Exists(onDisk) || Directory.Exists(onDisk))
        {
            return onDisk;
        }
        return Extracted.GetOrAdd((assembly, resource), key => Extract(key.Item1, key.Item2));
    }

    /// <summary>Looks the assembly up by simple name among the loaded ones.</summary>
    public static string GetPathOfResource(string assemblyName, string resource = "")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(assemblyName);
        var assembly = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == assemblyName)
            ?? throw new FileNotFoundException($"no loaded assembly is named '{assemblyName}'");
        return GetPathOfResource(assembly, resource);
    }

    private static string Extract(Assembly assembly, string resource)
    {
        var bytes = Read(assembly, resource);
        var root = Path.Combine(Path.GetTempPath(), $"proxyhost-apps-{Environment.UserName}", assembly.ManifestModule.ModuleVersionId.ToString("N"));
        var path = Path.GetFullPath(Path.Combine(root, resource));
        if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new FileNotFoundException($"resource '{resource}' is not a relative path");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + "." + Guid.NewGuid().ToString("N");
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new FileNotFoundException($"assembly {assembly.GetName().Name} has no file or embedded resource '{name}'");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
