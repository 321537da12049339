#!/usr/bin/env python3
"""A registry that misbehaves on purpose, one way per repository name:

  liar/demo      a manifest served with a Docker-Content-Digest it does not have
  noauth/demo    401 without any WWW-Authenticate challenge
  badtoken/demo  a Bearer challenge whose token service answers with no JSON
  huge/demo      a "manifest" of 5 MiB
  flaky/demo     503 twice, then a (helm chart) manifest whose blobs are served
                 from ok/; counts requests in LOG

  fake_registry.py PORT LOG CHART.tgz
"""
import hashlib, json, sys
from http.server import BaseHTTPRequestHandler, HTTPServer

port, log, tgz = int(sys.argv[1]), sys.argv[2], sys.argv[3]
chart = open(tgz, "rb").read()
config = b'{"name":"demo","version":"1.0.0","apiVersion":"v2"}'
sha = lambda b: "sha256:" + hashlib.sha256(b).hexdigest()
manifest = json.dumps({"schemaVersion": 2,
    "config": {"mediaType": "application/vnd.cncf.helm.config.v1+json", "digest": sha(config), "size": len(config)},
    "layers": [{"mediaType": "application/vnd.cncf.helm.chart.content.v1.tar+gzip", "digest": sha(chart),
                "size": len(chart)}]}).encode()
blobs = {sha(config): config, sha(chart): chart}
flaky = [0]

class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        with open(log, "a") as f:
            f.write(self.command + " " + self.path + "\n")

    def send(self, code, body=b"", headers=()):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        p = self.path
        mt = ("Content-Type", "application/vnd.oci.image.manifest.v1+json")
        if p == "/v2/":
            return self.send(200, b"{}")
        if p.startswith("/badtoken"):
            return self.send(200, b"<html>not json</html>")
        if p.startswith("/v2/liar/demo/manifests/"):
            return self.send(200, manifest, [mt, ("Docker-Content-Digest", "sha256:" + "0" * 64)])
        if p.startswith("/v2/noauth/"):
            return self.send(401, b'{"errors":[{"code":"UNAUTHORIZED","message":"no"}]}')
        if p.startswith("/v2/badtoken/"):
            return self.send(401, b"", [("WWW-Authenticate", 'Bearer realm="http://127.0.0.1:%d/badtoken",service="x"' % port)])
        if p.startswith("/v2/huge/demo/manifests/"):
            return self.send(200, b"{" + b" " * (5 << 20) + b"}", [mt])
        if p.startswith("/v2/flaky/demo/manifests/"):
            flaky[0] += 1
            if flaky[0] <= 2:
                return self.send(503, b'{"errors":[{"code":"UNAVAILABLE","message":"try later"}]}')
            return self.send(200, manifest, [mt, ("Docker-Content-Digest", sha(manifest))])
        if p.startswith("/v2/flaky/demo/blobs/"):
            b = blobs.get(p.rsplit("/", 1)[1])
            if b is not None:
                return self.send(200, b, [("Content-Type", "application/octet-stream")])
        return self.send(404, b'{"errors":[{"code":"NAME_UNKNOWN","message":"not here"}]}')

HTTPServer(("127.0.0.1", port), H).serve_forever()
