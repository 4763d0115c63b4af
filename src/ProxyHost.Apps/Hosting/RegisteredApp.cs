namespace ProxyHost.Apps.Hosting;

/// <summary>A web-application frontend bound to one service (returned by <c>RegisterApp</c>).</summary>
public sealed record RegisteredApp
{
    internal RegisteredApp()
    {
    }

    public string Name { get; internal init; } = "";

    /// <summary>What launchers show; the app name unless given.</summary>
    public string Title { get; internal init; } = "";

    public string Workspace => Service.Workspace;

    public RegisteredService Service { get; internal init; } = null!;

    /// <summary>The JSON object sent to the browser as <c>app_parameters</c> in <c>session_connected</c>.</summary>
    public string AppParametersJson { get; internal init; } = "{}";

    public IReadOnlyList<ResourceRoot> ResourceRoots { get; internal init; } = [];

    /// <summary>A sibling app to send browsers to when they come without a (valid) service id.</summary>
    public string? ServiceChooserAppName { get; internal init; }
}
