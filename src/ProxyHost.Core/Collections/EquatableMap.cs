using System.Collections;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace ProxyHost.Collections;

/// <summary>
/// An immutable string map that keeps the order it was written in (for config round trips) and
/// compares by content, so records that hold one compare by value.
/// </summary>
public readonly struct EquatableMap : IEquatable<EquatableMap>, IReadOnlyDictionary<string, string>
{
    private readonly ImmutableArray<KeyValuePair<string, string>> _entries;

    public EquatableMap(IEnumerable<KeyValuePair<string, string>> entries)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var list = new List<KeyValuePair<string, string>>();
        foreach (var entry in entries)
        {
            if (seen.TryGetValue(entry.Key, out var index))
            {
                list[index] = entry;
            }
            else
            {
                seen[entry.Key] = list.Count;
                list.Add(entry);
            }
        }
        _entries = [.. list];
    }

    public static EquatableMap Empty => new([]);

    private ImmutableArray<KeyValuePair<string, string>> Entries => _entries.IsDefault ? [] : _entries;

    public int Count => Entries.Length;

    public IEnumerable<string> Keys => Entries.Select(e => e.Key);

    public IEnumerable<string> Values => Entries.Select(e => e.Value);

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        foreach (var entry in Entries)
        {
            if (entry.Key == key)
            {
                value = entry.Value;
                return true;
            }
        }
        value = null;
        return false;
    }

    public bool Equals(EquatableMap other) =>
        Count == other.Count && Entries.All(e => other.TryGetValue(e.Key, out var v) && v == e.Value);

    public override bool Equals(object? obj) => obj is EquatableMap other && Equals(other);

    public override int GetHashCode()
    {
        var hash = 0;
        foreach (var entry in Entries)
        {
            hash ^= HashCode.Combine(entry.Key, entry.Value);
        }
        return hash;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => Entries.AsEnumerable().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public static bool operator ==(EquatableMap left, EquatableMap right) => left.Equals(right);

    public static bool operator !=(EquatableMap left, EquatableMap right) => !left.Equals(right);

    public static implicit operator EquatableMap(Dictionary<string, string> entries) => new(entries);
}
