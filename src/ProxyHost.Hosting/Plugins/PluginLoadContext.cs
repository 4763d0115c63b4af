using System.Reflection;
using System.Runtime.Loader;

namespace ProxyHost.Hosting.Plugins;

/// <summary>
/// A load context for one plugin or app assembly: its own dependencies from its folder, ProxyHost's and
/// the framework's assemblies shared, so contract types (IProxyHostPlugin, IWebAppServices) are the host's.
/// </summary>
internal sealed class PluginLoadContext(string path) : AssemblyLoadContext(Path.GetFileNameWithoutExtension(path), isCollectible: false)
{
    private readonly AssemblyDependencyResolver _resolver = new(path);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // Share whatever the host already has (ProxyHost.*, ASP.NET, YARP): one IProxyHostPlugin type.
        if (Default.Assemblies.Any(a => AssemblyName.ReferenceMatchesDefinition(assemblyName, a.GetName()))
            || assemblyName.Name?.StartsWith("ProxyHost.", StringComparison.Ordinal) == true)
        {
            return null;
        }
        return _resolver.ResolveAssemblyToPath(assemblyName) is { } resolved ? LoadFromAssemblyPath(resolved) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
        _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } resolved ? LoadUnmanagedDllFromPath(resolved) : IntPtr.Zero;
}
