namespace ProxyHost.Configuration;

/// <summary>
/// The <c>apps</c> section of proxyhost.json: Narvi-style app services served under <c>&lt;base_url&gt;narvi/</c>.
/// Paths are as written (relative ones are resolved against the config file's folder by the host).
/// Each entry keeps its key path (<see cref="AppServiceConfig.Location"/>) so later errors can name it.
/// </summary>
public sealed record AppsConfiguration
{
    /// <summary>Assemblies (DLL paths) that hold the service classes.</summary>
    public IReadOnlyList<string> Assemblies { get; init; } = [];

    /// <summary>A path under <c>&lt;base_url&gt;narvi/</c> that answers the admin JSON; null for none.</summary>
    public string? AdminPath { get; init; }

    public TimeSpan? MonitoringInterval { get; init; }

    public TimeSpan? MonitoringRetention { get; init; }

    /// <summary>Registers the bundled monitor app (workspace <c>system_workspace</c>, app <c>monitor_app</c>).</summary>
    public bool MonitorApp { get; init; }

    public IReadOnlyList<AppServiceConfig> Services { get; init; } = [];

    public IReadOnlyList<AppFrontendConfig> Apps { get; init; } = [];

    public IReadOnlyList<AppRedirectConfig> Redirects { get; init; } = [];
}

/// <summary>One <c>apps.services[i]</c> entry.</summary>
public sealed record AppServiceConfig(string Location, string Workspace, string Name, string ClassName)
{
    /// <summary>The constructor parameters as JSON object text.</summary>
    public string ParametersJson { get; init; } = "{}";

    public string? FixedServiceId { get; init; }

    public bool Shared { get; init; } = true;

    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>A regular expression a service id must match (whole), standing in for Narvi's validator callable.</summary>
    public string? ServiceIdPattern { get; init; }
}

/// <summary>One <c>apps.apps[i]</c> entry: a frontend bound to a service of the same workspace.</summary>
public sealed record AppFrontendConfig(string Location, string Workspace, string Name, string Service)
{
    /// <summary>The JSON object text sent to the browser as <c>app_parameters</c>.</summary>
    public string ParametersJson { get; init; } = "{}";

    public IReadOnlyList<AppResourceRootConfig> ResourceRoots { get; init; } = [];

    public string? ServiceChooser { get; init; }

    /// <summary>The launcher tile's title; the app name when absent.</summary>
    public string? Title { get; init; }
}

/// <summary>A resource root: <c>{"url", "file"}</c> (a glob to one file) or <c>{"prefix", "glob", "folder"}</c>.</summary>
public sealed record AppResourceRootConfig(string Location, string? Url, string? File, string Prefix, string? Glob, string? Folder);

/// <summary>One <c>apps.redirects[i]</c> entry: <c>from</c> (under <c>&lt;base_url&gt;narvi/</c>) to an app's index page.</summary>
public sealed record AppRedirectConfig(string Location, string From, string Workspace, string App);
