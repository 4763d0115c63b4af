namespace ProxyHost.Proxy.Pages;

/// <summary>The inline stylesheet and script shared by ProxyHost's pages (no external assets).</summary>
internal static class PageStyles
{
    /// <summary>Base look: system fonts, light/dark, readable widths.</summary>
    public const string Css =
        ":root{--fg:#1d2330;--muted:#667085;--bg:#f6f7f9;--card:#fff;--line:#e3e6eb;--accent:#2563eb;--ok:#15803d;--warn:#b45309;--bad:#b91c1c}"
        + "@media (prefers-color-scheme:dark){:root{--fg:#e6e8ec;--muted:#98a2b3;--bg:#14171c;--card:#1d2129;--line:#2c323c;--accent:#6ea8fe;--ok:#4ade80;--warn:#fbbf24;--bad:#f87171}}"
        + "*{box-sizing:border-box}body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;background:var(--bg);color:var(--fg)}"
        + "main{max-width:72rem;margin:0 auto;padding:1.5rem 1rem}header{display:flex;align-items:baseline;gap:1rem;flex-wrap:wrap}"
        + "h1{font-size:1.4rem;margin:.2rem 0 1rem}h2{font-size:1.05rem;margin:1.5rem 0 .6rem;color:var(--muted);font-weight:600}"
        + "a{color:var(--accent)}pre{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:.8rem;overflow:auto;max-height:28rem;font-size:.82rem;white-space:pre-wrap;word-break:break-all}"
        + "button{font:inherit;padding:.35rem .9rem;border-radius:.4rem;border:1px solid var(--line);background:var(--card);color:var(--fg);cursor:pointer}"
        + "button.primary{background:var(--accent);border-color:var(--accent);color:#fff}button:disabled{opacity:.5;cursor:default}"
        + ".state{display:inline-block;font-size:.75rem;padding:.1rem .55rem;border-radius:1rem;border:1px solid currentColor;color:var(--muted);white-space:nowrap}"
        + ".state-running{color:var(--ok)}.state-starting,.state-stopping,.state-backoff{color:var(--warn)}.state-failed{color:var(--bad)}"
        + ".muted{color:var(--muted)}.error{color:var(--bad)}";

    /// <summary>
    /// <c>phPost(url)</c>: a state-changing API call. It carries the <c>X-ProxyHost-Request</c> header
    /// the API requires (a cross-site form cannot), and resolves to the response.
    /// </summary>
    public const string Script =
        "function phPost(u){return fetch(u,{method:'POST',headers:{'X-ProxyHost-Request':'1'},credentials:'same-origin'});}";
}
