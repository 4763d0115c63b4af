using System.Text.Json;
using System.Text.RegularExpressions;

namespace ProxyHost.Configuration;

/// <summary>Reads and checks the <c>apps</c> section; every problem is reported with its key path.</summary>
internal static class AppsConfigReader
{
    private static readonly string[] TopKeys = ["assemblies", "admin_path", "monitoring_interval", "monitoring_retention", "monitor_app", "services", "apps", "redirects"];
    private static readonly string[] ServiceKeys = ["workspace", "name", "class", "parameters", "fixed_service_id", "shared", "idle_timeout", "service_id_pattern"];
    private static readonly string[] AppKeys = ["workspace", "name", "service", "parameters", "resource_roots", "service_chooser", "title"];
    private static readonly string[] RootKeys = ["url", "file", "prefix", "glob", "folder"];
    private static readonly string[] RedirectKeys = ["from", "workspace", "app"];

    public static AppsConfiguration Read(JsonElement element, ConfigErrorCollector errors)
    {
        var config = new AppsConfiguration();
        if (!IsObject(element, "apps", "an object with services, apps and redirects", errors))
        {
            return config;
        }
        CheckKeys(element, "apps", TopKeys, errors);
        var r = new Reader(errors);
        config = config with
        {
            Assemblies = r.List(element, "apps", "assemblies", (e, at) => r.String(e, at, "a DLL path")) ,
            AdminPath = r.OptionalString(element, "apps", "admin_path") is { } admin ? admin.Trim('/') : null,
            MonitoringInterval = r.Seconds(element, "apps", "monitoring_interval"),
            MonitoringRetention = r.Seconds(element, "apps", "monitoring_retention"),
            MonitorApp = r.Bool(element, "apps", "monitor_app", false),
            Services = r.List(element, "apps", "services", r.Service),
            Apps = r.List(element, "apps", "apps", r.App),
            Redirects = r.List(element, "apps", "redirects", r.Redirect),
        };
        CrossCheck(config, errors);
        return config;
    }

    private static void CrossCheck(AppsConfiguration config, ConfigErrorCollector errors)
    {
        var services = new HashSet<(string, string)>();
        foreach (var service in config.Services.Where(s => !services.Add((s.Workspace, s.Name))))
        {
            errors.Add(service.Location + ".name", $"service '{service.Name}' is defined more than once in workspace '{service.Workspace}'");
        }
        var apps = new HashSet<(string, string)>();
        foreach (var app in config.Apps)
        {
            if (!apps.Add((app.Workspace, app.Name)))
            {
                errors.Add(app.Location + ".name", $"app '{app.Name}' is defined more than once in workspace '{app.Workspace}'");
            }
            if (!services.Contains((app.Workspace, app.Service)))
            {
                errors.Add(app.Location + ".service", $"no service '{app.Service}' in workspace '{app.Workspace}' (define it in apps.services)");
            }
        }
        foreach (var app in config.Apps.Where(a => a.ServiceChooser is not null && !apps.Contains((a.Workspace, a.ServiceChooser))))
        {
            errors.Add(app.Location + ".service_chooser", $"no app '{app.ServiceChooser}' in workspace '{app.Workspace}'");
        }
        foreach (var redirect in config.Redirects.Where(r => !apps.Contains((r.Workspace, r.App))))
        {
            errors.Add(redirect.Location + ".app", $"no app '{redirect.App}' in workspace '{redirect.Workspace}'");
        }
        if (config.MonitorApp && apps.Contains(("system_workspace", "monitor_app")))
        {
            errors.Add("apps.monitor_app", "app 'monitor_app' in workspace 'system_workspace' is already defined in apps.apps");
        }
    }

