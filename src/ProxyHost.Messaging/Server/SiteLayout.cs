using ProxyHost.Configuration;

namespace ProxyHost.Messaging.Server;

/// <summary>
/// The folders a site serves, resolved once from <see cref="MessagingOptions"/>: the static folder, the
/// index page, the mounts, and the upload folder with the mount that serves it back.
/// </summary>
internal sealed record SiteLayout(string? StaticFolder, IReadOnlyList<string> IndexCandidates, IReadOnlyList<SiteMount> Mounts, SiteMount? Uploads)
{
    private const string DefaultUploadPrefix = "uploads";

    /// <exception cref="ArgumentException">A mount prefix is invalid or two overlap.</exception>
    public static SiteLayout From(MessagingOptions options)
    {
        var root = options.Root is null ? null : Path.GetFullPath(options.Root);
        var mounts = new List<SiteMount>();
        foreach (var (folder, rawPrefix) in options.Mounts)
        {
            var prefix = WebServerMountPrefix.Normalize(rawPrefix);
            if (WebServerMountPrefix.Validate(prefix) is { } problem)
            {
                throw new ArgumentException($"mount '{folder}': {problem}", nameof(options));
            }
            if (mounts.FirstOrDefault(m => WebServerMountPrefix.Overlap(m.Prefix, prefix)) is { } clash)
            {
                throw new ArgumentException($"mount '{folder}': the prefix '{prefix}' overlaps the mount of '{clash.Folder}'", nameof(options));
            }
            mounts.Add(new SiteMount(Path.GetFullPath(folder), prefix, IsUploads: false));
        }

        // The seed's rule: without an explicit folder, the last mount whose folder or prefix says "upload".
        var uploadFolder = options.UploadDirectory is { } explicitFolder
            ? Path.GetFullPath(explicitFolder)
            : mounts.LastOrDefault(m => m.Folder.Contains("upload", StringComparison.OrdinalIgnoreCase) || m.Prefix.Contains("upload", StringComparison.OrdinalIgnoreCase))?.Folder;
        SiteMount? uploads = null;
        if (uploadFolder is not null)
        {
            if (UploadFolderRule.Check(uploadFolder, root, mounts.Select(m => m.Folder)) is { } problem)
            {
                throw new ArgumentException(problem, nameof(options));
            }
            var index = mounts.FindIndex(m => PathsEqual(m.Folder, uploadFolder));
            if (index < 0)
            {
                if (mounts.Any(m => WebServerMountPrefix.Overlap(m.Prefix, DefaultUploadPrefix)))
                {
                    throw new ArgumentException($"the upload folder {uploadFolder} has no mount, and '{DefaultUploadPrefix}' is taken; mount it yourself", nameof(options));
                }
                mounts.Add(new SiteMount(uploadFolder, DefaultUploadPrefix, IsUploads: true));
                index = mounts.Count - 1;
            }
            mounts[index] = mounts[index] with { IsUploads = true };
            uploads = mounts[index];
        }

        var staticFolder = root is null ? null : Path.Combine(root, "static");
        string[] indexCandidates = root is null ? [] : [Path.Combine(root, "templates", options.Index), Path.Combine(root, options.Index)];
        return new SiteLayout(staticFolder, indexCandidates, mounts, uploads);
    }

    private static bool PathsEqual(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(a), Path.TrimEndingDirectorySeparator(b), StringComparison.Ordinal);
}

/// <summary>A local folder served read-only under a site-relative URL prefix.</summary>
/// <param name="IsUploads">The upload folder: its files are served as downloads in a sandbox, never as active content.</param>
internal sealed record SiteMount(string Folder, string Prefix, bool IsUploads);
