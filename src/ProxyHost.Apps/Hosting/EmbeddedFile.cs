using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ProxyHost.Apps.Hosting;

/// <summary>
/// A manifest resource read into memory once and served from there, so what the browser gets is always the
/// assembly's own copy, never a file someone could have replaced on disk.
/// </summary>
internal sealed class EmbeddedFile
{
    private EmbeddedFile(byte[] content, string contentType)
    {
        Content = content;
        ContentType = contentType;
        Tag = new EntityTagHeaderValue('"' + Convert.ToHexStringLower(SHA256.HashData(content))[..16] + '"');
    }

    public byte[] Content { get; }

    public string ContentType { get; }

    public EntityTagHeaderValue Tag { get; }

    /// <exception cref="FileNotFoundException">The assembly has no resource of that name.</exception>
    public static EmbeddedFile Read(Assembly assembly, string name, string? contentType = null)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new FileNotFoundException($"assembly {assembly.GetName().Name} has no file or embedded resource '{name}'");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return new EmbeddedFile(copy.ToArray(), contentType ?? ContentTypes.Of(name));
    }

    public Task ServeAsync(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-cache";
        return Results.Bytes(Content, ContentType, entityTag: Tag).ExecuteAsync(context);
    }
}
