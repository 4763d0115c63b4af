using System.Reflection;
using FluentAssertions;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ProxyHost.Integration.Tests;

/// <summary>Every log message of every ProxyHost assembly has its own event id, so a log filter or alert on an id means one thing.</summary>
public sealed class LogEventIdTests
{
    private static readonly string[] Assemblies =
        ["ProxyHost.Core", "ProxyHost.Supervision", "ProxyHost.Proxy", "ProxyHost.Hosting", "ProxyHost.Apps", "ProxyHost.Relay", "ProxyHost.Messaging"];

    [Fact]
    public void LoggerMessages_AcrossAllAssemblies_UseDistinctEventIds()
    {
        var messages = Assemblies
            .Select(Load)
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: $"{m.DeclaringType!.FullName}.{m.Name}", Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null)
            .ToList();

        messages.Should().HaveCountGreaterThan(60, "every assembly logs through source-generated messages");
        messages.Should().OnlyContain(m => m.Attribute!.EventId > 0, "an id of 0 is the generator's 'none'");
        var shared = messages.GroupBy(m => m.Attribute!.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}");
        shared.Should().BeEmpty();
    }

    private static Assembly Load(string name) =>
        AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == name) ?? Assembly.Load(name);
}
