#!/usr/bin/env python3
"""A raw TCP service (no HTTP, no websockets): answers every line with "echo: LINE".

    python3 line_echo.py PORT        listen on 127.0.0.1:PORT
    python3 line_echo.py --unix PATH listen on a Unix socket

ProxyHost's raw-socket bridge lets a browser page talk to it over a websocket.
"""
import socketserver
import sys


class LineEcho(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(b"hello from line_echo.py; every line you send comes back\n")
        for line in self.rfile:
            self.wfile.write(b"echo: " + line.rstrip(b"\r\n") + b"\n")


class TcpServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class UnixServer(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True


def main(argv):
    if len(argv) == 3 and argv[1] == "--unix":
        server = UnixServer(argv[2], LineEcho)
    elif len(argv) == 2:
        server = TcpServer(("127.0.0.1", int(argv[1])), LineEcho)
    else:
        sys.exit(__doc__)
    print("line_echo listening on", server.server_address, flush=True)
    with server:
        server.serve_forever()


if __name__ == "__main__":
    main(sys.argv)
