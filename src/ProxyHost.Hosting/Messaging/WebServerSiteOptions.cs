using ProxyHost.Configuration;
using ProxyHost.Messaging.Server;

namespace ProxyHost.Hosting.Messaging;

/// <summary>Turns a <c>webservers.NAME</c> definition into hub options, resolving folders against the config file's folder and checking they exist.</summary>
internal static class WebServerSiteOptions
{
    public static MessagingOptions From(WebServerDefinition definition, string configPath)
    {
        var directory = Path.GetDirectoryName(configPath)!;
        var at = "webservers." + definition.Name;
        var errors = new List<ConfigError>();
        string? Resolve(string? folder) => folder is null ? null : Path.GetFullPath(folder, directory);

        var options = new MessagingOptions
        {
            Root = Resolve(definition.Root),
            Index = definition.Index,
            UploadDirectory = Resolve(definition.UploadDirectory),
            MaxMessageSize = definition.MaxMessageSize,
            SendQueueCapacity = definition.SendQueueCapacity,
            Echo = definition.Echo,
        };
        if (options.Root is { } root && !Directory.Exists(root))
        {
            errors.Add(new ConfigError(configPath, at + ".root", $"the folder {root} does not exist"));
        }
        foreach (var (folder, prefix) in definition.Mounts)
        {
            var resolved = Resolve(folder)!;
            options.Mounts[resolved] = prefix;
            var isUploads = resolved == options.UploadDirectory || (options.UploadDirectory is null && (folder + prefix).Contains("upload", StringComparison.OrdinalIgnoreCase));
            if (!isUploads && !Directory.Exists(resolved))
            {
                errors.Add(new ConfigError(configPath, $"{at}.mounts.{folder}", $"the folder {resolved} does not exist"));
            }
        }
        return errors.Count == 0 ? options : throw new ConfigValidationException(errors);
    }
}
