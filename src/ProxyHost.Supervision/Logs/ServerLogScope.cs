using System.Collections;

namespace ProxyHost.Supervision.Logs;

/// <summary>
/// The logging scope around everything done for one server (its process runs, its proxied requests):
/// structured providers see a <c>Server</c> property; text providers with scopes on see <c>server=NAME</c>.
/// </summary>
public sealed class ServerLogScope(string serverName) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string PropertyName = "Server";

    public string ServerName { get; } = serverName;

    public int Count => 1;

    public KeyValuePair<string, object?> this[int index] =>
        index == 0 ? new(PropertyName, ServerName) : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => "server=" + ServerName;
}
