using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;

// YarpAlone --port P --backend http://127.0.0.1:B : forwards /bk/... to the backend, and does nothing else.
var port = int.Parse(args[Array.IndexOf(args, "--port") + 1]);
var backend = args[Array.IndexOf(args, "--backend") + 1];
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port));
var route = new RouteConfig { RouteId = "bk", ClusterId = "bk", Match = new RouteMatch { Path = "/bk/{**rest}" } };
var cluster = new ClusterConfig
{
    ClusterId = "bk",
    Destinations = new Dictionary<string, DestinationConfig> { ["backend"] = new() { Address = backend } },
    // The same HTTP/1.1 to the backend as ProxyHost's clusters.
    HttpRequest = new ForwarderRequestConfig { Version = System.Net.HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower },
};
builder.Services.AddReverseProxy().LoadFromMemory([route.WithTransformPathRemovePrefix("/bk")], [cluster]);
var app = builder.Build();
app.MapReverseProxy();
app.Run();
