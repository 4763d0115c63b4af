using System.Text.Json;

namespace ProxyHost.Configuration;

/// <summary>
/// Typed reads of one config value that every config section shares. A wrong value adds an error at
/// its key path that says what was expected and what was found, and yields null (or the fallback), so
/// every problem in a file is reported at once.
/// </summary>
internal static class JsonValueReader
{
    public static bool Bool(JsonElement value, string at, ConfigErrorCollector errors, bool fallback = false)
    {
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }
        errors.Add(at, $"expected true or false, got {Describe(value)}");
        return fallback;
    }

    /// <summary>A number of seconds greater than 0 and at most <paramref name="maxSeconds"/>; <c>null</c> is accepted when <paramref name="nullable"/>.</summary>
    /// <param name="expected">What to ask for in the error, after "expected".</param>
    public static TimeSpan? Seconds(JsonElement value, string at, ConfigErrorCollector errors, double maxSeconds, string expected, bool nullable = false)
    {
        if (nullable && value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds) && seconds > 0 && seconds <= maxSeconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }
        errors.Add(at, $"expected {expected}, got {Describe(value)}");
        return null;
    }

    /// <summary>A string; with <paramref name="nullable"/>, <c>null</c> too (read as null).</summary>
    public static string? String(JsonElement value, string at, ConfigErrorCollector errors, bool nullable = false)
    {
        if (value.ValueKind == JsonValueKind.String || nullable && value.ValueKind == JsonValueKind.Null)
        {
            return value.GetString();
        }
        errors.Add(at, $"expected a string, got {Describe(value)}");
        return null;
    }

    /// <summary>How a wrong value is shown in an error: its kind, and its text when short.</summary>
    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Truncate(element.GetString()!)}\"",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        _ => element.ValueKind.ToString(),
    };

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..37] + "...";
}
