using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace ProxyHost.Messaging.Server;

/// <summary>
/// Streams files from a site folder (real bodies, unlike the seed's X-Sendfile). Paths go through
/// <see cref="PhysicalFileProvider"/>, which refuses <c>..</c>, absolute paths and dot files. Upload
/// folders hold what clients sent, so their files are sandboxed and, unless plain media, downloaded.
/// </summary>
internal static class SiteFiles
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static IResult Serve(HttpContext context, string folder, string? path, bool untrusted)
    {
        if (string.IsNullOrEmpty(path) || !Directory.Exists(folder))
        {
            return Results.NotFound();
        }
        using var provider = new PhysicalFileProvider(folder);
        var file = provider.GetFileInfo(path);
        if (!file.Exists || file.IsDirectory || file.PhysicalPath is null)
        {
            return Results.NotFound();
        }
        var contentType = ContentTypes.TryGetContentType(file.Name, out var known) ? known : "application/octet-stream";
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "max-age=120";
        if (untrusted)
        {
            headers.ContentSecurityPolicy = "sandbox";
            if (!IsPassiveMedia(contentType))
            {
                return Results.File(file.PhysicalPath, contentType, fileDownloadName: file.Name, enableRangeProcessing: true);
            }
        }
        return Results.File(file.PhysicalPath, contentType, enableRangeProcessing: true);
    }

    private static bool IsPassiveMedia(string contentType) =>
        contentType is "image/png" or "image/jpeg" or "image/gif" or "image/bmp" or "image/webp" or "image/tiff" or "text/plain"
        || contentType.StartsWith("audio/", StringComparison.Ordinal) || contentType.StartsWith("video/", StringComparison.Ordinal);
}
