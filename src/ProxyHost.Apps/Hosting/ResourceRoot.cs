using System.Text;
using System.Text.RegularExpressions;

namespace ProxyHost.Apps.Hosting;

/// <summary>
/// Maps resource paths (relative to <c>{service_id}/</c>) to files, as Narvi's <c>resource_roots</c> do:
/// <see cref="File"/> is a glob matched against the whole path, pointing at one file (Narvi's string key);
/// <see cref="Folder"/> is a <c>(prefix, glob)</c> pair pointing at a folder. Globs are fnmatch's, where
/// <c>*</c> also matches '/'. Unlike Narvi, a path that would leave the folder is never served.
/// </summary>
public sealed class ResourceRoot
{
    private readonly Regex _glob;

    private ResourceRoot(string? prefix, string glob, string path, bool isFolder)
    {
        Prefix = prefix;
        Glob = glob;
        Path = System.IO.Path.GetFullPath(path);
        IsFolder = isFolder;
        _glob = new Regex(GlobToRegex(glob), RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
    }

    public string? Prefix { get; }

    public string Glob { get; }

    /// <summary>The file (for <see cref="File"/>) or folder (for <see cref="Folder"/>), as an absolute path.</summary>
    public string Path { get; }

    public bool IsFolder { get; }

    /// <summary>Serves <paramref name="filePath"/> for every resource path matching <paramref name="urlGlob"/>, e.g. <c>"index.html"</c>.</summary>
    public static ResourceRoot File(string urlGlob, string filePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(urlGlob);
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        return new ResourceRoot(null, urlGlob, filePath, isFolder: false);
    }

    /// <summary>Serves <c>prefix/REST</c> from <c>folder/REST</c> when REST matches <paramref name="glob"/>; an empty prefix matches from the root.</summary>
    public static ResourceRoot Folder(string prefix, string glob, string folderPath)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentException.ThrowIfNullOrWhiteSpace(glob);
        ArgumentException.ThrowIfNullOrWhiteSpace(folderPath);
        return new ResourceRoot(prefix.Trim('/'), glob, folderPath, isFolder: true);
    }

    /// <summary>The file for <paramref name="resourcePath"/>, or null. Paths with '..', '.', '\', NUL or empty segments never match.</summary>
    public string? Resolve(string resourcePath)
    {
        if (!IsSafe(resourcePath))
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
        var root = Path.EndsWith('/') ? Path : Path + "/";
        var full = System.IO.Path.GetFullPath(System.IO.Path.Join(root, rest));
        return full.StartsWith(root, StringComparison.Ordinal) ? full : null;
    }

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