    private static bool IsObject(JsonElement element, string at, string what, ConfigErrorCollector errors)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            return true;
        }
        errors.Add(at, $"expected {what}, got {JsonValueReader.Describe(element)}");
        return false;
    }

    private static void CheckKeys(JsonElement element, string at, string[] known, ConfigErrorCollector errors)
    {
        foreach (var property in element.EnumerateObject().Where(p => !known.Contains(p.Name)))
        {
            errors.Add($"{at}.{property.Name}", $"unknown key (known keys: {string.Join(", ", known)})");
        }
    }

    private sealed class Reader(ConfigErrorCollector errors)
    {
        public List<T> List<T>(JsonElement parent, string at, string key, Func<JsonElement, string, T?> item)
        {
            var result = new List<T>();
            if (!parent.TryGetProperty(key, out var list))
            {
                return result;
            }
            if (list.ValueKind != JsonValueKind.Array)
            {
                errors.Add($"{at}.{key}", $"expected a list, got {JsonValueReader.Describe(list)}");
                return result;
            }
            var index = 0;
            foreach (var element in list.EnumerateArray())
            {
                if (item(element, $"{at}.{key}[{index++}]") is { } value)
                {
                    result.Add(value);
                }
            }
            return result;
        }

        public AppServiceConfig? Service(JsonElement e, string at)
        {
            if (!IsObject(e, at, "a service such as {\"workspace\": \"demo\", \"name\": \"echo_service\", \"class\": \"MyApp.EchoService\"}", errors))
            {
                return null;
            }
            CheckKeys(e, at, ServiceKeys, errors);
            var (workspace, name, className) = (Segment(e, at, "workspace"), Segment(e, at, "name"), RequiredString(e, at, "class"));
            var pattern = OptionalString(e, at, "service_id_pattern");
            if (pattern is not null && !IsRegex(pattern))
            {
                errors.Add(at + ".service_id_pattern", $"'{pattern}' is not a valid regular expression");
            }
            var fixedId = OptionalString(e, at, "fixed_service_id");
            var config = workspace is null || name is null || className is null ? null : new AppServiceConfig(at, workspace, name, className)
            {
                ParametersJson = Parameters(e, at),
                FixedServiceId = fixedId,
                Shared = Bool(e, at, "shared", true),
                IdleTimeout = Seconds(e, at, "idle_timeout", allowZero: true),
                ServiceIdPattern = pattern,
            };
            return config;
        }

        public AppFrontendConfig? App(JsonElement e, string at)
        {
            if (!IsObject(e, at, "an app such as {\"workspace\": \"demo\", \"name\": \"echo\", \"service\": \"echo_service\", \"resource_roots\": [...]}", errors))
            {
                return null;
            }
            CheckKeys(e, at, AppKeys, errors);
            var (workspace, name, service) = (Segment(e, at, "workspace"), Segment(e, at, "name"), Segment(e, at, "service"));
            var roots = List(e, at, "resource_roots", Root);
            var chooser = OptionalString(e, at, "service_chooser");
            var title = OptionalString(e, at, "title");
            var parameters = Parameters(e, at);
            return workspace is null || name is null || service is null ? null : new AppFrontendConfig(at, workspace, name, service)
            {
                ParametersJson = parameters,
                ResourceRoots = roots,
                ServiceChooser = chooser,
                Title = title,
            };
        }

        public AppRedirectConfig? Redirect(JsonElement e, string at)
        {
            if (!IsObject(e, at, "a redirect such as {\"from\": \"chat\", \"workspace\": \"demo\", \"app\": \"chat\"}", errors))
            {
                return null;
            }
            CheckKeys(e, at, RedirectKeys, errors);
            var from = OptionalString(e, at, "from") ?? "";
            var (workspace, app) = (Segment(e, at, "workspace"), Segment(e, at, "app"));
            return workspace is null || app is null ? null : new AppRedirectConfig(at, from.Trim('/'), workspace, app);
        }

        private AppResourceRootConfig? Root(JsonElement e, string at)
        {
            const string Shape = "a resource root: {\"url\": \"index.html\", \"file\": \"static/index.html\"} or {\"prefix\": \"images\", \"glob\": \"*.png\", \"folder\": \"static/images\"}";
            if (!IsObject(e, at, Shape, errors))
            {
                return null;
            }
            CheckKeys(e, at, RootKeys, errors);
            var (url, file, prefix, glob, folder) = (OptionalString(e, at, "url"), OptionalString(e, at, "file"), Prefix(e, at),
                OptionalString(e, at, "glob"), OptionalString(e, at, "folder"));
            var isFile = url is not null && file is not null && !e.TryGetProperty("prefix", out _) && glob is null && folder is null;
            var isFolder = glob is not null && folder is not null && url is null && file is null;
            if (!isFile && !isFolder)
            {
                errors.Add(at, "expected " + Shape);
                return null;
            }
            return new AppResourceRootConfig(at, url, file, prefix ?? "", glob, folder);
        }

        public string? String(JsonElement e, string at, string what)
        {
            if (e.ValueKind == JsonValueKind.String && e.GetString() is { Length: > 0 } value)
            {
                return value;
            }
            errors.Add(at, $"expected {what} (a non-empty string), got {JsonValueReader.Describe(e)}");
            return null;
        }

        public string? OptionalString(JsonElement parent, string at, string key) =>
            parent.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null ? String(value, $"{at}.{key}", key) : null;

        public bool Bool(JsonElement parent, string at, string key, bool fallback) =>
            parent.TryGetProperty(key, out var value) ? JsonValueReader.Bool(value, $"{at}.{key}", errors, fallback) : fallback;

        public TimeSpan? Seconds(JsonElement parent, string at, string key, bool allowZero = false)
        {
            if (!parent.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            if (value.ValueKind == JsonValueKind.Number && value.GetDouble() is var seconds && (seconds > 0 || (allowZero && seconds == 0)) && seconds <= 31_536_000)
            {
                return TimeSpan.FromSeconds(seconds);
            }
            errors.Add($"{at}.{key}", $"expected a number of seconds {(allowZero ? "of 0 or more" : "greater than 0")} (at most a year), got {JsonValueReader.Describe(value)}");
            return null;
        }

        private string? RequiredString(JsonElement parent, string at, string key)
        {
            if (parent.TryGetProperty(key, out var value))
            {
                return String(value, $"{at}.{key}", key);
            }
            errors.Add($"{at}.{key}", "missing (required)");
            return null;
        }

        /// <summary>A required name that becomes one URL segment.</summary>
        private string? Segment(JsonElement parent, string at, string key)
        {
            var value = RequiredString(parent, at, key);
            if (value is not null && (value.Contains('/', StringComparison.Ordinal) || value.Contains('\\', StringComparison.Ordinal) || value is "." or ".." || value.Trim() != value))
            {
                errors.Add($"{at}.{key}", $"'{value}' must be one URL segment (no '/', '\\', '.', '..' or surrounding spaces)");
                return null;
            }
            return value;
        }

        /// <summary>A folder root's prefix; "" (match from the root) is allowed.</summary>
        private string? Prefix(JsonElement parent, string at)
        {
            if (!parent.TryGetProperty("prefix", out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            if (value.ValueKind == JsonValueKind.String)
            {
                return value.GetString()!.Trim('/');
            }
            errors.Add(at + ".prefix", $"expected a path prefix such as \"images\" (or \"\"), got {JsonValueReader.Describe(value)}");
            return null;
        }

        private string Parameters(JsonElement parent, string at)
        {
            if (!parent.TryGetProperty("parameters", out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return "{}";
            }
            if (value.ValueKind != JsonValueKind.Object)
            {
                errors.Add(at + ".parameters", $"expected an object of parameter name to value, got {JsonValueReader.Describe(value)}");
                return "{}";
            }
            return value.GetRawText();
        }

        private static bool IsRegex(string pattern)
        {
            try
            {
                _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
                return true;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }
    }
}
