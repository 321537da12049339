#!/usr/bin/env python3
"""archives_kubefake.py PORT MODE — a Kubernetes API server imitation on
127.0.0.1 for the misbehaving-server tests (t_watch_*, t_http_release_*):
discovery for v1 and apps/v1, objects accepted and echoed, empty lists; and
the one bad answer MODE names:
  items-object   a Secret list whose "items" is an object
  items-string   a Secret list whose "items" is a string
  list-array     a Secret list that is a JSON array
  watch-huge     every watch stream sends 200 MiB without a newline
"""
import http.server
import json
import sys

PORT, MODE = int(sys.argv[1]), sys.argv[2]

RESOURCES = {
    "/api/v1": [("secrets", "Secret", True), ("configmaps", "ConfigMap", True), ("pods", "Pod", True),
                ("namespaces", "Namespace", False), ("services", "Service", True)],
    "/apis/apps/v1": [("deployments", "Deployment", True), ("replicasets", "ReplicaSet", True)],
}


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def reply(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b"{}"
        try:
            obj = json.loads(raw)
        except ValueError:
            obj = {}
        obj.setdefault("metadata", {})["resourceVersion"] = "2"
        return obj

    def do_GET(self):
        path, _, query = self.path.partition("?")
        if path in RESOURCES:
            res = [{"name": n, "kind": k, "namespaced": ns, "verbs": ["get", "list", "watch", "create", "patch"]}
                   for n, k, ns in RESOURCES[path]]
            return self.reply(200, {"kind": "APIResourceList", "groupVersion": path.split("/", 2)[2], "resources": res})
        if path in ("/api", "/apis", "/version"):
            return self.reply(200, {"kind": "APIVersions", "versions": ["v1"], "groups": [], "major": "1", "minor": "35",
                                    "gitVersion": "v1.35.0"})
        last = path.rstrip("/").rsplit("/", 1)[-1]
        plural = {n for r in RESOURCES.values() for n, _, _ in r}
        if last not in plural:
            return self.reply(404, {"kind": "Status", "status": "Failure", "reason": "NotFound", "code": 404})
        if "watch=1" in query or "watch=true" in query:
            if MODE != "watch-huge":
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(200 << 20))
            self.end_headers()
            chunk = b"x" * (1 << 20)
            try:
                for _ in range(200):
                    self.wfile.write(chunk)
            except OSError:
                pass
            return
        lst = {"kind": "List", "apiVersion": "v1", "metadata": {"resourceVersion": "1"}, "items": []}
        if last == "secrets":
            if MODE == "items-object":
                lst["items"] = {}
            elif MODE == "items-string":
                lst["items"] = "none"
            elif MODE == "list-array":
                lst = []
        self.reply(200, lst)

    def do_POST(self):
        self.reply(201, self.body())

    def do_PUT(self):
        self.reply(200, self.body())

    def do_PATCH(self):
        self.reply(200, self.body())

    def do_DELETE(self):
        self.reply(200, {"kind": "Status", "status": "Success"})


http.server.ThreadingHTTPServer(("127.0.0.1", PORT), H).serve_forever()
