#!/usr/bin/env python3
"""mkrepo.py — write a made-up chart repository for the network tests.

    mkrepo.py DIR [--base URL] [--lie NAME-VERSION] NAME=V1,V2,... ...

Each NAME-VERSION becomes a small chart archive DIR/charts/NAME-VERSION.tgz
(deterministic bytes), listed in DIR/index.yaml with its sha256 digest and a
relative URL (charts/NAME-VERSION.tgz), or an absolute one under --base.
--lie NAME-VERSION writes a wrong digest for that archive.
"""
import gzip, hashlib, io, os, sys, tarfile

def chart_tgz(name, version):
    files = {
        f"{name}/Chart.yaml": f"apiVersion: v2\nname: {name}\nversion: {version}\ndescription: test chart {name}\ntype: application\n",
        f"{name}/values.yaml": f"greeting: hello from {name}\n",
        f"{name}/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-" + name + "\ndata:\n  greeting: {{ .Values.greeting | quote }}\n",
    }
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path, text in files.items():
            data = text.encode()
            ti = tarfile.TarInfo(path)
            ti.size, ti.mtime, ti.mode = len(data), 1700000000, 0o644
            tar.addfile(ti, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()

def main(argv):
    d = argv[0]
    base, lies, specs = None, set(), []
    i = 1
    while i < len(argv):
        if argv[i] == "--base":
            base = argv[i + 1].rstrip("/"); i += 2
        elif argv[i] == "--lie":
            lies.add(argv[i + 1]); i += 2
        else:
            specs.append(argv[i]); i += 1
    os.makedirs(os.path.join(d, "charts"), exist_ok=True)
    lines = ["apiVersion: v1", "entries:"]
    for spec in specs:
        name, versions = spec.split("=", 1)
        lines.append(f"  {name}:")
        for v in versions.split(","):
            data = chart_tgz(name, v)
            fn = f"charts/{name}-{v}.tgz"
            with open(os.path.join(d, fn), "wb") as f:
                f.write(data)
            digest = hashlib.sha256(data).hexdigest()
            if f"{name}-{v}" in lies:
                digest = hashlib.sha256(b"lie" + data).hexdigest()
            url = f"{base}/{fn}" if base else fn
            lines += ["  - apiVersion: v2", f"    created: \"2024-01-01T00:00:00Z\"",
                      f"    description: test chart {name}", f"    digest: {digest}",
                      f"    name: {name}", "    type: application", "    urls:",
                      f"    - {url}", f"    version: {v}"]
    lines.append('generated: "2024-01-01T00:00:00Z"')
    with open(os.path.join(d, "index.yaml"), "w") as f:
        f.write("\n".join(lines) + "\n")

if __name__ == "__main__":
    main(sys.argv[1:])
