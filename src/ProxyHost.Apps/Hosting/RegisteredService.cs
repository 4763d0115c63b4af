namespace ProxyHost.Apps.Hosting;

/// <summary>An application-service backend as registered (returned by <c>RegisterService</c>; pass it to <c>RegisterApp</c>).</summary>
public sealed record RegisteredService
{
    internal RegisteredService()
    {
    }

    public string Workspace { get; internal init; } = "";

    public string Name { get; internal init; } = "";

    public string ClassName { get; internal init; } = "";

    public string? FixedServiceId { get; internal init; }

    /// <summary>True: one instance per service id, shared by its sessions; false: one instance per session.</summary>
    public bool Shared { get; internal init; }

    public Func<string, bool>? ServiceIdValidator { get; internal init; }

    /// <summary>How long a shared instance without a fixed id lives on after its last session left.</summary>
    public TimeSpan IdleTimeout { get; internal init; }

    internal ServiceFactory Factory { get; init; } = null!;

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
