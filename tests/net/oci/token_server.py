#!/usr/bin/env python3
"""A tiny token service for docker-registry's `auth: token` (distribution's
JWT format, RS256 signed with openssl, the certificate in the x5c header).
Grants what the scope asks for to USER:PASSWORD, nothing to anyone else.

  token_server.py PORT KEY.pem CERT.pem ISSUER USER:PASSWORD LOG
"""
import base64, json, os, subprocess, sys, time
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import urlparse, parse_qs

port, key, cert, issuer, cred, log = sys.argv[1:7]
der = subprocess.run(["openssl", "x509", "-in", cert, "-outform", "DER"], check=True, capture_output=True).stdout

def b64(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()

def sign(data):
    return subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=data, check=True,
                          capture_output=True).stdout

class H(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_GET(self):
        u = urlparse(self.path)
        q = parse_qs(u.query)
        auth = self.headers.get("Authorization", "")
        user = None
        if auth.startswith("Basic "):
            got = base64.b64decode(auth[6:]).decode()
            if got != cred:
                with open(log, "a") as f:
                    f.write("denied %s\n" % got.split(":")[0])
                self.send_response(401)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"details":"incorrect username or password"}')
                return
            user = got.split(":")[0]
        access = []
        for sc in q.get("scope", []):
            for one in sc.split(" "):
                typ, rest = one.split(":", 1)
                name, actions = rest.rsplit(":", 1)
                if user:
                    access.append({"type": typ, "name": name, "actions": actions.split(",")})
        now = int(time.time())
        claims = {"iss": issuer, "sub": user or "", "aud": q.get("service", [""])[0], "exp": now + 300,
                  "nbf": now - 10, "iat": now, "jti": str(now) + str(os.getpid()), "access": access}
        header = {"typ": "JWT", "alg": "RS256", "x5c": [base64.b64encode(der).decode()]}
        si = (b64(json.dumps(header).encode()) + "." + b64(json.dumps(claims).encode())).encode()
        tok = si.decode() + "." + b64(sign(si))
        with open(log, "a") as f:
            f.write("token user=%s scope=%s\n" % (user, q.get("scope", [""])[0]))
        body = json.dumps({"token": tok, "expires_in": 300}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

HTTPServer(("127.0.0.1", int(port)), H).serve_forever()
