namespace ProxyHost.Configuration;

/// <summary>Turns a mistyped config key into a "did you mean" hint (edit distance of at most 2).</summary>
internal static class KeySuggestion
{
    public static string UnknownKey(string key, IReadOnlyCollection<string> known, string knownLabel = "known keys")
    {
        var closest = known
            .Select(candidate => (candidate, distance: Distance(key.ToLowerInvariant(), candidate)))
            .Where(c => c.distance <= Math.Min(2, c.candidate.Length / 3 + 1))
            .OrderBy(c => c.distance)
            .Select(c => c.candidate)
            .FirstOrDefault();
        var hint = closest is null ? "" : $"did you mean '{closest}'? ";
        return $"unknown key ({hint}{knownLabel}: {string.Join(", ", known)})";
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
