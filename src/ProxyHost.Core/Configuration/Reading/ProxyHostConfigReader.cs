using System.Text.Json;

namespace ProxyHost.Configuration;

/// <summary>
/// Reads proxyhost.json: jupyter-server-proxy's <c>c.ServerProxy.servers</c> shape with its snake_case
/// keys. Collects every problem (unknown key, wrong type, bad template) with its location instead of
/// stopping at the first, so a user fixes a file in one pass.
/// </summary>
public static class ProxyHostConfigReader
{
    internal static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Reads and validates a config file.</summary>
    /// <exception cref="ConfigValidationException">The file is missing, unreadable or invalid.</exception>
    public static ProxyHostConfiguration ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var why = e is FileNotFoundException or DirectoryNotFoundException ? "the config file does not exist" : e.Message;
            throw new ConfigValidationException([new ConfigError(path, "", why)]);
        }
        return Parse(text, path);
    }

    /// <summary>Parses and validates config text; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="ConfigValidationException">The text is not valid JSON or not a valid config.</exception>
    public static ProxyHostConfiguration Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json, DocumentOptions);
        }
        catch (JsonException e)
        {
            var where = $"line {e.LineNumber + 1}, column {e.BytePositionInLine + 1}";
            throw new ConfigValidationException([new ConfigError(source, where, "invalid JSON: " + FirstSentence(e.Message))]);
        }

        using (document)
        {
            if (JsonStringCheck.FindUnreadable(document.RootElement) is { } unreadable)
            {
                throw new ConfigValidationException([new ConfigError(source, unreadable, "a \\u escape in this string is half of a surrogate pair; write the whole character")]);
            }
            var errors = new ConfigErrorCollector(source);
            var configuration = ReadRoot(document.RootElement, errors);
            return errors.Count == 0 ? configuration : throw new ConfigValidationException(errors.ToList());
        }
    }

    private static ProxyHostConfiguration ReadRoot(JsonElement root, ConfigErrorCollector errors)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add("", $"the file must hold a JSON object such as {{\"servers\": {{...}}}}, not {JsonValueReader.Describe(root)}");
            return ProxyHostConfiguration.Empty;
        }

        var servers = new List<ServerProcessDefinition>();
        IReadOnlyList<string>? hostAllowlist = null;
        IReadOnlyList<string> plugins = [];
        AppsConfiguration? apps = null;
        IReadOnlyList<RelayDefinition> relays = [];
        IReadOnlyList<WebServerDefinition> webServers = [];
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "servers":
                    servers = ReadServers(property.Value, errors);
                    break;
                case "host_allowlist":
                    hostAllowlist = ReadHostAllowlist(property.Value, errors);
                    break;
                case "plugins":
                    plugins = ReadPluginDirectories(property.Value, errors);
                    break;
                case "apps":
                    apps = AppsConfigReader.Read(property.Value, errors);
                    break;
                case "relays":
                    relays = RelayDefinitionReader.Read(property.Value, errors);
                    break;
                case "webservers":
                    webServers = WebServerDefinitionReader.ReadAll(property.Value, errors);
                    break;
                case "$schema":
                    break;
                default:
                    errors.Add(property.Name, "unknown key (known top-level keys: servers, host_allowlist, plugins, apps, relays, webservers)");
                    break;
            }
        }
        return new ProxyHostConfiguration { Servers = servers, HostAllowlist = hostAllowlist, PluginDirectories = plugins, Apps = apps, Relays = relays, WebServers = webServers };
    }

    private static List<string> ReadPluginDirectories(JsonElement element, ConfigErrorCollector errors)
    {
        var items = element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().ToList() : [element];
        var directories = new List<string>();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].ValueKind == JsonValueKind.String && items[i].GetString() is { Length: > 0 } directory)
            {
                directories.Add(directory);
            }
            else
            {
                errors.Add(element.ValueKind == JsonValueKind.Array ? $"plugins[{i}]" : "plugins",
                    $"expected a plugins folder path (or a list of them), got {JsonValueReader.Describe(items[i])}");
            }
        }
        return directories;
    }

    private static List<string> ReadHostAllowlist(JsonElement element, ConfigErrorCollector errors)
    {
        var patterns = new List<string>();
        if (element.ValueKind != JsonValueKind.Array)
        {
            errors.Add("host_allowlist", $"expected a list of host patterns such as [\"localhost\", \"*.cluster.local\", \"10.0.0.0/8\"], got {JsonValueReader.Describe(element)}");
            return patterns;
        }
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var at = $"host_allowlist[{index++}]";
            if (item.ValueKind != JsonValueKind.String)
            {
                errors.Add(at, $"expected a string, got {JsonValueReader.Describe(item)}");
            }
            else if (Configuration.HostAllowlist.Validate(item.GetString()!) is { } problem)
            {
                errors.Add(at, problem);
            }
            else
            {
                patterns.Add(item.GetString()!);
            }
        }
        return patterns;
    }

    private static List<ServerProcessDefinition> ReadServers(JsonElement element, ConfigErrorCollector errors)
    {
        var servers = new List<ServerProcessDefinition>();
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add("servers", $"expected an object of server name to definition, got {JsonValueReader.Describe(element)}");
            return servers;
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in element.EnumerateObject())
        {
            var path = "servers." + property.Name;
            if (ServerNames.Validate(property.Name) is { } nameProblem)
            {
                errors.Add(path, nameProblem);
                continue;
            }
            if (!names.Add(property.Name))
            {
                errors.Add(path, $"server '{property.Name}' is defined more than once (names are case-insensitive)");
                continue;
            }
            if (ServerDefinitionReader.Read(property.Name, property.Value, path, errors) is { } definition)
            {
                servers.Add(definition);
            }
        }
        return servers;
    }


    private static string FirstSentence(string message)
    {
        // The location is reported separately (1-based), so System.Text.Json's own 0-based one is cut.
        foreach (var marker in (string[])[" Path:", " LineNumber:"])
        {
            var cut = message.IndexOf(marker, StringComparison.Ordinal);
            if (cut > 0)
            {
                message = message[..cut];
            }
        }
        return message;
    }
}
