namespace ProxyHost.Tests;

/// <summary>
/// A real python web server whose cost a test can raise: <c>/grow</c> holds 32 MiB more, <c>/fork</c>
/// starts 3 sleeping children, anything else answers with its own pid.
/// </summary>
public static class GrowingServer
{
    public const int GrowthBytes = 32 << 20;

    private const string Script = """
        import http.server, os, sys, time
        hog = []
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path == "/grow":
                    hog.append(b"x" * (32 << 20))
                if self.path == "/fork":
                    for _ in range(3):
                        if os.fork() == 0:
                            time.sleep(600)
                            os._exit(0)
                body = str(os.getpid()).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *args):
                pass
        http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
        """;

    /// <summary>Writes the script into <paramref name="directory"/> and returns the command that serves it on <c>&lt;port&gt;</c>.</summary>
    public static async Task<string[]> CommandAsync(TempDirectory directory)
    {
        var script = directory.Combine("grow.py");
        await File.WriteAllTextAsync(script, Script);
        return ["python3", script, "<port>"];
    }
}
