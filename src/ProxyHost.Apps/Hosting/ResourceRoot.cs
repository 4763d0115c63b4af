using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace ProxyHost.Apps.Hosting;

/// <summary>
/// Maps resource paths (relative to <c>{service_id}/</c>) to files, as Narvi's <c>resource_roots</c> do:
/// <see cref="File"/> is a glob matched against the whole path, pointing at one file (Narvi's string key);
/// <see cref="Folder"/> is a <c>(prefix, glob)</c> pair pointing at a folder. Globs are fnmatch's, where
/// <c>*</c> also matches '/'. <see cref="Embedded"/> is like <see cref="File"/> but serves an assembly's manifest resource
/// from memory. Unlike Narvi, a path that would leave the folder is never served.
/// </summary>
public sealed class ResourceRoot
{
    private readonly Regex _glob;

    private ResourceRoot(string? prefix, string glob, string? path, bool isFolder, EmbeddedFile? embedded = null)
    {
        Prefix = prefix;
        Glob = glob;
        Path = path is null ? null : System.IO.Path.GetFullPath(path);
        IsFolder = isFolder;
        EmbeddedFile = embedded;
        _glob = new Regex(GlobToRegex(glob), RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
    }

    public string? Prefix { get; }

    public string Glob { get; }

    /// <summary>The file (for <see cref="File"/>) or folder (for <see cref="Folder"/>), as an absolute path; null for <see cref="Embedded"/>.</summary>
    public string? Path { get; }

    public bool IsFolder { get; }

    internal EmbeddedFile? EmbeddedFile { get; }

    /// <summary>Serves <paramref name="filePath"/> for every resource path matching <paramref name="urlGlob"/>, e.g. <c>"index.html"</c>.</summary>
    public static ResourceRoot File(string urlGlob, string filePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(urlGlob);
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        return new ResourceRoot(null, urlGlob, filePath, isFolder: false);
    }

    /// <summary>
    /// Serves the manifest resource <paramref name="resourceName"/> of <paramref name="assembly"/> for every resource path
    /// matching <paramref name="urlGlob"/>; it is read into memory now and never from disk.
    /// </summary>
    /// <exception cref="FileNotFoundException">The assembly has no resource of that name.</exception>
    public static ResourceRoot Embedded(string urlGlob, Assembly assembly, string resourceName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(urlGlob);
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentException.ThrowIfNullOrWhiteSpace(resourceName);
        return new ResourceRoot(null, urlGlob, null, isFolder: false, EmbeddedFile.Read(assembly, resourceName));
    }

    /// <summary>Serves <c>prefix/REST</c> from <c>folder/REST</c> when REST matches <paramref name="glob"/>; an empty prefix matches from the root.</summary>
    public static ResourceRoot Folder(string prefix, string glob, string folderPath)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentException.ThrowIfNullOrWhiteSpace(glob);
        ArgumentException.ThrowIfNullOrWhiteSpace(folderPath);
        return new ResourceRoot(prefix.Trim('/'), glob, folderPath, isFolder: true);
    }

    /// <summary>
    /// The file for <paramref name="resourcePath"/>, or null (always for <see cref="Embedded"/>). Paths with '..', '.', '\',
    /// NUL or empty segments never match.
    /// </summary>
    public string? Resolve(string resourcePath)
    {
        if (EmbeddedFile is not null || !IsSafe(resourcePath))
        {
            return null;
        }
        if (!IsFolder)
        {
            return _glob.IsMatch(resourcePath) ? Path : null;
        }
        var rest = resourcePath;
        if (Prefix is { Length: > 0 } prefix)
        {
            if (!resourcePath.StartsWith(prefix + "/", StringComparison.Ordinal))
            {
                return null;
            }
            rest = resourcePath[(prefix.Length + 1)..];
        }
        if (rest.Length == 0 || !_glob.IsMatch(rest))
        {
            return null;
        }
        var root = Path!.EndsWith('/') ? Path : Path + "/";
        var full = System.IO.Path.GetFullPath(System.IO.Path.Join(root, rest));
        return full.StartsWith(root, StringComparison.Ordinal) ? full : null;
    }

    /// <summary>The in-memory resource for <paramref name="resourcePath"/>, or null (always for file and folder roots).</summary>
    internal EmbeddedFile? ResolveEmbedded(string resourcePath) =>
        EmbeddedFile is not null && IsSafe(resourcePath) && _glob.IsMatch(resourcePath) ? EmbeddedFile : null;

    internal static bool IsSafe(string path) =>
        path.Length > 0 && !path.StartsWith('/') && !path.Contains('\\', StringComparison.Ordinal) && !path.Contains('\0', StringComparison.Ordinal)
        && path.Split('/').All(s => s.Length > 0 && s is not ("." or ".."));

    private static string GlobToRegex(string glob)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            switch (c)
            {
                case '*':
                    regex.Append(".*");
                    break;
                case '?':
                    regex.Append('.');
                    break;
                case '[' when glob.IndexOf(']', i + 1) is var end and > 0:
                    var set = glob[(i + 1)..end];
                    regex.Append('[').Append(set.StartsWith('!') ? "^" + Regex.Escape(set[1..]) : Regex.Escape(set)).Append(']');
                    i = end;
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
        return regex.Append('$').ToString();
    }
}
