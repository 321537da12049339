"""fidelity suite (issue 18): helm's builtin objects under functions that take
an interface, .Files as a map, helm's warnings on stderr, error locations said
once, rest/js edge cases."""
from gsrc import Suite

SUITE = s = Suite("fidelity")
F = {"author": "hello\n", "data/x.txt": "x\n"}
AV = ".Capabilities.APIVersions"

# 1. .Capabilities values behave as Go's
s.exprs("caps-lists", [
    'has "apps/v1" %s' % AV, 'has "nope/v1" %s' % AV, 'mustHas "v1" %s' % AV,
    'first %s' % AV, 'last %s' % AV, 'rest %s | first' % AV, 'initial %s | last' % AV,
    'without %s "v1" | len' % AV, 'uniq %s | len' % AV, 'concat %s (list "x") | last' % AV,
    'reverse %s | first' % AV, 'slice %s 1 3' % AV, 'mustSlice %s 2 3' % AV,
    'join "," (slice %s 0 2)' % AV, 'sortAlpha %s | first' % AV, 'index %s 1' % AV,
    'compact %s | len' % AV, 'chunk 50 %s | len' % AV, 'append %s "y" | last' % AV,
    'prepend %s "y" | first' % AV, 'toStrings %s | len' % AV, 'len %s' % AV,
])
s.exprs("caps-json", [
    '.Capabilities.KubeVersion | toJson', '.Capabilities.HelmVersion | toJson',
    '%s | toJson | trunc 50' % AV, '.Capabilities | toJson | trunc 80',
    '~.Capabilities.KubeVersion | toPrettyJson', '.Capabilities.KubeVersion | toRawJson',
], args=["--kube-version", "1.29.3"])
# a KubeVersion passed to a function is a copy: %v prints its fields, not String()
s.exprs("caps-kubeversion-copy", [
    '.Capabilities.KubeVersion', 'printf "%v" .Capabilities.KubeVersion', 'toString .Capabilities.KubeVersion',
    'print .Capabilities.KubeVersion', '.Capabilities.KubeVersion | printf "%s"',
    'list .Capabilities.KubeVersion | toString',
], args=["--kube-version", "1.29.3"])
s.exprs("caps-yaml", [
    '~.Capabilities.KubeVersion | toYaml', '~.Capabilities.HelmVersion | toYaml',
    '~slice %s 0 3 | toYaml' % AV,
])
s.tpl("builtins-in-dict", """{{- range $n, $v := dict "Release" .Release "Template" .Template "KV" .Capabilities.KubeVersion "AV" .Capabilities.APIVersions "HV" .Capabilities.HelmVersion "Files" .Files }}
{{ $n }}: |
  {{ $v | toJson }}
  {{- $v | toYaml | nindent 2 }}
{{- end }}
""", files=F)
s.err("caps-index-ptr", 'index .Capabilities "x"')
s.exprs("builtin-types", [
    '.Chart.Annotations', '.Chart.Annotations | toJson', '.Chart.Annotations | toYaml', 'printf "%T" .Chart.Annotations',
    'empty .Chart.Annotations', 'kindOf .Chart.Annotations', 'len .Chart.Annotations', '.Chart.Annotations.x | quote',
    'index .Chart.Annotations "x" | quote', 'printf "%T" .Chart', 'kindOf .Chart', 'keys .Chart | sortAlpha | join ","',
    '.Chart.Dependencies | toJson', 'printf "%T" .Chart.Maintainers', 'printf "%T" .Release',
    'keys .Release | sortAlpha | join ","', 'printf "%T" .Release.Revision', '~.Release | toYaml',
    'printf "%T" .Template', 'printf "%T" .Files', 'printf "%T" .Capabilities', 'printf "%T" .Capabilities.APIVersions',
    'printf "%T" .Capabilities.KubeVersion', 'printf "%T" .Values', 'kindOf .Files', 'kindOf .Capabilities',
    'kindOf .Capabilities.APIVersions', 'kindOf .Capabilities.KubeVersion', 'empty .Files',
    'empty .Capabilities.APIVersions', 'deepCopy .Capabilities.APIVersions | len',
    'typeIs "common.VersionSet" .Capabilities.APIVersions', 'toString .Capabilities.APIVersions | trunc 20',
    '.Capabilities.APIVersions.Has "v1"', 'rest (list) | toYaml'], files=F)
