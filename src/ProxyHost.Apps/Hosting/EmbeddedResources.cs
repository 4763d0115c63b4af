using System.Collections.Concurrent;
using System.Reflection;
using ProxyHost.Security;

namespace ProxyHost.Apps.Hosting;

/// <summary>
/// Files shipped inside assemblies: the browser client <c>narvi.js</c>, the monitor app's page, and
/// <see cref="GetPathOfResource(Assembly, string)"/> for app assemblies (Narvi's <c>get_path_of_resource</c>).
/// </summary>
public static class EmbeddedResources
{
    private static readonly ConcurrentDictionary<(Assembly, string), string> Extracted = new();

    internal static EmbeddedFile NarviJs { get; } = EmbeddedFile.Read(typeof(EmbeddedResources).Assembly, "narvi.js", "text/javascript; charset=utf-8");

    /// <summary>
    /// The folder an assembly was loaded from, or the path of <paramref name="resource"/> in it: a file next
    /// to the assembly if there is one, else an embedded resource of that name (written once per process into
    /// ProxyHost's private state folder). To serve an embedded resource, <see cref="ResourceRoot.Embedded"/> needs
    /// no file at all.
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
        var bytes = EmbeddedFile.Read(assembly, resource).Content;
        var root = PrivateState.Directory("resources", assembly.ManifestModule.ModuleVersionId.ToString("N"));
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
}
