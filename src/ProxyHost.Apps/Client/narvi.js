/* narvi.js — browser client for Narvi-style app services (ProxyHost.Apps), compatible with Narvi's.
 *
 *   start_narvi(AppClass[, options]) connects to ./connect (next to the page, e.g. .../{ws}/{app}/{sid}/index.html)
 *   and, on the server's first frame {"session_id", "action": "session_connected", "app_parameters"},
 *   constructs new AppClass(services, app_parameters). services.send(msg) sends a string (text frame) or an
 *   ArrayBuffer / typed array (binary frame); services.add_message_listener(cb) receives strings or ArrayBuffers.
 *
 * Beyond Narvi: the app can read services.session_id / services.get_session_id(); a lost connection is
 * re-established with backoff (0.5 s doubling to 10 s, with jitter) instead of alert-and-reload. A new
 * connection is a new session: the app object is kept, services.session_id changes, and the optional
 * app.narvi_reconnected(session_id) is called. Messages sent while disconnected are queued.
 * options: {connect_url, heartbeat_ms (10000), reconnect (true), on_status(status)}; status is
 * "connecting" | "connected" | "disconnected".
 */
(function (global) {
    "use strict";

    function defaultConnectUrl() {
        var url = new URL("connect", global.location.href);
        url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
        url.hash = "";
        url.search = "";
        return url.toString();
    }

    function NarviSession(AppClass, options) {
        this.AppClass = AppClass;
        this.options = options || {};
        this.connect_url = this.options.connect_url || defaultConnectUrl();
        this.session_id = null;
        this.app = null;
        this.socket = null;
        this.outbound = [];
        this.inbound = [];
        this.listeners = [];
        this.attempt = 0;
        this.heartbeat = null;
        this.closed = false;
        var self = this;
        this.services = {
            send: function (msg) { self.send(msg); },
            add_message_listener: function (cb) { self.listeners.push(cb); },
            get_session_id: function () { return self.session_id; },
            get connected() { return self.socket !== null && self.socket.readyState === 1 && self.session_id !== null; },
            get session_id() { return self.session_id; }
        };
        this.open();
    }

    NarviSession.prototype.status = function (status) {
        if (typeof this.options.on_status === "function") {
            try { this.options.on_status(status); } catch (e) { console.error(e); }
        }
    };

    NarviSession.prototype.open = function () {
        var self = this;
        var socket = new WebSocket(this.connect_url);
        socket.binaryType = "arraybuffer";
        this.socket = socket;
        this.status("connecting");
        socket.onmessage = function (event) { self.receive(event.data); };
        socket.onclose = function () { self.lost(socket); };
        socket.onerror = function () { /* a close event always follows */ };
    };

    NarviSession.prototype.receive = function (data) {
        if (this.session_id === null || this.connecting) {
            if (typeof data === "string") {
                var message;
                try { message = JSON.parse(data); } catch (e) { message = null; }
                if (message && message.action === "session_connected") {
                    this.connected(message);
                    return;
                }
            }
            if (this.session_id === null) {
                return; // Narvi drops anything before session_connected
            }
        }
        this.deliver(data);
    };

    NarviSession.prototype.connected = function (message) {
        var reconnect = this.app !== null;
        this.session_id = message.session_id;
        this.attempt = 0;
        this.connecting = false;
        var self = this;
        clearInterval(this.heartbeat);
        var every = this.options.heartbeat_ms === undefined ? 10000 : this.options.heartbeat_ms;
        if (every > 0) {
            this.heartbeat = setInterval(function () {
                if (self.socket && self.socket.readyState === 1) { self.socket.send(""); }
            }, every);
        }
        if (!reconnect) {
            this.app = new this.AppClass(this.services, message.app_parameters || {});
        } else if (typeof this.app.narvi_reconnected === "function") {
            this.app.narvi_reconnected(this.session_id);
        }
        var queued = this.outbound;
        this.outbound = [];
        for (var i = 0; i < queued.length; i++) { this.socket.send(queued[i]); }
        this.status("connected");
    };

    NarviSession.prototype.deliver = function (data) {
        for (var i = 0; i < this.listeners.length; i++) {
            try { this.listeners[i](data); } catch (e) { console.error(e); }
        }
    };

    NarviSession.prototype.send = function (msg) {
        if (this.socket && this.socket.readyState === 1 && this.session_id !== null && !this.connecting) {
            this.socket.send(msg);
        } else {
            this.outbound.push(msg);
        }
    };

    NarviSession.prototype.lost = function (socket) {
        if (socket !== this.socket) {
            return;
        }
        clearInterval(this.heartbeat);
        this.connecting = true;
        this.status("disconnected");
        if (this.closed || this.options.reconnect === false) {
            return;
        }
        var delay = Math.min(10000, 500 * Math.pow(2, this.attempt++));
        var self = this;
        setTimeout(function () { self.open(); }, delay * (0.75 + Math.random() * 0.5));
    };

    /** Closes the connection for good (no reconnect). */
    NarviSession.prototype.close = function () {
        this.closed = true;
        clearInterval(this.heartbeat);
        if (this.socket) { this.socket.close(); }
    };

    global.NarviSession = NarviSession;
    global.start_narvi = function (AppClass, options) {
        return new NarviSession(AppClass, options);
    };
})(window);
