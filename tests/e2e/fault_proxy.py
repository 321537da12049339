#!/usr/bin/env python3
"""fault_proxy.py - a small fault-injecting proxy in front of the real API server.

Listens on http://127.0.0.1:PORT (printed on stdout), forwards every request to
the API server over TLS with the kubeconfig's client certificate, and on a
fixed schedule answers 500, answers 429 with Retry-After: 1, or drops the
connection without an answer. Watch streams are passed through. Counts are
written to STATS (a file) when the proxy is stopped with SIGTERM.

  fault_proxy.py SERVER CA CERT KEY STATS
"""
import http.client
import http.server
import signal
import socketserver
import ssl
import sys
import threading
import urllib.parse

server_url, ca, cert, key, stats_path = sys.argv[1:6]
upstream = urllib.parse.urlparse(server_url)
ctx = ssl.create_default_context(cafile=ca)
ctx.load_cert_chain(cert, key)
lock = threading.Lock()
stats = {"requests": 0, "500": 0, "429": 0, "dropped": 0, "forwarded": 0}


def fault_for(n):
    """The schedule: of every 10 non-watch requests, one 500, one 429, one drop."""
    return {1: "500", 4: "429", 7: "drop"}.get(n % 10)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_one(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        watch = "watch=" in self.path
        with lock:
            stats["requests"] += 1
            n = stats["requests"]
        fault = None if watch else fault_for(n)
        if fault == "drop":
            with lock:
                stats["dropped"] += 1
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if fault in ("500", "429"):
            with lock:
                stats[fault] += 1
            msg = b'{"kind":"Status","apiVersion":"v1","status":"Failure","message":"injected fault","code":%s}' % fault.encode()
            self.send_response(int(fault))
            if fault == "429":
                self.send_header("Retry-After", "1")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(msg)))
            self.end_headers()
            self.wfile.write(msg)
            return
        conn = http.client.HTTPSConnection(upstream.hostname, upstream.port, context=ctx, timeout=330)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection", "authorization")}
        conn.request(self.command, self.path, body=body, headers=headers)
        resp = conn.getresponse()
        with lock:
            stats["forwarded"] += 1
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(k, v)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        while True:
            chunk = resp.read1(65536) if hasattr(resp, "read1") else resp.read(65536)
            if not chunk:
                break
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")
        conn.close()

    def do_GET(self):
        try:
            self.handle_one()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client went away (an ended watch)

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def stop(*_):
    with open(stats_path, "w") as f:
        for k, v in stats.items():
            f.write("%s %d\n" % (k, v))
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
httpd = Server(("127.0.0.1", 0), Handler)
print(httpd.server_address[1], flush=True)
httpd.serve_forever()
