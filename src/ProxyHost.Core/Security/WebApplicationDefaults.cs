using Microsoft.AspNetCore.Builder;

namespace ProxyHost.Security;

/// <summary>
/// How every Kestrel server in ProxyHost is created. ASP.NET's default content root is the working
/// directory, so an appsettings.json wherever a user happens to start ProxyHost (a project checkout, a
/// shared folder) would configure it, Kestrel endpoints included: one planted there made it listen on
/// 0.0.0.0. Its reload-on-change watch also put an inotify watch on every folder below the working
/// directory, which costs start-up time and the user's inotify limit that editors and notebooks share.
/// The install folder holds no appsettings.json, and nothing is watched.
/// </summary>
internal static class WebApplicationDefaults
{
    public static WebApplicationOptions Options(string applicationName) => new()
    {
        ApplicationName = applicationName,
        ContentRootPath = AppContext.BaseDirectory,
        Args = ["--hostBuilder:reloadConfigOnChange=false"],
    };
}
