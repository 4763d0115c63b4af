using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using ProxyHost.Security;
using ProxyHost.Supervision.Lifecycle;
using ProxyHost.Supervision.Logs;

namespace ProxyHost.Proxy.Pages;

/// <summary>
/// Renders ProxyHost's own error responses: HTML for browsers, plain text for everything else.
/// Every piece of text that came from a request or a process is encoded before it is written, and loses
/// terminal controls and bidirectional overrides first: HTML encoding leaves a U+202E as it is, and a
/// terminal running curl obeys an ESC sequence in the plain-text variant.
/// </summary>
internal static class ErrorPage
{
    /// <param name="exit">How the process ended, shown as its exit code.</param>
    /// <param name="restartUrl">The API URL of a restart; the HTML page then has a Restart button.</param>
    public static Task WriteAsync(
        HttpContext context, int statusCode, string title, string message, IReadOnlyList<LogLine>? outputTail = null,
        ProcessExit? exit = null, string? restartUrl = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = statusCode;
        context.Response.Headers.CacheControl = "no-store";
        // The plain-text variant repeats request text unencoded; never let a browser sniff it as HTML.
        context.Response.Headers.XContentTypeOptions = "nosniff";
        OwnPageHeaders.Apply(context.Response);
        title = UntrustedText.StripControls(title);
        message = UntrustedText.StripControls(message);
        var output = outputTail?.Select(line => UntrustedText.StripControls(line.Text)).ToList() ?? [];
        if (WantsHtml(context.Request))
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            return context.Response.WriteAsync(RenderHtml(statusCode, title, message, output, exit, restartUrl), context.RequestAborted);
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        var text = new StringBuilder().Append(title).Append(": ").AppendLine(message);
        if (exit is not null)
        {
            text.Append("exit code: ").Append(exit.ExitCode).AppendLine();
        }
        foreach (var line in output)
        {
            text.Append("  | ").AppendLine(line);
        }
        return context.Response.WriteAsync(text.ToString(), context.RequestAborted);
    }

    public static bool WantsHtml(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains("text/html", StringComparison.OrdinalIgnoreCase));

    private static string RenderHtml(int statusCode, string title, string message, List<string> output, ProcessExit? exit, string? restartUrl)
    {
        var html = new StringBuilder(2048);
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(statusCode).Append(' ').Append(WebUtility.HtmlEncode(title)).Append(" · ProxyHost</title>")
            .Append("<style>body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}")
            .Append("h1{font-size:1.4rem}pre{background:#f4f4f4;padding:1rem;overflow:auto;max-height:28rem;font-size:.85rem}")
            .Append(".code{color:#888}</style></head><body>")
            .Append("<h1><span class=\"code\">").Append(statusCode).Append("</span> ").Append(WebUtility.HtmlEncode(title)).Append("</h1>")
            .Append("<p>").Append(WebUtility.HtmlEncode(message)).Append("</p>");
        if (exit is not null)
        {
            html.Append("<p class=\"exit\">Exit code <strong id=\"exit-code\">").Append(exit.ExitCode).Append("</strong>");
            if (exit.Signal is { } signal)
            {
                html.Append(" (signal ").Append(signal).Append(')');
            }
            html.Append("</p>");
        }
        if (restartUrl is not null)
        {
            html.Append("<p><button id=\"restart\" data-url=\"").Append(WebUtility.HtmlEncode(restartUrl)).Append("\">Restart</button></p>")
                .Append("<script>").Append(PageStyles.Script)
                .Append("document.getElementById('restart').onclick=function(){var b=this;b.disabled=true;b.textContent='Restarting…';")
                .Append("phPost(b.dataset.url).then(function(){location.reload();});};</script>");
        }
        if (output.Count > 0)
        {
            html.Append("<h2>Last output</h2><pre>");
            foreach (var line in output)
            {
                html.Append(WebUtility.HtmlEncode(line)).Append('\n');
            }
            html.Append("</pre>");
        }
        return html.Append("</body></html>").ToString();
    }
}
