/* The monitor page: one row per instance of the admin JSON, a sparkline per metric (last 60 samples). */
function MonitorPage(services) {
    "use strict";
    var WIDTH = 300, HEIGHT = 40, STEP = 5;
    var rows = document.getElementById("rows");
    var status = document.getElementById("status");

    function text(tag, content) {
        var element = document.createElement(tag);
        element.textContent = content;
        return element;
    }

    function sparkline(name, samples, meta) {
        meta = meta || {};
        var min = typeof meta.min === "number" ? meta.min : 0;
        var max = typeof meta.max === "number" ? meta.max : 1;
        var box = document.createElement("span");
        box.className = "metric";
        box.dataset.metric = name;
        var canvas = document.createElement("canvas");
        canvas.width = WIDTH;
        canvas.height = HEIGHT;
        var g = canvas.getContext("2d");
        g.strokeStyle = meta.colour || "blue";
        g.lineWidth = 1.5;
        g.beginPath();
        var started = false, latest = null;
        for (var i = 0; i < samples.length && i * STEP <= WIDTH; i++) {
            var values = samples[i][1];
            if (!values || typeof values[name] !== "number") { started = false; continue; }
            if (latest === null) { latest = values[name]; }
            var x = WIDTH - i * STEP;
            var y = HEIGHT - (Math.max(min, Math.min(max, values[name])) - min) / ((max - min) || 1) * (HEIGHT - 2) - 1;
            if (started) { g.lineTo(x, y); } else { g.moveTo(x, y); started = true; }
        }
        g.stroke();
        box.appendChild(canvas);
        box.appendChild(text("span", name + ": " + (latest === null ? "–" : latest)));
        return box;
    }

    function render(admin) {
        rows.textContent = "";
        if (admin === null) { return; }
        status.textContent = "updated " + new Date().toLocaleTimeString();
        Object.keys(admin).forEach(function (ws) {
            Object.keys(admin[ws]).forEach(function (service) {
                var entry = admin[ws][service];
                Object.keys(entry.instances || {}).forEach(function (sid) {
                    entry.instances[sid].forEach(function (instance) {
                        var tr = document.createElement("tr");
                        tr.dataset.service = service;
                        tr.appendChild(text("td", ws));
                        tr.appendChild(text("td", service));
                        tr.appendChild(text("td", sid));
                        var links = document.createElement("td");
                        (entry.apps || []).forEach(function (app) {
                            var a = text("a", app.app_name);
                            a.href = "../../../" + encodeURIComponent(ws) + "/" + encodeURIComponent(app.app_name) + "/" + encodeURIComponent(sid) + "/index.html";
                            links.appendChild(a);
                            links.appendChild(document.createTextNode(" "));
                        });
                        tr.appendChild(links);
                        tr.appendChild(text("td", String(Object.keys(instance.sessions || {}).length)));
                        tr.appendChild(text("td", instance.uptime + " s"));
                        var metrics = document.createElement("td");
                        var meta = instance.metrics_metadata || {};
                        var names = Object.keys(meta);
                        (instance.metrics || []).forEach(function (sample) {
                            Object.keys(sample[1] || {}).forEach(function (n) { if (names.indexOf(n) < 0) { names.push(n); } });
                        });
                        names.forEach(function (n) { metrics.appendChild(sparkline(n, instance.metrics || [], meta[n])); });
                        tr.appendChild(metrics);
                        rows.appendChild(tr);
                    });
                });
            });
        });
    }

    services.add_message_listener(function (message) {
        if (typeof message === "string") { render(JSON.parse(message)); }
    });
}
