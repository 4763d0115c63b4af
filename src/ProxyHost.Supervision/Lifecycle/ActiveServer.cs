using ProxyHost.Supervision.Endpoints;

namespace ProxyHost.Supervision.Lifecycle;

/// <summary>What a request needs to reach a ready server: its endpoint and its rendered header overrides.</summary>
public sealed record ActiveServer(string Name, ServerEndpoint Endpoint, IReadOnlyDictionary<string, string> RequestHeaders);
