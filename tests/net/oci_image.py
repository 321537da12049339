#!/usr/bin/env python3
"""oci_image.py — tiny OCI images for the tests, made and pushed without docker.

  oci_image.py push HOST:PORT REPO:TAG...   build one image per reference (an
                                             OCI config + one tar.gz layer with
                                             /etc/capstan-image naming it) and
                                             push it over plain HTTP (registry v2)
  oci_image.py list HOST:PORT               print REPO:TAG of everything the
                                             registry holds (catalog + tags)

Loopback only; no proxy is used.
"""
import gzip
import hashlib
import io
import json
import sys
import tarfile
import urllib.request

opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def req(method, url, data=None, headers=None):
    r = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    with opener.open(r, timeout=30) as resp:
        return resp.status, dict(resp.headers), resp.read()


def digest(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def layer_for(name):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as t:
        data = ("capstan test image " + name + "\n").encode()
        ti = tarfile.TarInfo("etc/capstan-image")
        ti.size = len(data)
        ti.mtime = 0
        t.addfile(ti, io.BytesIO(data))
    tar = raw.getvalue()
    gz = gzip.compress(tar, mtime=0)
    return tar, gz


def push_blob(base, repo, blob):
    d = digest(blob)
    try:
        req("HEAD", f"{base}/v2/{repo}/blobs/{d}")
        return d
    except urllib.error.HTTPError:
        pass
    _, h, _ = req("POST", f"{base}/v2/{repo}/blobs/uploads/")
    loc = h["Location"]
    if loc.startswith("/"):
        loc = base + loc
    sep = "&" if "?" in loc else "?"
    req("PUT", f"{loc}{sep}digest={d}", data=blob, headers={"Content-Type": "application/octet-stream"})
    return d


def push(host, ref):
    base = "http://" + host
    repo, tag = ref.rsplit(":", 1)
    tar, gz = layer_for(ref)
    config = json.dumps({
        "architecture": "amd64", "os": "linux",
        "config": {"Cmd": ["/bin/sh"], "Labels": {"dev.capstan.test": ref}},
        "rootfs": {"type": "layers", "diff_ids": [digest(tar)]},
        "history": [{"created_by": "capstan tests/net/oci_image.py"}],
    }, sort_keys=True).encode()
    cd = push_blob(base, repo, config)
    ld = push_blob(base, repo, gz)
    manifest = json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": len(config)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": ld, "size": len(gz)}],
    }, sort_keys=True).encode()
    req("PUT", f"{base}/v2/{repo}/manifests/{tag}", data=manifest,
        headers={"Content-Type": "application/vnd.oci.image.manifest.v1+json"})
    print(f"{host}/{repo}:{tag} {digest(manifest)}")


def listing(host):
    base = "http://" + host
    _, _, body = req("GET", f"{base}/v2/_catalog?n=1000")
    for repo in sorted(json.loads(body).get("repositories") or []):
        _, _, tb = req("GET", f"{base}/v2/{repo}/tags/list")
        for tag in sorted(json.loads(tb).get("tags") or []):
            print(f"{repo}:{tag}")


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "push":
        for ref in sys.argv[3:]:
            push(sys.argv[2], ref)
    elif len(sys.argv) == 3 and sys.argv[1] == "list":
        listing(sys.argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
