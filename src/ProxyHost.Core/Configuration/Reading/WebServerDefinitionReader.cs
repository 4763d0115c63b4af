using System.Text.Json;
using ProxyHost.Collections;

namespace ProxyHost.Configuration;

/// <summary>Reads the <c>webservers</c> section: site name → <see cref="WebServerDefinition"/>.</summary>
internal static class WebServerDefinitionReader
{
    private const string Section = "webservers";
    private const int MaxMessageSizeLimit = 1024 * 1024 * 1024;

    public static List<WebServerDefinition> ReadAll(JsonElement element, ConfigErrorCollector errors)
    {
        var sites = new List<WebServerDefinition>();
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(Section, $"expected an object of site name to definition such as {{\"chat\": {{\"root\": \"web\"}}}}, got {JsonValueReader.Describe(element)}");
            return sites;
        }
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in element.EnumerateObject())
        {
            var path = $"{Section}.{property.Name}";
            if (WebServerNames.Validate(property.Name) is { } problem)
            {
                errors.Add(path, problem);
            }
            else if (!names.Add(property.Name))
            {
                errors.Add(path, $"site '{property.Name}' is defined more than once (names are case-insensitive, and each is served at _/messaging/NAME/)");
            }
            else if (Read(property.Name, property.Value, path, errors) is { } site)
            {
                sites.Add(site);
            }
        }
        return sites;
    }

    private static WebServerDefinition? Read(string name, JsonElement element, string path, ConfigErrorCollector errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, $"expected an object with keys such as \"root\" and \"mounts\", got {JsonValueReader.Describe(element)}");
            return null;
        }
        var errorCount = errors.Count;
        var site = new WebServerDefinition { Name = name };
        foreach (var property in element.EnumerateObject())
        {
            var at = $"{path}.{property.Name}";
            var value = property.Value;
            site = property.Name switch
            {
                "root" => site with { Root = ReadFolder(value, at, errors) },
                "index" => site with { Index = ReadIndex(value, at, errors) },
                "mounts" => site with { Mounts = ReadMounts(value, at, errors) },
                "upload_dir" => site with { UploadDirectory = ReadFolder(value, at, errors) },
                "max_message_size" => site with { MaxMessageSize = ReadInt(value, at, errors, 33, MaxMessageSizeLimit, "bytes (the 32-byte header included)") },
                "send_queue" => site with { SendQueueCapacity = ReadInt(value, at, errors, 1, 100_000, "messages") },
                "echo" => site with { Echo = JsonValueReader.Bool(value, at, errors) },
                _ => Unknown(site, at, errors),
            };
        }
        if (site.UploadDirectory is { } uploads && UploadProblem(site, uploads, errors.Source) is { } problem)
        {
            errors.Add(path + ".upload_dir", problem);
        }
        return errors.Count == errorCount ? site : null;
    }

    /// <summary>Folders resolve against the config file's folder, as the running site's do.</summary>
    private static string? UploadProblem(WebServerDefinition site, string uploads, string source)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(source))!;
        string Full(string folder) => Path.GetFullPath(folder, directory);
        return UploadFolderRule.Check(Full(uploads), site.Root is { } root ? Full(root) : null, site.Mounts.Select(m => Full(m.Key)));
    }

    private static WebServerDefinition Unknown(WebServerDefinition site, string at, ConfigErrorCollector errors)
    {
        errors.Add(at, "unknown key (known keys: root, index, mounts, upload_dir, max_message_size, send_queue, echo)");
        return site;
    }

    private static string? ReadFolder(JsonElement value, string at, ConfigErrorCollector errors)
    {
        if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } folder && folder.Trim().Length > 0)
        {
            return folder;
        }
        errors.Add(at, $"expected a folder path, got {JsonValueReader.Describe(value)}");
        return null;
    }

    private static string ReadIndex(JsonElement value, string at, ConfigErrorCollector errors)
    {
        if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } index
            && index.IndexOfAny(['/', '\\']) < 0 && index is not ("." or ".."))
        {
            return index;
        }
        errors.Add(at, $"expected a file name such as \"index.html\" (no folders), got {JsonValueReader.Describe(value)}");
        return "index.html";
    }

    private static EquatableMap ReadMounts(JsonElement value, string at, ConfigErrorCollector errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(at, $"expected an object of local folder to URL prefix such as {{\"/tmp/uploads\": \"/uploads\"}}, got {JsonValueReader.Describe(value)}");
            return EquatableMap.Empty;
        }
        var mounts = new List<KeyValuePair<string, string>>();
        foreach (var property in value.EnumerateObject())
        {
            var key = $"{at}.{property.Name}";
            if (property.Name.Trim().Length == 0)
            {
                errors.Add(key, "a mount's local folder must not be empty");
                continue;
            }
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                errors.Add(key, $"expected a URL prefix such as \"/uploads\", got {JsonValueReader.Describe(property.Value)}");
                continue;
            }
            var prefix = WebServerMountPrefix.Normalize(property.Value.GetString()!);
            if (WebServerMountPrefix.Validate(prefix) is { } problem)
            {
                errors.Add(key, problem);
            }
            else if (mounts.FirstOrDefault(m => WebServerMountPrefix.Overlap(m.Value, prefix)) is { Key: not null } clash)
            {
                errors.Add(key, $"the prefix '{prefix}' overlaps the mount of '{clash.Key}' at '{clash.Value}'; give each mount its own prefix");
            }
            else
            {
                mounts.Add(new(property.Name, prefix));
            }
        }
        return new EquatableMap(mounts);
    }

    private static int ReadInt(JsonElement value, string at, ConfigErrorCollector errors, int min, int max, string unit)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min && number <= max)
        {
            return number;
        }
        errors.Add(at, $"expected a whole number of {unit} from {min} to {max}, got {JsonValueReader.Describe(value)}");
        return min;
    }

}
