using Microsoft.AspNetCore.Http;
using ProxyHost.Catalog;

namespace ProxyHost.Hosting.Pages;

/// <summary>Serves a server's launcher icon (<c>launcher_entry.icon_path</c>) at <c>&lt;base_url&gt;_/icons/NAME</c>; only configured files are ever read.</summary>
internal static class ServerIcons
{
    public static IResult Get(HttpContext context, string name, IServerProcessCatalog catalog)
    {
        if (catalog.Current.Find(name)?.LauncherEntry.IconPath is not { } path || !File.Exists(path))
        {
            return Results.NotFound();
        }
        var type = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".svg" => "image/svg+xml",
            ".png" => "image/png",
            ".jpg" or ".jpeg" => "image/jpeg",
            ".gif" => "image/gif",
            ".ico" => "image/x-icon",
            ".webp" => "image/webp",
            _ => "application/octet-stream",
        };
        // An SVG opened directly must not run script in ProxyHost's origin.
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
        return Results.File(path, type);
    }
}
