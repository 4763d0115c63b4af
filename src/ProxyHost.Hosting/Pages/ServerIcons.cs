using Microsoft.AspNetCore.Http;
using ProxyHost.Catalog;

namespace ProxyHost.Hosting.Pages;

/// <summary>
/// Serves a server's launcher icon (<c>launcher_entry.icon_path</c>) for both the launcher page
/// (<c>&lt;base_url&gt;_/icons/NAME</c>) and jupyter-server-proxy's <c>server-proxy/icon/NAME</c>; only
/// configured files are ever read.
/// </summary>
internal static class ServerIcons
{
    public static IResult Get(HttpContext context, string name, IServerProcessCatalog catalog)
    {
        if (catalog.Current.Find(name)?.LauncherEntry.IconPath is not { } iconPath
            || Path.GetFullPath(iconPath) is var path && !File.Exists(path))
        {
            return Results.NotFound();
        }
        context.Response.Headers.XContentTypeOptions = "nosniff";
        // An SVG opened directly is a document; keep any script in it from running under ProxyHost's origin.
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
        return Results.File(path, ContentType(path));
    }

    /// <summary>The Content-Type of an icon file, from its extension as jupyter-server-proxy guesses it.</summary>
    public static string ContentType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".gif" => "image/gif",
        ".ico" => "image/x-icon",
        ".webp" => "image/webp",
        ".gz" or ".svgz" => "application/gzip",
        _ => "application/octet-stream",
    };
}
