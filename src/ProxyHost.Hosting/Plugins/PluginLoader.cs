using System.Reflection;
using System.Runtime.Loader;
using ProxyHost.Plugins;

namespace ProxyHost.Hosting.Plugins;

/// <summary>One plugin instance and the file it came from.</summary>
public sealed record LoadedPlugin(string File, IProxyHostPlugin Plugin);

/// <summary>
/// Finds plugins explicitly: every <c>*.dll</c> directly in a plugins folder, <c>NAME/NAME.dll</c> in its
/// subfolders (a library copied there with its dependencies), and every <c>*.nupkg</c> (a NuGet-packed
/// library, unpacked into the private state folder and checked against the package by
/// <see cref="NuGetPackageExtractor"/>). Each
/// plugin gets its own load context; ProxyHost's and the framework's assemblies are shared so the
/// plugin's <see cref="IProxyHostPlugin"/> is ProxyHost's. A file that fails to load is skipped with a
/// warning naming it.
/// </summary>
public static class PluginLoader
{
    public static IReadOnlyList<LoadedPlugin> Load(string directory, ICollection<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(warnings);
        var plugins = new List<LoadedPlugin>();
        if (!Directory.Exists(directory))
        {
            warnings.Add($"plugins folder {directory} does not exist; no plugins loaded from it");
            return plugins;
        }

        var files = Directory.GetFiles(directory, "*.dll").Order(StringComparer.Ordinal)
            .Concat(Directory.GetDirectories(directory).Order(StringComparer.Ordinal)
                .Select(d => Path.Combine(d, Path.GetFileName(d) + ".dll")).Where(File.Exists));
        foreach (var file in files.Concat(Directory.GetFiles(directory, "*.nupkg").Order(StringComparer.Ordinal)))
        {
            try
            {
                var path = file.EndsWith(".nupkg", StringComparison.OrdinalIgnoreCase) ? NuGetPackageExtractor.Extract(file, warnings) : Path.GetFullPath(file);
                var context = new PluginLoadContext(path);
                var assembly = context.LoadFromAssemblyPath(path);
                var found = 0;
                foreach (var type in assembly.GetExportedTypes().Where(IsPlugin))
                {
                    plugins.Add(new LoadedPlugin(file, (IProxyHostPlugin)Activator.CreateInstance(type)!));
                    found++;
                }
                if (found == 0)
                {
                    warnings.Add($"plugin {file} skipped: it has no public class implementing {nameof(IProxyHostPlugin)} with a parameterless constructor");
                }
            }
            catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException or ReflectionTypeLoadException
                or TypeLoadException or TargetInvocationException or MissingMethodException or IOException or InvalidDataException)
            {
                warnings.Add($"plugin {file} skipped: {(e.InnerException ?? e).Message.ReplaceLineEndings(" ")}");
            }
        }
        return plugins;
    }

    private static bool IsPlugin(Type type) =>
        type is { IsClass: true, IsAbstract: false } && typeof(IProxyHostPlugin).IsAssignableFrom(type) && type.GetConstructor(Type.EmptyTypes) is not null;
}
