using ProxyHost.Apps.Hosting;
using ProxyHost.Apps.Tests.Infrastructure;
using ProxyHost.Security;

namespace ProxyHost.Apps.Tests;

/// <summary>Class lookup and constructor binding happen at registration, with clear errors.</summary>
public sealed class RegistrationTests
{
    private static readonly string Typed = typeof(TypedService).FullName!;

    [Fact]
    public async Task Parameters_AreBoundByName_ConvertedAndDefaulted()
    {
        await using var registry = new AppServiceRegistry();
        var service = registry.RegisterService("w", "typed", Typed, new Dictionary<string, object> { ["count"] = 3, ["greeting_text"] = "hi", ["tags"] = new[] { "a", "b" } });
        var app = (TypedService)service.Factory.Create(null!);
        app.Describe().Should().Be("3/hi/1.5/a,b");
    }

    [Theory]
    [InlineData("""{"greetingText": "hi"}""", "needs parameter(s) 'count'")]
    [InlineData("""{"count": "three", "greetingText": "hi"}""", "parameter 'count' expects Int32, got \"three\"")]
    [InlineData("""{"count": 1.5, "greetingText": "hi"}""", "parameter 'count' expects Int32, got 1.5")]
    [InlineData("""{"count": null, "greetingText": "hi"}""", "parameter 'count' expects Int32, got null")]
    [InlineData("""{"count": 1, "greetingText": "hi", "colour": "red"}""", "has no parameter(s) 'colour'")]
    [InlineData("""{"count": 1, "greetingText": 5}""", "parameter 'greetingText' expects String, got 5")]
    public async Task BadParameters_FailAtRegistration(string json, string message)
    {
        await using var registry = new AppServiceRegistry();
        using var parameters = System.Text.Json.JsonDocument.Parse(json);
        var register = () => registry.RegisterService("w", "typed", Typed, parameters.RootElement);
        register.Should().Throw<ArgumentException>().Which.Message.Should().Contain(message);
    }

    [Fact]
    public async Task UnknownOrUnsuitableClass_FailsAtRegistration()
    {
        await using var registry = new AppServiceRegistry();
        FluentActions.Invoking(() => registry.RegisterService("w", "a", "No.Such.Class")).Should().Throw<ArgumentException>().WithMessage("*no class 'No.Such.Class'*");
        FluentActions.Invoking(() => registry.RegisterService("w", "b", typeof(Gates).FullName!)).Should().Throw<ArgumentException>().WithMessage("*IWebAppServices*");
        registry.RegisterService("w", "c", nameof(EchoService)).Factory.Type.Should().Be<EchoService>("a unique simple name is enough");
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData(" x")]
    [InlineData("")]
    public async Task Names_MustBeOneUrlSegment(string name)
    {
        await using var registry = new AppServiceRegistry();
        FluentActions.Invoking(() => registry.RegisterService(name, "s", nameof(EchoService))).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => registry.RegisterService("w", name, nameof(EchoService))).Should().Throw<ArgumentException>();
    }

    [Fact]
    public async Task Duplicates_AreRefused()
    {
        await using var registry = new AppServiceRegistry();
        var service = registry.RegisterService("w", "s", nameof(EchoService));
        FluentActions.Invoking(() => registry.RegisterService("w", "s", nameof(EchoService))).Should().Throw<ArgumentException>().WithMessage("*already registered*");
        registry.RegisterApp("app", service);
        FluentActions.Invoking(() => registry.RegisterApp("app", service)).Should().Throw<ArgumentException>().WithMessage("*already registered*");
        registry.RegisterService("other", "s", nameof(EchoService)).Should().NotBeNull("another workspace is another namespace");
    }

    [Fact]
    public void ListAppUrls_ListsAdminAppsWithFixedIdOrChooser_AndRedirects()
    {
        var server = new NarviServer("localhost", 8123, adminPath: "/admin");
        var fixedService = server.RegisterService("w", "f", nameof(EchoService), fixedServiceId: "main");
        var free = server.RegisterService("w", "free", nameof(EchoService));
        server.RegisterApp("fixed", fixedService);
        server.RegisterApp("free", free);
        server.RegisterApp("chosen", free, serviceChooserAppName: "fixed");
        server.RegisterRedirect("/", "w", "fixed");

        server.ListAppUrls().Should().Equal(
            ("", "admin", "http://localhost:8123/admin"),
            ("w", "fixed", "http://localhost:8123/narvi/w/fixed/index.html"),
            ("w", "chosen", "http://localhost:8123/narvi/w/chosen/index.html"),
            ("w", "fixed", "http://localhost:8123/"));
    }

    [Fact]
    public void GetPathOfResource_FindsFilesAndExtractsEmbeddedResourcesIntoThePrivateFolder()
    {
        var assembly = typeof(NarviServer).Assembly;
        NarviServer.GetPathOfResource(assembly).Should().Be(Path.GetDirectoryName(assembly.Location));
        var js = NarviServer.GetPathOfResource("ProxyHost.Apps", "narvi.js");
        File.ReadAllText(js).Should().Contain("start_narvi");
        js.Should().StartWith(PrivateState.Root + Path.DirectorySeparatorChar);
        FluentActions.Invoking(() => NarviServer.GetPathOfResource(assembly, "missing.txt")).Should().Throw<FileNotFoundException>();
    }
}