s.errs("builtin-type-errors", ['keys .Chart.Annotations', 'keys .Files', 'hasKey .Files "author"'], files=F)

# 2. .Files is a map[string][]byte
s.exprs("files-map", [
    '.Files.author', 'index .Files "author"', '.Files.missing', 'index .Files "missing"',
    '.Files.author | toString', 'index .Files "data/x.txt" | toString', '.Files | toJson',
    'len .Files',
], files=F)
s.err("files-first", 'first .Files', files=F)

# 3. helm's warnings on stderr
SUB = {"Chart.yaml": "apiVersion: v2\nname: t\nversion: 0.1.0\ndependencies:\n- name: sub\n  version: 0.1.0\n  condition: sub.enabled\n  tags: [front]\n",
       "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
       "charts/sub/values.yaml": "t:\n  x: 1\nenabled: true\nn: 1\n",
       "charts/sub/templates/s.yaml": "s: {{ .Values.t | toJson | quote }}\n"}
VW = "a:\n  b: 1\nc: 1\nsub:\n  enabled: true\n"
T = "x: {{ .Values.a | toJson | quote }}\n"
s.tpl("warn-non-bool-condition", T, values=VW, files=SUB, args=["--set", "sub.enabled=yes"])
s.tpl("warn-null-condition", T, values="sub:\n  enabled: null\n", files=dict(SUB, **{"charts/sub/values.yaml": "t: 1\n"}))
s.tpl("warn-non-bool-tag", T, values=VW, files=SUB, args=["--set", "tags.front=1"])
s.tpl("warn-skipped-not-a-table", T, values=VW, files=SUB, args=["--set", "c.d=1"])
s.tpl("warn-destination-table", T, values=VW, files=SUB, args=["--set", "a.b.c=1"])
s.tpl("warn-overwrite-table", T, values=VW + "d:\n  e:\n    x: 1\n", files=SUB, args=["--set", "d.e=5"])
s.tpl("warn-sub-not-a-table", T, values=VW, files=SUB, args=["--set", "sub.n.y=2"])
s.tpl("warn-globals-not-table", T, values=VW, files=SUB, args=["--set", "global=1"])
s.tpl("warn-none", T, values=VW, files=SUB)
s.tpl("warn-deprecated-chart", T, values=VW, files=dict(SUB, **{"Chart.yaml": SUB["Chart.yaml"] + "deprecated: true\n"}),
      args=["--set", "c.d=1"])
