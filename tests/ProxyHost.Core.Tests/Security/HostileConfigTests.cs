using System.Text;
using FluentAssertions;
using ProxyHost.Configuration;
using Xunit;

namespace ProxyHost.Core.Tests.Security;

/// <summary>
/// Hostile and broken configs: every key given every wrong type, plus a seeded fuzz of generated and
/// mutated JSON. The reader only ever answers with a config or with located errors, never another exception.
/// </summary>
public sealed class HostileConfigTests
{
    private const string File = "/home/ana/proxyhost.json";

    private static readonly string[] Values =
    [
        "\"x\"", "\"\"", "\"<prot>\"", "\"/abs\"", "3", "-1", "0", "1e308", "2.5", "true", "false", "null", "[]", "[1]", "[\"a\", 2]", "{}",
        "{\"a\": 1}", "{\"\": \"\"}", "{\"Bad Header\": \"v\"}", "[[[]]]", "\"\\ud800\"",
    ];

    public static TheoryData<string> EveryServerKey() => new(ServerKeys.All);

    [Theory]
    [MemberData(nameof(EveryServerKey))]
    public void ServerKey_EveryValueType_IsReadOrGivesErrorsAtThatKey(string key)
    {
        var rejected = 0;
        foreach (var value in Values)
        {
            var json = key == "command"
                ? "{\"servers\": {\"lab\": {\"command\": " + value + ", \"port\": 1}}}"
                : "{\"servers\": {\"lab\": {\"command\": [\"a\", \"<port>\"], \"" + key + "\": " + value + "}}}";

            var errors = Errors(json);

            errors.Where(e => !e.Location.StartsWith("servers.lab." + key, StringComparison.Ordinal) || e.Message.Length == 0)
                .Should().BeEmpty($"{key}: {value} -> {string.Join("; ", errors)}");
            errors.Count.Should().BeLessThanOrEqualTo(2, $"{key}: {value} gives one clear error per wrong part, not a cascade");
            rejected += errors.Count > 0 ? 1 : 0;
        }
        rejected.Should().BeGreaterThan(Values.Length / 3, $"{key} checks the type of its value");
    }

    [Theory]
    [InlineData("{")]
    [InlineData("{\"servers\": {\"a\": {\"command\": [\"x\"]}}")]
    [InlineData("{\"servers\": {\"a\": {\"command\": [\"x\"],}},}}")]
    [InlineData("\"just a string\"")]
    [InlineData("null")]
    [InlineData("{\"servers\": {\"a\": {\"command\": [\"x\"]}}} trailing")]
    [InlineData("\uFEFF{\"servers\": 1}")]
    [InlineData("{\"servers\": {\"a\": {\"command\": [\"\\ud800\"]}}}")]
    public void BrokenJson_GivesOneLocatedError(string json)
    {
        var errors = Errors(json);

        errors.Should().ContainSingle().Which.Source.Should().Be(File);
    }

    [Fact]
    public void Fuzz_GeneratedAndMutatedConfigs_OnlyEverGiveLocatedErrors()
    {
        var random = new Random(6);
        var keys = ServerKeys.All.Concat(["bogus", "", "COMMAND", "command ", "launcher_entry"]).ToArray();
        var accepted = 0;
        for (var i = 0; i < 3000; i++)
        {
            var json = Generate(random, keys);
            if (random.Next(3) == 0)
            {
                json = Mutate(random, json);
            }

            var errors = Errors(json);

            errors.Where(e => e.Source != File || e.Message.Length == 0 || e.Message.Contains("   at ", StringComparison.Ordinal)).Should().BeEmpty(json);
            accepted += errors.Count == 0 ? 1 : 0;
        }
        accepted.Should().BeGreaterThan(0, "some generated configs are valid, so the fuzz also reaches the end of reading");
    }

    private static IReadOnlyList<ConfigError> Errors(string json)
    {
        try
        {
            ProxyHostConfigReader.Parse(json, File);
            return [];
        }
        catch (ConfigValidationException e)
        {
            e.Errors.Should().NotBeEmpty();
            return e.Errors;
        }
    }

    private static string Generate(Random random, string[] keys)
    {
        var text = new StringBuilder("{\"servers\": {");
        var servers = random.Next(0, 4);
        for (var s = 0; s < servers; s++)
        {
            string[] names = ["lab", "Lab", "a-b", "", "api", "x/y", "ünï", "a b", "1"];
            text.Append(s > 0 ? ", " : "").Append('"').Append(names[random.Next(names.Length)]).Append("\": {\"command\": [\"tool\", \"<port>\"]");
            var count = random.Next(0, 5);
            for (var k = 0; k < count; k++)
            {
                text.Append(", \"").Append(keys[random.Next(keys.Length)]).Append("\": ").Append(Values[random.Next(Values.Length)]);
            }
            text.Append('}');
        }
        text.Append('}');
        if (random.Next(4) == 0)
        {
            string[] topLevel = ["\"host_allowlist\": [\"localhost\", \"10.0.0.0/8\"]", "\"host_allowlist\": 3", "\"plugins\": \"p\"", "\"plugins\": [1]", "\"nope\": {}"];
            text.Append(", ").Append(topLevel[random.Next(topLevel.Length)]);
        }
        return text.Append('}').ToString();
    }

    private static string Mutate(Random random, string json)
    {
        var chars = json.ToCharArray();
        var at = random.Next(chars.Length);
        return random.Next(3) switch
        {
            0 => json[..at],
            1 => json.Remove(at, 1),
            _ => json.Insert(at, "{[\"\\,:}]"[random.Next(8)].ToString()),
        };
    }
}
