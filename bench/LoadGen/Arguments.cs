using System.Globalization;

namespace LoadGen;

/// <summary>"--name value" pairs.</summary>
internal sealed class Arguments(string[] args)
{
    public string? Optional(string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    public string String(string name) => Optional(name) ?? throw new ArgumentException($"{name} is required");

    public int Int(string name, int fallback) => Optional(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) => Optional(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
