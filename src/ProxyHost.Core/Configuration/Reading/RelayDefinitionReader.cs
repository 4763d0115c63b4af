using System.Text.Json;

namespace ProxyHost.Configuration;

/// <summary>Reads the top-level <c>relays</c> object: relay name to <see cref="RelayOptions"/>.</summary>
internal static class RelayDefinitionReader
{
    public static readonly IReadOnlyList<string> Keys =
    [
        "upstream", "user", "password", "magic", "send_auth", "upstream_headers", "upstream_query_awareness", "accept_multiplexed",
        "upstream_queue_frames", "upstream_queue_bytes", "client_queue_frames", "client_queue_bytes",
        "max_message_bytes", "reconnect_max_delay",
    ];

    public static List<RelayDefinition> Read(JsonElement element, ConfigErrorCollector errors)
    {
        var relays = new List<RelayDefinition>();
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add("relays", $"expected an object of relay name to settings such as {{\"docs\": {{\"upstream\": \"ws://...\"}}}}, got {JsonValueReader.Describe(element)}");
            return relays;
        }
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in element.EnumerateObject())
        {
            var path = "relays." + property.Name;
            if (ServerNames.Validate(property.Name) is { } problem)
            {
                errors.Add(path, problem.Replace("server name", "relay name", StringComparison.Ordinal));
            }
            else if (!names.Add(property.Name))
            {
                errors.Add(path, $"relay '{property.Name}' is defined more than once (names are case-insensitive)");
            }
            else if (ReadOptions(property.Value, path, errors) is { } options)
            {
                relays.Add(new RelayDefinition(property.Name, options));
            }
        }
        return relays;
    }

    private static RelayOptions? ReadOptions(JsonElement element, string path, ConfigErrorCollector errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, $"expected an object (use {{}} for a local room server), got {JsonValueReader.Describe(element)}");
            return null;
        }
        var errorCount = errors.Count;
        var options = new RelayOptions();
        foreach (var property in element.EnumerateObject())
        {
            var at = $"{path}.{property.Name}";
            var value = property.Value;
            options = property.Name switch
            {
                "upstream" => options with { Upstream = ReadUrl(value, at, errors) },
                "user" => options with { User = JsonValueReader.String(value, at, errors) },
                "password" => options with { Password = JsonValueReader.String(value, at, errors) },
                "magic" => options with { Magic = ReadChoice(value, at, errors, ("ID", RelayMagic.Id), ("legacy", RelayMagic.Legacy)) },
                "send_auth" => options with { SendAuth = ReadChoice(value, at, errors, ("eager", RelaySendAuth.Eager), ("on_401", RelaySendAuth.On401)) },
                "upstream_headers" => options with { UpstreamHeaders = ReadHeaders(value, at, errors) },
                "upstream_query_awareness" => options with { UpstreamQueryAwareness = JsonValueReader.Bool(value, at, errors) },
                "accept_multiplexed" => options with { AcceptMultiplexed = JsonValueReader.Bool(value, at, errors) },
                "upstream_queue_frames" => options with { UpstreamQueueFrames = (int)ReadCount(value, at, errors, int.MaxValue) },
                "upstream_queue_bytes" => options with { UpstreamQueueBytes = ReadCount(value, at, errors, long.MaxValue) },
                "client_queue_frames" => options with { ClientQueueFrames = (int)ReadCount(value, at, errors, int.MaxValue) },
                "client_queue_bytes" => options with { ClientQueueBytes = ReadCount(value, at, errors, long.MaxValue) },
                "max_message_bytes" => options with { MaxMessageBytes = (int)ReadCount(value, at, errors, int.MaxValue) },
                "reconnect_max_delay" => options with { ReconnectMaxDelay = (JsonValueReader.Seconds(value, at, errors, 86_400, "a number of seconds between 0 and 86400") ?? TimeSpan.FromSeconds(1)) },
                _ => Unknown(options, at, errors),
            };
        }
        if (errors.Count != errorCount)
        {
            return null;
        }
        foreach (var (key, problem) in RelayOptionsValidator.Validate(options))
        {
            errors.Add($"{path}.{key}", problem);
        }
        return errors.Count == errorCount ? options : null;
    }

    private static RelayOptions Unknown(RelayOptions options, string at, ConfigErrorCollector errors)
    {
        errors.Add(at, $"unknown key (known keys: {string.Join(", ", Keys)})");
        return options;
    }

    private static Uri? ReadUrl(JsonElement value, string at, ConfigErrorCollector errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.String && Uri.TryCreate(value.GetString(), UriKind.Absolute, out var uri) && uri.Scheme is "ws" or "wss")
        {
            return uri;
        }
        errors.Add(at, $"expected a ws:// or wss:// URL such as \"ws://127.0.0.1:9000/\", got {JsonValueReader.Describe(value)}");
        return null;
    }



    private static T ReadChoice<T>(JsonElement value, string at, ConfigErrorCollector errors, params (string Text, T Value)[] choices)
    {
        foreach (var (text, choice) in choices)
        {
            if (value.ValueKind == JsonValueKind.String && value.GetString() == text)
            {
                return choice;
            }
        }
        errors.Add(at, $"expected one of {string.Join(", ", choices.Select(c => $"\"{c.Text}\""))}, got {JsonValueReader.Describe(value)}");
        return choices[0].Value;
    }

    private static long ReadCount(JsonElement value, string at, ConfigErrorCollector errors, long max)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var count) && count >= 1 && count <= max)
        {
            return count;
        }
        errors.Add(at, $"expected a positive whole number, got {JsonValueReader.Describe(value)}");
        return 1;
    }


    private static Dictionary<string, string> ReadHeaders(JsonElement value, string at, ConfigErrorCollector errors)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(at, $"expected an object of header name to value, got {JsonValueReader.Describe(value)}");
            return headers;
        }
        foreach (var header in value.EnumerateObject())
        {
            if (header.Value.ValueKind == JsonValueKind.String)
            {
                headers[header.Name] = header.Value.GetString()!;
            }
            else
            {
                errors.Add($"{at}.{header.Name}", $"expected a string, got {JsonValueReader.Describe(header.Value)}");
            }
        }
        return headers;
    }
}
