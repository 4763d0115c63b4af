using System.Text.Json;

namespace ProxyHost.Configuration;

/// <summary>Reads a server's <c>limits</c> object; each wrong value is an error at its own key.</summary>
internal static class ServerLimitsReader
{
    public static ServerLimits Read(JsonElement value, string at, ConfigErrorCollector errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return ServerLimits.None;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(at, $"expected an object with keys {string.Join(", ", ServerKeys.Limit.All)}, got {JsonValueReader.Describe(value)}");
            return ServerLimits.None;
        }
        var limits = ServerLimits.None;
        foreach (var property in value.EnumerateObject())
        {
            var keyAt = $"{at}.{property.Name}";
            var item = property.Value;
            limits = property.Name switch
            {
                ServerKeys.Limit.Memory => limits with { MemoryBytes = ReadMemory(item, keyAt, errors) },
                ServerKeys.Limit.Cpu => limits with { Cpus = ReadCpus(item, keyAt, errors) },
                ServerKeys.Limit.Processes => limits with { Processes = ReadCount(item, keyAt, errors) },
                ServerKeys.Limit.OpenFiles => limits with { OpenFiles = ReadCount(item, keyAt, errors) },
                _ => Unknown(limits, property.Name, keyAt, errors),
            };
        }
        return limits;
    }

    private static long? ReadMemory(JsonElement value, string at, ConfigErrorCollector errors)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (text is not null && ByteSize.TryParse(text, out var bytes))
        {
            return bytes;
        }
        errors.Add(at, $"expected {ByteSize.Expected}, or null for none, got {JsonValueReader.Describe(value)}");
        return null;
    }

    private static double? ReadCpus(JsonElement value, string at, ConfigErrorCollector errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var cores) && ServerKeys.Limit.IsCpus(cores))
        {
            return cores;
        }
        errors.Add(at, $"expected {ServerKeys.Limit.CpuExpected}, or null for none, got {JsonValueReader.Describe(value)}");
        return null;
    }

    private static int? ReadCount(JsonElement value, string at, ConfigErrorCollector errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var count) && ServerKeys.Limit.IsCount(count))
        {
            return (int)count;
        }
        errors.Add(at, $"expected {ServerKeys.Limit.CountExpected}, or null for none, got {JsonValueReader.Describe(value)}");
        return null;
    }

    private static ServerLimits Unknown(ServerLimits limits, string key, string at, ConfigErrorCollector errors)
    {
        errors.Add(at, KeySuggestion.UnknownKey(key, ServerKeys.Limit.All));
        return limits;
    }
}
