namespace ProxyHost.Apps.RequestServices;

/// <summary>
/// A request-service pattern such as <c>a/$b/c</c>: literal segments must be equal, <c>$name</c> captures
/// one segment and <c>$$name</c> (last only) one or more, re-joined with '/'. Captured values arrive decoded.
/// </summary>
internal sealed class PathPattern
{
    private readonly string[] _segments;

    private PathPattern(string text, string[] segments)
    {
        Text = text;
        _segments = segments;
    }

    public string Text { get; }

    public static PathPattern Parse(string pattern)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        var segments = pattern.Trim('/').Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment.Length == 0 || segment is "." or ".." || segment == "$" || segment == "$$")
            {
                throw new ArgumentException($"request service pattern '{pattern}' has an empty, '.', '..' or unnamed segment", nameof(pattern));
            }
            if (segment.StartsWith("$$", StringComparison.Ordinal) && i != segments.Length - 1)
            {
                throw new ArgumentException($"request service pattern '{pattern}': a '$$' segment must be the last one", nameof(pattern));
            }
        }
        return new PathPattern(string.Join('/', segments), segments);
    }

    /// <summary>The captured parameters, or null when <paramref name="path"/> does not match.</summary>
    public Dictionary<string, string>? Match(IReadOnlyList<string> path)
    {
        var captured = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < _segments.Length; i++)
        {
            var segment = _segments[i];
            if (segment.StartsWith("$$", StringComparison.Ordinal))
            {
                if (path.Count <= i)
                {
                    return null;
                }
                captured[segment[2..]] = string.Join('/', path.Skip(i));
                return captured;
            }
            if (i >= path.Count)
            {
                return null;
            }
            if (segment.StartsWith('$'))
            {
                captured[segment[1..]] = path[i];
            }
            else if (!string.Equals(segment, path[i], StringComparison.Ordinal))
            {
                return null;
            }
        }
        return path.Count == _segments.Length ? captured : null;
    }
}
