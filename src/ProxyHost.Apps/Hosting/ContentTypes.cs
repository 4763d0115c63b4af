using System.Net.Mime;
using Microsoft.AspNetCore.StaticFiles;

namespace ProxyHost.Apps.Hosting;

/// <summary>The media type a resource is served with, from its file name's extension.</summary>
internal static class ContentTypes
{
    private static readonly FileExtensionContentTypeProvider Provider = new();

    public static string Of(string fileName) => Provider.TryGetContentType(fileName, out var type) ? type : MediaTypeNames.Application.Octet;
}
