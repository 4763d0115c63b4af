using System.Globalization;

namespace ProxyHost.Configuration;

/// <summary>
/// Which HTTP statuses of the readiness request count as ready (<c>ready_status</c>): patterns such as
/// <c>200</c>, <c>2xx</c> or <c>200-399</c>. No patterns means any status, as in jupyter-server-proxy.
/// </summary>
public static class ReadyStatus
{
    /// <summary>True when <paramref name="status"/> matches one of <paramref name="patterns"/>, or there are none.</summary>
    public static bool Matches(IReadOnlyList<string> patterns, int status)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        if (patterns.Count == 0)
        {
            return true;
        }
        foreach (var pattern in patterns)
        {
            if (TryParse(pattern, out var low, out var high) && status >= low && status <= high)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Parses one pattern into an inclusive range; false when it is not one of the accepted forms.</summary>
    public static bool TryParse(string pattern, out int low, out int high)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        low = high = 0;
        var text = pattern.Trim();
        if (text.Length == 3 && text[0] is >= '1' and <= '5' && text.EndsWith("xx", StringComparison.OrdinalIgnoreCase))
        {
            low = (text[0] - '0') * 100;
            high = low + 99;
            return true;
        }
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return IsStatus(text, out low) && (high = low) > 0;
        }
        return IsStatus(text[..dash], out low) && IsStatus(text[(dash + 1)..], out high) && low <= high;
    }

    private static bool IsStatus(string text, out int status) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out status) && status is >= 100 and <= 599;
}
