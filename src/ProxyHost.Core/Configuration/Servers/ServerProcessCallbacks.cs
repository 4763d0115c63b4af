using System.Reflection;

namespace ProxyHost.Configuration;

/// <summary>
/// Turns a delegate that asks only for the values it names — as jupyter-server-proxy's callables do —
/// into the one canonical shape <c>Func&lt;ServerProcessContext, ValueTask&lt;T&gt;&gt;</c>. Parameters are
/// matched by name: <c>port</c> (int), <c>unix_socket</c>/<c>unixSocket</c> (string, "" for TCP),
/// <c>base_url</c>/<c>baseUrl</c>, <c>server_name</c>/<c>serverName</c>; by type: <see cref="ServerProcessContext"/>
/// and <see cref="CancellationToken"/>. The result may be the expected type (or a subtype), a Task of it or a ValueTask of it.
/// </summary>
public static class ServerProcessCallbacks
{
    /// <summary>The parameter names a callback may ask for.</summary>
    public static IReadOnlyList<string> ParameterNames { get; } = ["port", "unix_socket", "base_url", "server_name", "context", "cancellationToken"];

    /// <summary>Adapts <paramref name="callback"/>; throws <see cref="ArgumentException"/> at once for a parameter it cannot supply.</summary>
    public static Func<ServerProcessContext, ValueTask<T>> Adapt<T>(Delegate callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (callback is Func<ServerProcessContext, ValueTask<T>> canonical)
        {
            return canonical;
        }
        var parameters = callback.Method.GetParameters();
        var suppliers = parameters.Select(Supplier).ToArray();
        return async context =>
        {
            var arguments = suppliers.Select(s => s(context)).ToArray();
            object? result;
            try
            {
                result = callback.DynamicInvoke(arguments);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
                throw;
            }
            result = await UnwrapAsync(result).ConfigureAwait(false);
            return result is T value
                ? value
                : throw new InvalidOperationException(
                    $"the callback returned {result?.GetType().Name ?? "null"}, expected {typeof(T).Name}");
        };
    }

    private static Func<ServerProcessContext, object?> Supplier(ParameterInfo parameter)
    {
        if (parameter.ParameterType == typeof(ServerProcessContext))
        {
            return c => c;
        }
        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return c => c.CancellationToken;
        }
        var name = (parameter.Name ?? "").Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
        Func<ServerProcessContext, object?>? supplier = name switch
        {
            "port" when parameter.ParameterType == typeof(int) => c => c.Port,
            "unixsocket" when parameter.ParameterType == typeof(string) => c => c.UnixSocket ?? "",
            "baseurl" when parameter.ParameterType == typeof(string) => c => c.BaseUrl,
            "servername" when parameter.ParameterType == typeof(string) => c => c.ServerName,
            _ => null,
        };
        return supplier ?? throw new ArgumentException(
            $"callback parameter '{parameter.ParameterType.Name} {parameter.Name}' is not one ProxyHost can supply; " +
            "ask for int port, string unix_socket, string base_url, string server_name, a ServerProcessContext or a CancellationToken",
            nameof(parameter));
    }

    private static async ValueTask<object?> UnwrapAsync(object? result)
    {
        switch (result)
        {
            case Task task:
                await task.ConfigureAwait(false);
                return task.GetType().GetProperty("Result")?.GetValue(task);
            case not null when result.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(ValueTask<>):
                var asTask = (Task)type.GetMethod("AsTask")!.Invoke(result, null)!;
                return await UnwrapAsync(asTask).ConfigureAwait(false);
            default:
                return result;
        }
    }
}
