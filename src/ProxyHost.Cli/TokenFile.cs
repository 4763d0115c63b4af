namespace ProxyHost.Cli;

/// <summary>
/// <c>serve --token-file PATH</c>: the token is read once at start-up, surrounding whitespace removed,
/// so it never shows in the process list or the shell history as <c>--token</c> would.
/// </summary>
internal static class TokenFile
{
    private const UnixFileMode OthersCanAccess =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <param name="warning">Set when the file can be read by other users (it should be mode 0600).</param>
    public static string Read(string path, out string? warning)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"--token-file: cannot read '{path}': {e.Message}");
        }
        var token = text.Trim();
        if (token.Length == 0)
        {
            throw new CliUsageException($"--token-file: '{path}' is empty; write the token into it (for example: openssl rand -hex 24 > {path})");
        }
        if (token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new CliUsageException($"--token-file: '{path}' must hold one token, without spaces or line breaks inside it");
        }

        warning = !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & OthersCanAccess) != 0
            ? $"The token file {path} can be read by other users; restrict it with: chmod 600 {path}"
            : null;
        return token;
    }
}
