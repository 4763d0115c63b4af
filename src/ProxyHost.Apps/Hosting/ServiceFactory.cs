using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using ProxyHost.Apps.Messaging;

namespace ProxyHost.Apps.Hosting;

/// <summary>
/// Finds an application-service class by name in the loaded assemblies and binds its constructor once, at
/// registration: the first parameter is the <see cref="IWebAppServices"/>, the others are taken by name from
/// the JSON app parameters (<c>snake_case</c> keys match camelCase parameters) and converted to their types.
/// Narvi's <c>cls(services, **app_parameters)</c>, with its mistakes found before the first connect.
/// </summary>
internal sealed class ServiceFactory
{
    private static readonly JsonSerializerOptions ConversionOptions = new() { PropertyNameCaseInsensitive = true };

    private readonly ConstructorInfo _constructor;
    private readonly (ParameterInfo Parameter, JsonElement? Value)[] _arguments;

    private ServiceFactory(Type type, ConstructorInfo constructor, (ParameterInfo, JsonElement?)[] arguments)
    {
        Type = type;
        _constructor = constructor;
        _arguments = arguments;
        foreach (var (parameter, value) in _arguments)
        {
            _ = Convert(parameter, value);
        }
    }

    public Type Type { get; }

    /// <summary>Binds <paramref name="className"/> (full name, or a unique simple name) to <paramref name="parameters"/> (a JSON object).</summary>
    /// <exception cref="ServiceBindingException">No such class, no usable constructor, or a parameter is missing, unknown or of the wrong type.</exception>
    public static ServiceFactory Bind(string className, JsonElement parameters)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(className);
        if (parameters.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null))
        {
            throw new ServiceBindingException($"the parameters of {className} must be a JSON object, not {parameters.ValueKind}", "parameters");
        }
        var type = FindType(className);
        var given = parameters.ValueKind == JsonValueKind.Object
            ? parameters.EnumerateObject().ToDictionary(p => Normalize(p.Name), p => (Name: p.Name, Value: p.Value.Clone()))
            : [];
        var constructors = type.GetConstructors()
            .Where(c => c.GetParameters() is [var first, ..] && first.ParameterType == typeof(IWebAppServices))
            .OrderByDescending(c => c.GetParameters().Length)
            .ToList();
        if (constructors.Count == 0)
        {
            throw new ServiceBindingException($"{type.FullName} has no public constructor whose first parameter is {nameof(IWebAppServices)}", "class");
        }

        ServiceBindingException? firstProblem = null;
        foreach (var constructor in constructors)
        {
            var rest = constructor.GetParameters()[1..];
            var names = rest.Select(p => Normalize(p.Name!)).ToHashSet(StringComparer.Ordinal);
            var unknown = given.Where(g => !names.Contains(g.Key)).Select(g => g.Value.Name).ToList();
            var missing = rest.Where(p => !given.ContainsKey(Normalize(p.Name!)) && !p.HasDefaultValue).Select(p => p.Name!).ToList();
            if (unknown.Count == 0 && missing.Count == 0)
            {
                var arguments = rest.Select(p => (p, given.TryGetValue(Normalize(p.Name!), out var v) ? v.Value : (JsonElement?)null)).ToArray();
                return new ServiceFactory(type, constructor, arguments);
            }
            firstProblem ??= missing.Count > 0
                ? new ServiceBindingException($"{type.FullName} needs parameter(s) {string.Join(", ", missing.Select(m => $"'{m}'"))} (its constructor takes {Describe(rest)})", "parameters")
                : new ServiceBindingException($"{type.FullName} has no parameter(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))} (its constructor takes {Describe(rest)})", "parameters." + unknown[0]);
        }
        throw firstProblem!;
    }

    /// <summary>Constructs a new app object; parameters are converted afresh, so instances never share mutable values.</summary>
    public object Create(IWebAppServices services) =>
        _constructor.Invoke([services, .. _arguments.Select(a => Convert(a.Parameter, a.Value))]);

    private static object? Convert(ParameterInfo parameter, JsonElement? value)
    {
        if (value is null)
        {
            return parameter.DefaultValue;
        }
        try
        {
            var converted = value.Value.Deserialize(parameter.ParameterType, ConversionOptions);
            if (converted is null && parameter.ParameterType.IsValueType && Nullable.GetUnderlyingType(parameter.ParameterType) is null)
            {
                throw new JsonException("null is not a value");
            }
            return converted;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or FormatException)
        {
            throw new ServiceBindingException(
                $"{parameter.Member.DeclaringType!.FullName}: parameter '{parameter.Name}' expects {TypeName(parameter.ParameterType)}, got {value.Value.GetRawText()}",
                "parameters." + parameter.Name);
        }
    }

    private static Type FindType(string className)
    {
        if (Type.GetType(className, throwOnError: false) is { } qualified)
        {
            return qualified; // "Namespace.Class, Assembly"
        }
        LoadByNamespace(className);
        var assemblies = AssemblyLoadContext.All.SelectMany(c => c.Assemblies).Distinct().ToList();
        var exact = assemblies.Select(a => a.GetType(className, throwOnError: false)).FirstOrDefault(t => t is not null);
        if (exact is not null)
        {
            return exact;
        }
        var bySimpleName = assemblies.Where(a => !a.IsDynamic)
            .SelectMany(a => SafeTypes(a))
            .Where(t => t.IsPublic && t.IsClass && t.Name == className)
            .ToList();
        return bySimpleName switch
        {
            [var single] => single,
            [] => throw new ServiceBindingException($"no class '{className}' in the loaded assemblies (give its full name, and the assembly that holds it)", "class"),
            _ => throw new ServiceBindingException($"class name '{className}' is ambiguous: {string.Join(", ", bySimpleName.Select(t => t.FullName))}; give the full name", "class"),
        };
    }

    /// <summary>A class of a referenced assembly that nothing has touched yet is not loaded: try its namespace prefixes as assembly names.</summary>
    private static void LoadByNamespace(string className)
    {
        var parts = className.Split('.');
        for (var length = parts.Length - 1; length > 0; length--)
        {
            var name = string.Join('.', parts[..length]);
            if (AssemblyLoadContext.All.SelectMany(c => c.Assemblies).Any(a => a.GetName().Name == name))
            {
                return;
            }
            try
            {
                Assembly.Load(new AssemblyName(name));
                return;
            }
            catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException or ArgumentException)
            {
            }
        }
    }

    private static IEnumerable<Type> SafeTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetExportedTypes();
        }
        catch (Exception e) when (e is ReflectionTypeLoadException or FileNotFoundException or NotSupportedException)
        {
            return [];
        }
    }

    private static string Normalize(string name) => name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();

    private static string Describe(ParameterInfo[] parameters) =>
        parameters.Length == 0 ? "no parameters" : string.Join(", ", parameters.Select(p => $"{TypeName(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? " (optional)" : "")}"));

    private static string TypeName(Type type) => Nullable.GetUnderlyingType(type) is { } inner ? TypeName(inner) + "?" : type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>"
        : type.Name;
}

/// <summary>A service class or its parameters cannot be used; <see cref="Key"/> says which (<c>class</c>, <c>parameters</c>, <c>parameters.NAME</c>).</summary>
public sealed class ServiceBindingException(string message, string key) : ArgumentException(message)
{
    public string Key { get; } = key;
}
