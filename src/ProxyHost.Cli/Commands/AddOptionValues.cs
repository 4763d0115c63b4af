using System.Globalization;
using ProxyHost.Collections;
using ProxyHost.Configuration;
using ProxyHost.Templating;

namespace ProxyHost.Cli.Commands;

/// <summary>
/// Parses the values of <c>proxyhost add</c>'s options with the same ranges and rules as the config
/// reader (<see cref="ServerKeys"/>); a wrong value is a <see cref="CliUsageException"/> that names the option.
/// </summary>
internal static class AddOptionValues
{
    public static readonly PairRule EnvironmentPair = new("KEY=VALUE", "TOKEN=abc", key => !key.Contains('='), ValuesAreTemplates: true);

    public static readonly PairRule HeaderPair = new("NAME=VALUE", "X-Forwarded-Prefix=<base_url>", HttpHeaderNames.IsValid, ValuesAreTemplates: true);

    public static readonly PairRule PathPair = new("FROM=TO", "/=/lab", key => key.StartsWith('/'), ValuesAreTemplates: false, value => value.StartsWith('/'));

    public static int Port(string? text, string option)
    {
        if (text is null)
        {
            return 0;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535
            ? port
            : throw new CliUsageException($"{option}: expected a port number from 1 to 65535, got '{text}'");
    }

    public static UnixSocketSetting UnixSocket(string? path) =>
        string.IsNullOrWhiteSpace(path) ? UnixSocketSetting.PrivateDirectory : UnixSocketSetting.AtPath(Path.GetFullPath(path));

    public static TimeSpan? Seconds(string? text, string option, SecondsRange range)
    {
        if (text is null)
        {
            return null;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && range.Contains(seconds)
            ? TimeSpan.FromSeconds(seconds)
            : throw new CliUsageException($"{option}: expected {range.Expected}, got '{text}'");
    }

    public static long? Size(string? text, string option) => text switch
    {
        null => null,
        _ when ByteSize.TryParse(text, out var bytes) => bytes,
        _ => throw new CliUsageException($"{option}: expected {ByteSize.Expected}, got '{text}'"),
    };

    public static double? Cores(string? text, string option) => text switch
    {
        null => null,
        _ when double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var cores) && ServerKeys.Limit.IsCpus(cores) => cores,
        _ => throw new CliUsageException($"{option}: expected {ServerKeys.Limit.CpuExpected}, got '{text}'"),
    };

    public static int? Count(string? text, string option) => text switch
    {
        null => null,
        _ when long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && ServerKeys.Limit.IsCount(count) => (int)count,
        _ => throw new CliUsageException($"{option}: expected {ServerKeys.Limit.CountExpected}, got '{text}'"),
    };

    public static long? ByteCount(long? bytes, string option) => bytes is <= 0
        ? throw new CliUsageException($"{option}: {bytes} is not a number of bytes greater than 0")
        : bytes;

    public static string ReadyCheckPath(string? path, string option) => path switch
    {
        null => "/",
        _ when ServerKeys.IsReadyCheckPath(path) => path,
        _ => throw new CliUsageException($"{option}: expected {ServerKeys.ReadyCheckPathExpected}, got '{path}'"),
    };

    public static EquatableArray<string> ReadyStatuses(string[]? patterns, string option)
    {
        foreach (var pattern in patterns ?? [])
        {
            if (!ReadyStatus.TryParse(pattern, out _, out _))
            {
                throw new CliUsageException($"{option}: expected {ServerKeys.ReadyStatusExpected}, got '{pattern}'");
            }
        }
        return new EquatableArray<string>(patterns ?? []);
    }

    public static EquatableMap Pairs(string[]? items, string option, PairRule rule)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var item in items ?? [])
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            var key = equals > 0 ? item[..equals] : "";
            var value = equals > 0 ? item[(equals + 1)..] : "";
            if (key.Length == 0 || !rule.IsValidKey(key) || rule.IsValidValue is { } isValidValue && !isValidValue(value))
            {
                throw new CliUsageException($"{option} '{item}': expected {rule.Shape}, e.g. {option} {rule.Example}");
            }
            if (rule.ValuesAreTemplates)
            {
                CheckTemplate(value, $"{option} {item}");
            }
            pairs.Add(new(key, value));
        }
        return new EquatableMap(pairs);
    }

    public static void CheckTemplate(string text, string where)
    {
        if (PlaceholderTemplate.Validate(text) is [var problem, ..])
        {
            throw new CliUsageException($"{where}: {problem}");
        }
    }

    public static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}

/// <summary>What a repeatable <c>KEY=VALUE</c> option accepts.</summary>
internal sealed record PairRule(string Shape, string Example, Func<string, bool> IsValidKey, bool ValuesAreTemplates, Func<string, bool>? IsValidValue = null);
