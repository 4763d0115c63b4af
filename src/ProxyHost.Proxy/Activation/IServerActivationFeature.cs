using ProxyHost.Supervision.Lifecycle;

namespace ProxyHost.Proxy.Activation;

/// <summary>Set on a request once its server is ready; forwarding transforms read the endpoint from it.</summary>
internal interface IServerActivationFeature
{
    ActiveServer Server { get; }
}

internal sealed record ServerActivationFeature(ActiveServer Server) : IServerActivationFeature;
