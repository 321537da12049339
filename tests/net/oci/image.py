#!/usr/bin/env python3
"""Small OCI images for the tests, made and pushed without capstan (so that
capstan's copy is checked against an independent client).

  image.py push REGISTRY REPO TAG single|index|docker
                                                   push (docker: a Docker v2 manifest
                                                   list); print the top digest
  image.py check REGISTRY REPO REF                 fetch the manifest(s) and every
                                                   blob, check each digest; print
                                                   the top digest
"""
import gzip, hashlib, io, json, sys, tarfile, urllib.request

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
OCI_TYPES = (OCI_MANIFEST, "application/vnd.oci.image.config.v1+json", "application/vnd.oci.image.layer.v1.tar+gzip")
DOCKER_TYPES = (DOCKER_MANIFEST, "application/vnd.docker.container.image.v1+json",
                "application/vnd.docker.image.rootfs.diff.tar.gzip")

def sha(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()

def req(method, url, data=None, headers=None):
    r = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    return urllib.request.urlopen(r)

def push_blob(base, repo, b):
    d = sha(b)
    try:
        req("HEAD", "%s/v2/%s/blobs/%s" % (base, repo, d))
        return d
    except urllib.error.HTTPError:
        pass
    loc = req("POST", "%s/v2/%s/blobs/uploads/" % (base, repo)).headers["Location"]
    if loc.startswith("/"):
        loc = base + loc
    req("PUT", loc + ("&" if "?" in loc else "?") + "digest=" + d, b, {"Content-Type": "application/octet-stream"})
    return d

def image(base, repo, arch, types=OCI_TYPES):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as t:
        data = ("hello from %s\n" % arch).encode()
        ti = tarfile.TarInfo("hello.txt")
        ti.size, ti.mtime = len(data), 0
        t.addfile(ti, io.BytesIO(data))
    tar = raw.getvalue()
    layer = gzip.compress(tar, mtime=0)
    config = json.dumps({"architecture": arch, "os": "linux", "config": {"Cmd": ["/bin/cat", "/hello.txt"]},
                         "rootfs": {"type": "layers", "diff_ids": [sha(tar)]}}).encode()
    m = {"schemaVersion": 2, "mediaType": types[0],
         "config": {"mediaType": types[1], "digest": push_blob(base, repo, config),
                    "size": len(config)},
         "layers": [{"mediaType": types[2],
                     "digest": push_blob(base, repo, layer), "size": len(layer)}]}
    return json.dumps(m, indent=1).encode()

def put_manifest(base, repo, ref, body, mt):
    req("PUT", "%s/v2/%s/manifests/%s" % (base, repo, ref), body, {"Content-Type": mt})
    return sha(body)

def get(base, repo, kind, ref, accept=None):
    r = req("GET", "%s/v2/%s/%s/%s" % (base, repo, kind, ref), headers={"Accept": accept} if accept else {})
    return r.read(), r.headers.get("Content-Type", "")

def check(base, repo, ref):
    body, ct = get(base, repo, "manifests", ref, ", ".join((OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST)))
    d = sha(body)
    if ref.startswith("sha256:") and d != ref:
        sys.exit("manifest %s has digest %s" % (ref, d))
    m = json.loads(body)
    if m.get("mediaType") in (OCI_INDEX, DOCKER_LIST):
        for c in m["manifests"]:
            check(base, repo, c["digest"])
    else:
        for desc in [m["config"]] + m["layers"]:
            b, _ = get(base, repo, "blobs", desc["digest"])
            if sha(b) != desc["digest"] or len(b) != desc["size"]:
                sys.exit("blob %s does not match" % desc["digest"])
    return d

if __name__ == "__main__":
    cmd, reg, repo, ref = sys.argv[1:5]
    base = "http://" + reg
    if cmd == "push":
        if sys.argv[5] == "single":
            print(put_manifest(base, repo, ref, image(base, repo, "amd64"), OCI_MANIFEST))
        else:
            docker = sys.argv[5] == "docker"
            types, list_mt = (DOCKER_TYPES, DOCKER_LIST) if docker else (OCI_TYPES, OCI_INDEX)
            ms = []
            for arch in ("amd64", "arm64"):
                b = image(base, repo, arch, types)
                ms.append({"mediaType": types[0], "digest": put_manifest(base, repo, sha(b), b, types[0]),
                           "size": len(b), "platform": {"architecture": arch, "os": "linux"}})
            idx = json.dumps({"schemaVersion": 2, "mediaType": list_mt, "manifests": ms}).encode()
            print(put_manifest(base, repo, ref, idx, list_mt))
    else:
        print(check(base, repo, ref))
