namespace ProxyHost.Hosting.Configuration;

/// <summary>The config file to serve from and whether it must exist at start-up.</summary>
/// <param name="Required">False for the default path: a missing file means no servers yet (it is watched for).</param>
internal sealed record ConfigFileSource(string Path, bool Required);
