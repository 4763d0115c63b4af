namespace ProxyHost.Apps.Hosting;

/// <summary>An application-service backend as registered (returned by <c>RegisterService</c>; pass it to <c>RegisterApp</c>).</summary>
public sealed class RegisteredService
{
    internal RegisteredService(string workspace, string name, string className, ServiceFactory factory, string? fixedServiceId, bool shared,
        Func<string, bool>? serviceIdValidator, TimeSpan idleTimeout)
    {
        Workspace = workspace;
        Name = name;
        ClassName = className;
        Factory = factory;
        FixedServiceId = fixedServiceId;
        Shared = shared;
        ServiceIdValidator = serviceIdValidator;
        IdleTimeout = idleTimeout;
    }

    public string Workspace { get; }

    public string Name { get; }

    public string ClassName { get; }

    public string? FixedServiceId { get; }

    /// <summary>True: one instance per service id, shared by its sessions; false: one instance per session.</summary>
    public bool Shared { get; }

    public Func<string, bool>? ServiceIdValidator { get; }

    /// <summary>How long a shared instance without a fixed id lives on after its last session left.</summary>
    public TimeSpan IdleTimeout { get; }

    internal ServiceFactory Factory { get; }

    /// <summary>A fixed id must match; otherwise the validator decides (an exception means invalid).</summary>
    public bool IsValidServiceId(string serviceId)
    {
        if (string.IsNullOrEmpty(serviceId))
        {
            return false;
        }
        if (FixedServiceId is not null)
        {
            return serviceId == FixedServiceId;
        }
        try
        {
            return ServiceIdValidator?.Invoke(serviceId) ?? true;
        }
#pragma warning disable CA1031 // Narvi's rule: a validator that throws rejects the id
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    internal string Describe(string serviceId) => $"{Workspace}/{Name}/{serviceId}";
}

/// <summary>A web-application frontend bound to one service (returned by <c>RegisterApp</c>).</summary>
public sealed class RegisteredApp
{
    internal RegisteredApp(string name, RegisteredService service, string appParametersJson, IReadOnlyList<ResourceRoot> resourceRoots, string? serviceChooserAppName, string title)
    {
        Title = title;
        Name = name;
        Service = service;
        AppParametersJson = appParametersJson;
        ResourceRoots = resourceRoots;
        ServiceChooserAppName = serviceChooserAppName;
    }

    public string Name { get; }

    /// <summary>What launchers show; the app name unless given.</summary>
    public string Title { get; }

    public string Workspace => Service.Workspace;

    public RegisteredService Service { get; }

    /// <summary>The JSON object sent to the browser as <c>app_parameters</c> in <c>session_connected</c>.</summary>
    public string AppParametersJson { get; }

    public IReadOnlyList<ResourceRoot> ResourceRoots { get; }

    /// <summary>A sibling app to send browsers to when they come without a (valid) service id.</summary>
    public string? ServiceChooserAppName { get; }
}
