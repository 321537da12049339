# side_by_side.sh — compare a release that helm made with one that capstan made
# from the same chart and values (sourced by tests/e2e/t_* and
# tests/install-corpus/run; needs KUBECTL and HELM). Each tool installs into a
# namespace of its own with a release name of its own; the snapshots replace
# the release name with REL and the namespace with NS, so they compare as text.

# sbs_objects NS REL: the live objects of a release, one "Kind name" a line,
# sorted: every namespaced object in NS that no controller owns (no
# ownerReferences; Events and Leases left out), and every cluster-scoped
# object whose name holds REL as a word (between dashes, dots or the ends) or
# that helm's ownership annotation gives to REL.
sbs_objects() {
  local ns=$1 rel=$2 kinds ckinds
  kinds=$("$KUBECTL" api-resources --namespaced=true --verbs=list -o name 2>/dev/null |
    grep -v -E '^(events|events\.events\.k8s\.io|leases\.coordination\.k8s\.io|localsubjectaccessreviews.*)$' | paste -sd, -)
  ckinds=$("$KUBECTL" api-resources --namespaced=false --verbs=list -o name 2>/dev/null |
    grep -v -E '^(namespaces|nodes|componentstatuses|persistentvolumes|apiservices\..*|csinodes\..*|certificatesigningrequests\..*)$' | paste -sd, -)
  {
    "$KUBECTL" get "$kinds" -n "$ns" -o json 2>/dev/null || true
    "$KUBECTL" get "$ckinds" -o json 2>/dev/null || true
  } | python3 -c '
import json, re, sys
rel, ns = sys.argv[1], sys.argv[2]
word = lambda w: re.compile(r"(?<![A-Za-z0-9])" + re.escape(w) + r"(?![A-Za-z0-9])")
rel_re, ns_re = word(rel), word(ns)
dec = json.JSONDecoder(); text = sys.stdin.read(); i = 0; out = set()
while i < len(text):
    while i < len(text) and text[i].isspace(): i += 1
    if i >= len(text): break
    doc, i = dec.raw_decode(text, i)
    for o in doc.get("items", []):
        m = o.get("metadata", {})
        if m.get("ownerReferences"): continue
        name = m.get("name", "")
        owner = (m.get("annotations") or {}).get("meta.helm.sh/release-name")
        if m.get("namespace") is None and not rel_re.search(name) and owner != rel: continue
        if o.get("kind") == "ConfigMap" and name == "kube-root-ca.crt": continue
        if o.get("kind") == "ServiceAccount" and name == "default": continue
        if o.get("kind") == "Secret" and name.startswith("sh.helm.release.v1."): continue
        out.add("%s %s" % (o.get("kind"), ns_re.sub("NS", rel_re.sub("REL", name))))
print("\n".join(sorted(out)))
' "$rel" "$ns"
}

# sbs_history NS REL: revision, status, chart and description of each revision
# (nothing once the release is gone).
sbs_history() {
  { "$HELM" history "$2" -n "$1" -o json 2>/dev/null || true; } | python3 -c '
import json, sys
rel = sys.argv[1]
text = sys.stdin.read().strip()
for r in (json.loads(text) if text else []):
    print(r["revision"], r["status"], r["chart"], r.get("app_version", ""), r["description"].replace(rel, "REL"))
' "$2"
}

# sbs_hooks NS REL: the hooks of the current revision that ran, in the order
# they started: "Kind name phase".
sbs_hooks() {
  { "$HELM" status "$2" -n "$1" -o json 2>/dev/null || true; } | python3 -c '
import json, sys
rel = sys.argv[1]
text = sys.stdin.read().strip()
hs = (json.loads(text).get("hooks") if text else None) or []
ran = [h for h in hs if (h.get("last_run") or {}).get("started_at")]
ran.sort(key=lambda h: h["last_run"]["started_at"])
for h in ran:
    print(h["kind"], h["name"].replace(rel, "REL"), h["last_run"].get("phase", ""))
' "$2"
}

# sbs_compare WHAT A B: print both and fail (return 1) when they differ.
sbs_compare() {
  if [ "$2" != "$3" ]; then
    echo "--- $1 differ (helm, then capstan):"
    diff <(echo "$2") <(echo "$3") | sed 's/^/    /'
    return 1
  fi
  return 0
}
