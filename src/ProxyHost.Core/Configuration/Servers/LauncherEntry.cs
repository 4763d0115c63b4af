namespace ProxyHost.Configuration;

/// <summary>Launcher tile metadata, as jupyter-server-proxy's <c>launcher_entry</c>.</summary>
public sealed record LauncherEntry
{
    /// <summary>The default launcher category.</summary>
    public const string DefaultCategory = "Notebook";

    public bool Enabled { get; init; } = true;

    /// <summary>Path of an SVG or PNG icon file, or null for none.</summary>
    public string? IconPath { get; init; }

    /// <summary>Tile title; null means the server name.</summary>
    public string? Title { get; init; }

    /// <summary>Path appended to the base URL; null means <c>name/</c>.</summary>
    public string? PathInfo { get; init; }

    public string Category { get; init; } = DefaultCategory;
}
