using System.Text;

namespace ProxyHost.Configuration;

/// <summary>What an edit did.</summary>
public enum ServerEditOutcome
{
    Added,
    Replaced,
    Removed,
}

/// <summary>
/// Adds, replaces and removes <c>servers.NAME</c> entries in a proxyhost.json file without losing
/// anything a user wrote: only the edited entry's text changes (comments, formatting and other
/// sections keep every byte), the result must pass <see cref="ProxyHostConfigReader"/> before it is
/// written, the write is atomic, and a lock file serializes edits from concurrent processes.
/// </summary>
public sealed class ConfigFileEditor
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    private readonly TimeProvider _timeProvider;

    /// <param name="path">The config file; created (with its directory) on the first add.</param>
    public ConfigFileEditor(string path, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The config file's full path.</summary>
    public string Path { get; }

    /// <summary>How long to wait for another process's edit to finish.</summary>
    internal TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(10);

    internal TimeSpan LockRetryDelay { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Adds <paramref name="definition"/>, or replaces the entry with its name when <paramref name="replace"/> is true.</summary>
    /// <exception cref="ConfigEditException">The name exists and <paramref name="replace"/> is false, or the file stayed locked.</exception>
    /// <exception cref="ConfigValidationException">The file is invalid, or would be after the edit; nothing was written.</exception>
    public Task<ServerEditOutcome> SetServerAsync(ServerProcessDefinition definition, bool replace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return EditAsync(splicer =>
        {
            var existing = splicer.FindServer(definition.Name);
            if (existing is not null && !replace)
            {
                throw new ConfigEditException(
                    ConfigEditError.ServerExists,
                    $"{Path}: a server named '{existing}' already exists; replace it explicitly or choose another name",
                    splicer.ServerNames);
            }
            var text = splicer.SetServer(definition.Name, writer => ServerDefinitionWriter.Write(writer, definition));
            return (text, existing is null ? ServerEditOutcome.Added : ServerEditOutcome.Replaced);
        }, cancellationToken);
    }

    /// <summary>Removes the entry named <paramref name="name"/> (ignoring case).</summary>
    /// <exception cref="ConfigEditException">No such server, or the file stayed locked.</exception>
    /// <exception cref="ConfigValidationException">The file is invalid; nothing was written.</exception>
    public Task<ServerEditOutcome> RemoveServerAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return EditAsync(splicer =>
        {
            if (splicer.FindServer(name) is null)
            {
                var known = splicer.ServerNames;
                var listing = known.Count == 0 ? "it defines no servers" : "known servers: " + string.Join(", ", known);
                throw new ConfigEditException(ConfigEditError.ServerNotFound, $"{Path}: no server named '{name}' ({listing})", known);
            }
            return (splicer.RemoveServer(name), ServerEditOutcome.Removed);
        }, cancellationToken);
    }

    private async Task<ServerEditOutcome> EditAsync(Func<ConfigTextSplicer, (byte[] Text, ServerEditOutcome Outcome)> edit, CancellationToken cancellationToken)
    {
        var target = AtomicFile.ResolveTarget(Path);
        using var fileLock = await AcquireLockAsync(target + ".lock", cancellationToken).ConfigureAwait(false);

        var original = File.Exists(target) ? await File.ReadAllBytesAsync(target, cancellationToken).ConfigureAwait(false) : [];
        var hasBom = original.AsSpan().StartsWith(Utf8Bom);
        var body = hasBom ? original[Utf8Bom.Length..] : original;
        try
        {
            ProxyHostConfigReader.Parse(Encoding.UTF8.GetString(body), Path);
        }
        catch (ConfigValidationException e)
        {
            throw new ConfigValidationException(
                [new ConfigError(Path, "", "the file is not a valid config, so it was not changed; fix these problems first"), .. e.Errors]);
        }

        var (edited, outcome) = edit(new ConfigTextSplicer(body));
        ProxyHostConfigReader.Parse(Encoding.UTF8.GetString(edited), Path);
        AtomicFile.Write(target, hasBom ? [.. Utf8Bom, .. edited] : edited);
        return outcome;
    }

    // The lock is an exclusive open of a sibling file (flock on Unix), so the kernel releases it when a
    // process dies and a stale lock cannot outlive its owner. The file itself is left in place: deleting
    // it would let a waiter lock the unlinked file while a newcomer locks a fresh one. It stays beside the config
    // rather than in the private state folder: nothing in it is trusted, and whoever can write that folder can
    // already rewrite the config itself.
    private async Task<FileStream> AcquireLockAsync(string lockPath, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(lockPath)!);
        var started = _timeProvider.GetTimestamp();
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (_timeProvider.GetElapsedTime(started) < LockTimeout)
            {
                await Task.Delay(LockRetryDelay, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new ConfigEditException(
                    ConfigEditError.Locked,
                    $"{Path}: another process has been editing this file for over {LockTimeout.TotalSeconds:0.#} s " +
                    $"(lock file {lockPath}: {e.Message}); try again when it has finished");
            }
        }
    }
}