s.tpl("warn-unknown-hook", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: h\n  annotations:\n    helm.sh/hook: bogus\n")

# 4. error messages say the location once
s.err("loc-required", 'required "token must be set" .Values.token', exact=True)
s.err("loc-fail", 'fail "stop here"', exact=True)
s.err("loc-exec", 'first .Files', exact=True)
s.add("loc-trailing-slash", values="a: [\n", args=[], expect="error", exact=True)["args"] = ["t", "@CHART@/"]
s.add("loc-trailing-slash-chart", files={"Chart.yaml": "apiVersion: v2\nname: t\nversion: [\n"}, expect="error",
      exact=True)["args"] = ["t", "@CHART@//"]

# 5. rest of an empty list, js escaping
s.exprs("rest-empty", ['rest (list) | toJson', 'initial (list) | toJson', 'rest (list)', 'mustRest (list) | toJson',
                       'printf "%T" (rest list)'])
s.exprs("js-unprintable", ['js "\\ufffe"', 'js "\\u0001\\u2028\\u2029"', 'js "\\u00ad\\u200b\\ufeff"',
                           'js "\\u0085 \\u00a0 é ☺"', 'js "a<b>&=\'\\""'])
s.exprs("complex", ['1i', '1+2i', 'printf "%T" 1i', '-1.5-2.5i', '1e3i', '2+0i', '1_0i', 'printf "%v" 3-4i',
                     'kindOf 1i', 'until 3+0i', '0i', '-0i', '1-0i', 'list 1i 2 | len', 'toString 1i',
                     '1.5e-3+1e10i', '0x1p2i'])
s.err("complex-bad", '1+i', exact=True)
s.err("complex-int-arg", 'until 1i')
s.add("loc-yaml-error", "{{ 07i }}\n", expect="error", exact=True)

# 6. one semver engine: dependency ranges as helm's IsCompatibleRange judges
# them (a matching dependency gets its alias). Every kind of pair where the old
# chart_semver.c and semver.c disagreed (108 of 1,680 generated pairs: !=x, <=x,
# >x, ^x, ~1.2.3-0, ~1.2.3-beta.2, ^1.2.3-0, ^1.3.0-rc.1), then pairs they agreed on.
RANGES = [("~1.2.3-0", "1.3.0-rc.1"), ("~1.2.3-0", "1.3.0-0"), ("^1.2.3-0", "2.0.0-0"),
          ("~1.2.3-beta.2", "1.3.0-rc.1"), ("^1.3.0-rc.1", "2.0.0-0"), ("^x", "1.2.3"),
          ("^x", "0.0.0"), ("!=x", "1.2.3"), (">x", "1.2.3"), (">x", "10.0.0"), ("<=x", "1.2.3"),
          ("<=x", "0.0.0"), ("~x", "1.2.3"), ("<x", "0.0.0"), (">=x", "2.0.0"), ("~1.2.3", "1.2.3-0"),
          ("1.2.3 - 1.4", "1.4.9"), ("^0.0.3", "0.0.4"), ("~0", "0.9.9")]
for i, (rng, ver) in enumerate(RANGES):
    s.tpl("dep-range-%d" % (i + 1), "parent: {{ .Chart.Name }}\n", files={
        "Chart.yaml": "apiVersion: v2\nname: t\nversion: 0.1.0\ndependencies:\n- name: sub\n  version: %r\n  alias: al\n" % rng,
        "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: %s\n" % ver,
        "charts/sub/templates/s.yaml": "# range %s, version %s\nname: {{ .Chart.Name }}\n" % (rng, ver)})

# semverCompare over every pair of these constraints and versions (1,680), one line each
SC = ["1.2.3", "=1.2.3", "!=1.2.3", ">1.2.3", "<1.2.3", ">=1.2.3", "<=1.2.3", "~1.2.3", "^1.2.3", "~1.2", "^1.2",
      "~1", "^1", "1.x", "1.2.x", "*", "x", "^x", "~x", "!=x", ">x", "<x", ">=x", "<=x", "~1.2.3-0", "^1.2.3-0",
      ">=1.2.3-0", "1.2.3 - 1.4", "1.x - 2", "^0.2.3", "^0.0.3", "~0", "^0", ">1.2", ">=1.2.3, <2.0.0",
      "<1.2.3 || >=2.0.0", "1.2.3-alpha", "~1.2.3-beta.2", ">1.2.3-rc.1", "^1.3.0-rc.1"]
SV = ["1.2.3", "1.2.2", "1.2.4", "1.3.0", "1.3.0-rc.1", "1.2.3-0", "1.2.3-alpha", "1.2.3-beta.3", "2.0.0", "2.0.0-0",
      "0.2.3", "0.2.9", "0.3.0", "0.0.3", "0.0.4", "1.0.0", "0.0.0", "1.2.3+build", "v1.2.3", "1.2", "1", "1.4.0",
      "1.4.9", "1.5.0", "10.0.0", "1.2.3-rc.1", "1.2.4-0", "3.0.0", "0.9.9", "1.9.9", "1.1.1", "2.1.0", "1.2.10",
      "1.10.0", "0.1.0-a", "1.3.0-0", "1.2.3-beta.2", "1.2.3-beta.10", "1.2.3-1", "1.2.3-a.b.c", "1.2.3-alpha.1",
      "4.5.6-x"]
s.tpl("semver-pairs", "r: |\n" + "".join('  %s %s {{ semverCompare "%s" "%s" }}\n' % (c.replace(" ", ""), v, c, v)
                                        for c in SC for v in SV))

# A byte order mark: helm trims one from the start of each file it loads (a
# second stays), also from files big enough that capstan maps them (16 KiB)
BIG = "y" * 20000
s.tpl("bom-trimmed-once", """r0: {{ .Files.Get "data/two.txt" | len }}
r1: {{ .Files.Get "data/big.txt" | len }}
r2: {{ .Files.Get "data/bigtwo.txt" | len }}
r3: {{ .Files.Get "data/two.txt" | trunc 4 | b64enc }}
r4: {{ .Files.Get "data/bigtwo.txt" | trunc 4 | b64enc }}
""", files={"data/two.txt": "\ufeff\ufeffx\n", "data/big.txt": "\ufeff" + BIG,
            "data/bigtwo.txt": "\ufeff\ufeff" + BIG})
s.tpl("bom-twice-template", "\ufeff\ufeffr: {{ 1 }}\n")
