using System.Text.Json;
using ProxyHost.Collections;
using ProxyHost.Templating;

namespace ProxyHost.Configuration;

/// <summary>Reads one <c>servers.NAME</c> object into a <see cref="ServerProcessDefinition"/>.</summary>
internal static class ServerDefinitionReader
{
    public static ServerProcessDefinition? Read(string name, JsonElement element, string path, ConfigErrorCollector errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, $"expected an object with keys such as \"command\", got {JsonValueReader.Describe(element)}");
            return null;
        }

        var errorCount = errors.Count;
        var definition = new ServerProcessDefinition { Name = name };
        foreach (var property in element.EnumerateObject())
        {
            var at = $"{path}.{property.Name}";
            var value = property.Value;
            definition = property.Name switch
            {
                ServerKeys.Command => definition with { Command = ReadTemplateList(value, at, errors) },
                ServerKeys.Timeout => definition with { Timeout = ReadSeconds(value, at, errors, ServerKeys.StartTimeout) ?? ServerProcessDefinition.DefaultTimeout },
                ServerKeys.Environment => definition with { Environment = ReadTemplateMap(value, at, errors) },
                ServerKeys.AbsoluteUrl => definition with { AbsoluteUrl = JsonValueReader.Bool(value, at, errors, false) },
                ServerKeys.Port => definition with { Port = ReadPort(value, at, errors) },
                ServerKeys.UnixSocket => definition with { UnixSocket = ReadUnixSocket(value, at, errors) },
                ServerKeys.MapPath => definition with { MapPath = ReadMapPath(value, at, errors) },
                ServerKeys.LauncherEntry => definition with { LauncherEntry = ReadLauncherEntry(value, at, errors) },
                ServerKeys.NewBrowserTab => definition with { NewBrowserTab = JsonValueReader.Bool(value, at, errors, true) },
                ServerKeys.RequestHeadersOverride => definition with { RequestHeadersOverride = ReadHeaders(value, at, errors) },
                ServerKeys.UpdateLastActivity => definition with { UpdateLastActivity = JsonValueReader.Bool(value, at, errors, true) },
                ServerKeys.RawSocketProxy => definition with { RawSocketProxy = JsonValueReader.Bool(value, at, errors, false) },
                ServerKeys.WebSocketIdleTimeout => definition with { WebSocketIdleTimeout = ReadSeconds(value, at, errors, ServerKeys.WebSocketSeconds) },
                ServerKeys.WebSocketPingInterval => definition with { WebSocketPingInterval = ReadSeconds(value, at, errors, ServerKeys.WebSocketSeconds) },
                ServerKeys.IdleTimeout => definition with { IdleTimeout = ReadSeconds(value, at, errors, ServerKeys.IdleSeconds) },
                ServerKeys.MaxRequestBodySize => definition with { MaxRequestBodySize = ReadByteCount(value, at, errors) },
                ServerKeys.ReadyCheckPath => definition with { ReadyCheckPath = ReadReadyCheckPath(value, at, errors) },
                ServerKeys.ReadyStatus => definition with { ReadyStatus = ReadReadyStatus(value, at, errors) },
                ServerKeys.Limits => definition with { Limits = ServerLimitsReader.Read(value, at, errors) },
                _ => Unknown(definition, property.Name, at, errors),
            };
        }

        if (errors.Count == errorCount)
        {
            CheckTarget(definition, path, errors);
        }
        return errors.Count == errorCount ? definition : null;
    }

    private static ServerProcessDefinition Unknown(ServerProcessDefinition definition, string key, string at, ConfigErrorCollector errors)
    {
        errors.Add(at, KeySuggestion.UnknownKey(key, ServerKeys.All));
        return definition;
    }

    private static void CheckTarget(ServerProcessDefinition definition, string path, ConfigErrorCollector errors)
    {
        if (definition.IsManaged)
        {
            return;
        }
        if (definition.UnixSocket.Enabled && definition.UnixSocket.Path is null)
        {
            errors.Add(path + ".unix_socket", "true needs a \"command\" to start; a server without one needs the socket's path as a string");
        }
        else if (!definition.UnixSocket.Enabled && definition.Port == 0)
        {
            errors.Add(path, "has no \"command\", so it must name the running server to proxy to with a \"port\" or a \"unix_socket\" path");
        }
    }

    private static EquatableArray<string> ReadTemplateList(JsonElement value, string at, ConfigErrorCollector errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return EquatableArray<string>.Empty;
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            var hint = value.ValueKind == JsonValueKind.String ? " such as [\"python3\", \"-m\", \"http.server\", \"<port>\"]" : "";
            errors.Add(at, $"expected a list of strings{hint}, got {JsonValueReader.Describe(value)}");
            return EquatableArray<string>.Empty;
        }

        var items = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemAt = $"{at}[{index++}]";
            if (item.ValueKind == JsonValueKind.String)
            {
                items.Add(CheckTemplate(item.GetString()!, itemAt, errors));
            }
            else
            {
                errors.Add(itemAt, $"expected a string, got {JsonValueReader.Describe(item)}");
            }
        }
        return new EquatableArray<string>(items);
    }

    private static EquatableMap ReadTemplateMap(JsonElement value, string at, ConfigErrorCollector errors) =>
        ReadStringMap(value, at, errors, (key, text, keyAt) => CheckTemplate(text, keyAt, errors));

    private static EquatableMap ReadHeaders(JsonElement value, string at, ConfigErrorCollector errors) =>
        ReadStringMap(value, at, errors, (key, text, keyAt) =>
        {
            if (!HttpHeaderNames.IsValid(key))
            {
                errors.Add(keyAt, "is not a valid HTTP header name");
            }
            return CheckTemplate(text, keyAt, errors);
        });

    private static EquatableMap ReadMapPath(JsonElement value, string at, ConfigErrorCollector errors) =>
        ReadStringMap(value, at, errors, (key, text, keyAt) =>
        {
            if (!key.StartsWith('/') || !text.StartsWith('/'))
            {
                errors.Add(keyAt, ServerKeys.MapPathRule);
            }
            return text;
        });

    private static EquatableMap ReadStringMap(JsonElement value, string at, ConfigErrorCollector errors, Func<string, string, string, string> check)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return EquatableMap.Empty;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(at, $"expected an object of string values, got {JsonValueReader.Describe(value)}");
            return EquatableMap.Empty;
        }

        var entries = new List<KeyValuePair<string, string>>();
        foreach (var property in value.EnumerateObject())
        {
            var keyAt = $"{at}.{property.Name}";
            var text = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                _ => null,
            };
            if (text is null)
            {
                errors.Add(keyAt, $"expected a string, got {JsonValueReader.Describe(property.Value)}");
                continue;
            }
            entries.Add(new(property.Name, check(property.Name, text, keyAt)));
        }
        return new EquatableMap(entries);
    }

    private static string CheckTemplate(string text, string at, ConfigErrorCollector errors)
    {
        foreach (var problem in PlaceholderTemplate.Validate(text))
        {
            errors.Add(at, problem);
        }
        return text;
    }

    private static long? ReadByteCount(JsonElement value, string at, ConfigErrorCollector errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var bytes) && bytes > 0)
        {
            return bytes;
        }
        errors.Add(at, $"expected a whole number of bytes greater than 0 (for example 104857600 for 100 MiB), or null for the host's limit, got {JsonValueReader.Describe(value)}");
        return null;
    }

    private static TimeSpan? ReadSeconds(JsonElement value, string at, ConfigErrorCollector errors, SecondsRange range) =>
        JsonValueReader.Seconds(value, at, errors, range.Max, range.ExpectedInConfig, nullable: range.NullMeans is not null);

    private static string? NonEmpty(string? text) => text is { Length: > 0 } ? text : null;

    private static int ReadPort(JsonElement value, string at, ConfigErrorCollector errors)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var port) && port is >= 0 and <= 65535)
        {
            return port;
        }
        errors.Add(at, $"expected a port number from 0 to 65535 (0 picks a free one), got {JsonValueReader.Describe(value)}");
        return 0;
    }

    private static UnixSocketSetting ReadUnixSocket(JsonElement value, string at, ConfigErrorCollector errors)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.True:
                return UnixSocketSetting.PrivateDirectory;
            case JsonValueKind.False or JsonValueKind.Null:
                return UnixSocketSetting.None;
            case JsonValueKind.String when value.GetString() is { Length: > 0 } path && Path.IsPathFullyQualified(path):
                return UnixSocketSetting.AtPath(path);
            default:
                errors.Add(at, $"expected true, false or an absolute socket path, got {JsonValueReader.Describe(value)}");
                return UnixSocketSetting.None;
        }
    }

    private static string ReadReadyCheckPath(JsonElement value, string at, ConfigErrorCollector errors)
    {
        if (value.ValueKind == JsonValueKind.String && value.GetString() is { } path && ServerKeys.IsReadyCheckPath(path))
        {
            return path;
        }
        errors.Add(at, $"expected {ServerKeys.ReadyCheckPathExpected}, got {JsonValueReader.Describe(value)}");
        return "/";
    }

    private static EquatableArray<string> ReadReadyStatus(JsonElement value, string at, ConfigErrorCollector errors)
    {
        var items = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList() : [value];
        var patterns = new List<string>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var itemAt = value.ValueKind == JsonValueKind.Array ? $"{at}[{i}]" : at;
            var text = item.ValueKind switch
            {
                JsonValueKind.Number => item.GetRawText(),
                JsonValueKind.String => item.GetString()!,
                _ => null,
            };
            if (text is null || !ReadyStatus.TryParse(text, out _, out _))
            {
                errors.Add(itemAt, $"expected {ServerKeys.ReadyStatusExpected} (or a list of them), got {JsonValueReader.Describe(item)}");
                continue;
            }
            patterns.Add(text);
        }
        return new EquatableArray<string>(patterns);
    }

    private static LauncherEntry ReadLauncherEntry(JsonElement value, string at, ConfigErrorCollector errors)
    {
        var entry = new LauncherEntry();
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(at, $"expected an object with keys {string.Join(", ", ServerKeys.Launcher.All)}, got {JsonValueReader.Describe(value)}");
            return entry;
        }

        foreach (var property in value.EnumerateObject())
        {
            var keyAt = $"{at}.{property.Name}";
            entry = property.Name switch
            {
                ServerKeys.Launcher.Enabled => entry with { Enabled = JsonValueReader.Bool(property.Value, keyAt, errors, true) },
                ServerKeys.Launcher.IconPath => entry with { IconPath = NonEmpty(JsonValueReader.String(property.Value, keyAt, errors, nullable: true)) },
                ServerKeys.Launcher.Title => entry with { Title = NonEmpty(JsonValueReader.String(property.Value, keyAt, errors, nullable: true)) },
                ServerKeys.Launcher.PathInfo => entry with { PathInfo = NonEmpty(JsonValueReader.String(property.Value, keyAt, errors, nullable: true)) },
                ServerKeys.Launcher.Category => entry with { Category = NonEmpty(JsonValueReader.String(property.Value, keyAt, errors, nullable: true)) ?? LauncherEntry.DefaultCategory },
                _ => UnknownLauncherKey(entry, property.Name, keyAt, errors),
            };
        }
        return entry;
    }

    private static LauncherEntry UnknownLauncherKey(LauncherEntry entry, string key, string at, ConfigErrorCollector errors)
    {
        errors.Add(at, KeySuggestion.UnknownKey(key, ServerKeys.Launcher.All));
        return entry;
    }
}
