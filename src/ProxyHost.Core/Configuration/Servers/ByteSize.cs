using System.Globalization;
using System.Text.RegularExpressions;

namespace ProxyHost.Configuration;

/// <summary>
/// Sizes as people write them in limits: a number of bytes, or a number with K, M, G or T (powers of 1024,
/// optionally followed by "i", "B" or "iB", any case): <c>2G</c>, <c>512MiB</c>, <c>1.5g</c>.
/// </summary>
internal static partial class ByteSize
{
    public const string Expected = "a size such as \"2G\", \"512M\" or a number of bytes (K, M, G and T are powers of 1024)";

    private const string Units = "KMGT";

    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var match = Size().Match(text);
        if (!match.Success || !double.TryParse(match.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }
        var unit = match.Groups[2].Value;
        var total = number * Math.Pow(1024, unit.Length == 0 ? 0 : Units.IndexOf(char.ToUpperInvariant(unit[0])) + 1);
        if (total is < 1 or > long.MaxValue / 2)
        {
            return false;
        }
        bytes = (long)Math.Round(total);
        return true;
    }

    /// <summary>The shortest exact spelling that <see cref="TryParse"/> reads back: "2G", "1536M", or the byte count.</summary>
    public static string Format(long bytes)
    {
        for (var exponent = Units.Length; exponent > 0; exponent--)
        {
            var unit = 1L << (10 * exponent);
            if (bytes % unit == 0)
            {
                return (bytes / unit).ToString(CultureInfo.InvariantCulture) + Units[exponent - 1];
            }
        }
        return bytes.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>For messages: "2 GiB", "1.5 GiB", "300 MiB".</summary>
    public static string Describe(long bytes)
    {
        string[] names = ["bytes", "KiB", "MiB", "GiB", "TiB"];
        var exponent = bytes <= 0 ? 0 : Math.Min(names.Length - 1, (int)Math.Floor(Math.Log(bytes, 1024)));
        var scaled = bytes / Math.Pow(1024, exponent);
        return scaled.ToString(exponent == 0 ? "0" : "0.#", CultureInfo.InvariantCulture) + " " + names[exponent];
    }

    [GeneratedRegex(@"\A\s*([0-9]+(?:\.[0-9]+)?)\s*(?:([KMGT])(?:i?B|i)?|B)?\s*\z", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Size();
}
