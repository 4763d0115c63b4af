namespace ProxyHost.Configuration;

/// <summary>
/// Where a typed-messaging site may save uploads: never in a folder it serves as its own files (its
/// root, which holds <c>static/</c>, or another mount's folder), because uploads are only ever served
/// as sandboxed attachments through their own mount. Folders are compared as full paths with symbolic
/// links resolved, and a folder counts as inside itself.
/// </summary>
public static class UploadFolderRule
{
    /// <summary>Why <paramref name="uploadFolder"/> cannot hold the site's uploads, or null when it can. Paths are full paths.</summary>
    /// <param name="mountFolders">Every mount's folder; one that is <paramref name="uploadFolder"/> as written is the upload mount itself.</param>
    public static string? Check(string uploadFolder, string? root, IEnumerable<string> mountFolders)
    {
        ArgumentNullException.ThrowIfNull(uploadFolder);
        ArgumentNullException.ThrowIfNull(mountFolders);
        var uploads = FolderPath.Canonical(uploadFolder);
        if (root is not null && FolderPath.IsSameOrInside(uploads, FolderPath.Canonical(root)))
        {
            return $"the upload folder {uploadFolder} is the site's root {root} or inside it, so uploads would be served as the site's own files; choose a folder outside it";
        }
        foreach (var mount in mountFolders.Where(m => !FolderPath.SameAsWritten(m, uploadFolder)))
        {
            if (FolderPath.IsSameOrInside(uploads, FolderPath.Canonical(mount)))
            {
                return $"the upload folder {uploadFolder} is inside the mounted folder {mount}, so uploads would be served as the site's own files; choose a folder outside it, or mount the upload folder itself";
            }
        }
        return null;
    }
}
