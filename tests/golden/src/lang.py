"""lang suite (issue 3): Go text/template as Helm runs it — text and actions,
comments, trim markers, pipelines, variables, fields, if/with/range (lists,
maps, ints, break/continue, else), define/template/block, and/or, comparisons,
the built-ins, missing keys and nil, and error messages.

L(name, body) renders BODY inside a block scalar (each source line indented by
two spaces), so the output keeps its exact whitespace; E(...) expects helm to
fail; R(...) takes a whole template as written."""
from gsrc import Suite

SUITE = s = Suite("lang")
V = ("s: hello\nn: 3\ni0: 0\nf: 1.5\nt: true\nfl: false\nz: null\ne: ''\nl: [a, b, c]\nel: []\n"
     "m: {b: 2, a: 1, c: {d: deep}}\nem: {}\nli: [1, 2, 3]\nlm: [{name: x, v: 1}, {name: y, v: 2}]\n"
     "big: 1000000\nneg: -2\nsp: ' pad '\nnested: {l: [{k: [1, {x: y}]}]}\n")
SV = ["--set", "si=3,sneg=-1,sbig=9223372036854775807,sstr=x"]


def body(b):
    return "v: |2-\n" + "\n".join("  " + ln for ln in b.split("\n")) + "\n"


def L(name, b, **kw):
    kw.setdefault("values", V)
    return s.tpl(name, body(b), **kw)


def E(name, b, **kw):
    kw.setdefault("values", V)
    kw.setdefault("expect", "error")
    return s.tpl(name, body(b), **kw)


def R(name, t, **kw):
    kw.setdefault("values", V)
    return s.tpl(name, t, **kw)


# ---- text, actions, comments, trim markers ----
L("text-only", "plain text")
L("empty-action-text", "a{{/* c */}}b")
L("comment-multiline", "a{{/* line1\nline2 */}}b")
L("comment-trim", "a {{- /* c */ -}} b")
L("trim-left", "a   {{- \"x\" }}")
L("trim-right", "{{ \"x\" -}}   b")
L("trim-both-newlines", "a\n\n{{- \"x\" -}}\n\nb")
L("trim-multiple", "{{- range .Values.l }}\n{{ . }}\n{{- end }}")
L("trim-tabs", "a\t\t{{- 1 -}}\t\tb")
L("no-trim-minus-number", "{{ -1 }} {{ - 1 }}", expect="any")
L("trim-crlf", "a \r\n{{- 1 }}", expect="any")
L("literal-braces", "{{ \"{{\" }} and {{ \"}}\" }}")
L("raw-string", "{{ `raw\\n \"q\"` }}")
L("string-escapes", "{{ \"tab\\tq\\\"u\\u00e9x\\x41o\\101\" }}")
L("char-literals", "{{ 'a' }} {{ '\\n' }} {{ '✓' }} {{ printf \"%c\" 'x' }}")
L("number-literals", "{{ 1 }} {{ 1.5 }} {{ 0x1F }} {{ 0o17 }} {{ 017 }} {{ 0b101 }} {{ 1e3 }} {{ 1_000 }} {{ -0 }} {{ .5 }}")
L("number-literals-2", "{{ 1E2 }} {{ 0x1p4 }} {{ 1e100 }} {{ 9223372036854775807 }} {{ -9223372036854775808 }}")
E("number-overflow", "{{ 9223372036854775808 }}", expect="any")
L("bool-nil-literals", "{{ true }} {{ false }}")
E("nil-command", "{{ nil }}")
L("print-nil-arg", "{{ print nil }} {{ printf \"%v\" nil }}")
# ---- fields, variables ----
L("field-chain", "{{ .Values.m.c.d }} {{ .Values.m.a }}")
L("field-missing", "[{{ .Values.nope }}] [{{ .Values.m.nope }}] [{{ .Values.nope.nope2 }}]", expect="any")
E("field-on-nil-intermediate", "{{ .Values.z.x }}", expect="any")
E("field-on-string", "{{ .Values.s.x }}")
E("field-on-list", "{{ .Values.l.x }}")
E("field-on-int", "{{ .Values.n.x }}")
L("field-on-dot-map", "{{ with .Values.m }}{{ .a }}{{ .c.d }}{{ end }}")
L("var-decl", "{{ $x := 1 }}{{ $x }}")
L("var-assign", "{{ $x := 1 }}{{ $x = 2 }}{{ $x }}")
L("var-dollar", "{{ with .Values.m }}{{ $.Values.s }}{{ end }}")
L("var-field", "{{ $m := .Values.m }}{{ $m.c.d }} {{ $m.a }}")
L("var-scope-if", "{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}")
L("var-assign-in-range", "{{ $s := 0 }}{{ range .Values.li }}{{ $s = add $s . }}{{ end }}{{ $s }}")
L("var-in-with", "{{ with $x := .Values.s }}{{ $x }}{{ . }}{{ end }}")
E("var-undefined", "{{ $nope }}")
E("var-assign-undeclared", "{{ $nope = 1 }}")
L("var-pipeline-value", "{{ $x := \"a\" | upper }}{{ $x }}")
L("var-dollar-root-type", "{{ printf \"%T\" $ }}", expect="any")
L("paren-pipeline", "{{ (print \"a\" \"b\") }} {{ (list 1 2) | len }} {{ (dict \"k\" \"v\").k }}")
L("paren-field-chain", "{{ (.Values.m).c.d }} {{ (index .Values.lm 1).name }}")
L("pipeline-last-arg", "{{ \"x\" | printf \"%s-%s\" \"a\" }}")
L("pipeline-multi", "{{ \"abc\" | upper | lower | title | quote }}")
E("pipeline-to-non-func", "{{ 1 | 2 }}")
E("pipeline-field-arg", "{{ .Values.s | .Values.n }}", expect="any")
L("method-like-field", "{{ .Capabilities.APIVersions.Has \"v1\" }}")
# ---- if / else if / else ----
for k in ["s", "n", "i0", "f", "t", "fl", "z", "e", "l", "el", "m", "em", "nope", "neg"]:
    L("if-truth-" + k, "{{ if .Values.%s }}T{{ else }}F{{ end }}" % k)
L("if-else-if", "{{ if eq .Values.n 1 }}one{{ else if eq .Values.n 3 }}three{{ else }}other{{ end }}")
L("if-else-if-chain", "{{ if false }}a{{ else if false }}b{{ else if true }}c{{ end }}")
L("if-no-else-false", "[{{ if false }}x{{ end }}]")
L("if-pipeline", "{{ if and .Values.t (gt .Values.n 2.0) }}yes{{ end }}", expect="any")
L("if-var-decl", "{{ if $x := .Values.s }}{{ $x }}{{ end }}")
E("if-unclosed", "{{ if true }}x")
E("else-without-if", "{{ else }}")
E("end-without-start", "{{ end }}")
E("if-no-arg", "{{ if }}x{{ end }}")
# ---- with ----
L("with-basic", "{{ with .Values.m }}{{ .a }}{{ end }}")
L("with-empty", "[{{ with .Values.em }}x{{ end }}]")
L("with-else", "{{ with .Values.z }}x{{ else }}none{{ end }}")
L("with-else-with", "{{ with .Values.z }}a{{ else with .Values.s }}{{ . }}{{ else }}c{{ end }}")
L("with-dot-rebinding", "{{ with .Values.l }}{{ index . 1 }}{{ end }}")
L("with-zero", "{{ with 0 }}x{{ else }}zero{{ end }}")
# ---- range ----
L("range-list", "{{ range .Values.l }}[{{ . }}]{{ end }}")
L("range-list-index", "{{ range $i, $v := .Values.l }}{{ $i }}={{ $v }} {{ end }}")
L("range-list-one-var", "{{ range $v := .Values.l }}{{ $v }}{{ end }}")
L("range-map-sorted", "{{ range $k, $v := .Values.m }}{{ $k }}:{{ $v }};{{ end }}")
L("range-map-values", "{{ range .Values.m }}{{ . }};{{ end }}")
L("range-map-key-order", "{{ range $k, $_ := dict \"b\" 1 \"B\" 2 \"a\" 3 \"_\" 4 \"10\" 5 \"9\" 6 }}{{ $k }} {{ end }}")
L("range-empty-else", "{{ range .Values.el }}x{{ else }}empty{{ end }}")
L("range-nil-else", "{{ range .Values.z }}x{{ else }}nil{{ end }}")
L("range-missing-else", "{{ range .Values.nope }}x{{ else }}missing{{ end }}")
L("range-int", "{{ range 3 }}{{ . }}{{ end }}")
L("range-int-var", "{{ range $i := 4 }}{{ $i }},{{ end }}")
L("range-int-zero", "[{{ range 0 }}x{{ else }}none{{ end }}]")
L("range-int-from-set", "{{ range .Values.si }}{{ . }}{{ end }}", args=SV, expect="any")
E("range-float", "{{ range .Values.f }}{{ . }}{{ end }}", expect="any")
E("range-int-two-vars", "{{ range $i, $j := 3 }}{{ $i }}{{ end }}", expect="any")
L("range-break", "{{ range .Values.li }}{{ if eq . 2.0 }}{{ break }}{{ end }}{{ . }}{{ end }}")
L("range-continue", "{{ range .Values.li }}{{ if eq . 2.0 }}{{ continue }}{{ end }}{{ . }}{{ end }}")
E("break-outside-range", "{{ break }}")
E("continue-outside-range", "{{ continue }}")
L("range-nested", "{{ range $a := .Values.l }}{{ range $.Values.li }}{{ $a }}{{ . }} {{ end }}{{ end }}")
L("range-list-of-maps", "{{ range .Values.lm }}{{ .name }}={{ .v }} {{ end }}")
L("range-string", "{{ range \"abc\" }}{{ . }}{{ end }}", expect="any")
L("range-dollar-inside", "{{ range .Values.l }}{{ $.Values.n }}{{ end }}")
L("range-var-persists", "{{ $last := \"\" }}{{ range .Values.l }}{{ $last = . }}{{ end }}{{ $last }}")
L("range-until", "{{ range until 3 }}{{ . }}{{ end }} {{ range $i, $e := until 2 }}{{ $i }}{{ end }}")
L("range-tuple-seq", "{{ range tuple 1 \"a\" nil }}[{{ . }}]{{ end }}")
L("range-int64-types", "{{ range 2 }}{{ printf \"%T\" . }}{{ end }}")
E("range-unclosed", "{{ range .Values.l }}x")
# ---- define / template / block ----
R("define-template", '{{ define "x" }}X{{ . }}{{ end }}v: {{ template "x" "a" }}\n')
R("define-no-dot", '{{ define "x" }}[{{ . }}]{{ end }}v: {{ template "x" }}\n')
R("define-whitespace", '{{- define "x" }}\n  indented\n{{- end }}\nv: |2-\n  {{- template "x" }}\n')
R("block-default", 'v: {{ block "blk" . }}default {{ .Values.s }}{{ end }}\n')
R("block-override", '{{ define "blk2" }}override{{ end }}v: {{ block "blk2" . }}default{{ end }}\n', expect="any")
R("template-undefined", 'v: {{ template "nope" }}\n', expect="error")
R("define-in-other-file", 'v: {{ template "shared" 3 }}\n',
  files={"templates/_p.tpl": '{{ define "shared" }}shared-{{ . }}{{ end }}'})
R("define-redefined-files", 'v: {{ template "dup" }}\n',
  files={"templates/_a.tpl": '{{ define "dup" }}A{{ end }}', "templates/_b.tpl": '{{ define "dup" }}B{{ end }}'})
R("template-recursion-limit", '{{ define "r" }}{{ template "r" . }}{{ end }}v: {{ template "r" . }}\n', expect="error")
R("define-nested-error", '{{ define "x" }}{{ define "y" }}{{ end }}{{ end }}v: 1\n', expect="error")
R("template-pipeline-arg", '{{ define "x" }}{{ .a }}{{ end }}v: {{ template "x" (dict "a" "A") }}\n')
R("partial-file-not-rendered", 'v: 1\n', files={"templates/_x.tpl": "garbage: [", "templates/_y.yaml": "also: ["})
# ---- and / or ----
L("and-or-values", "{{ and 1 2 }} {{ and 0 2 }} {{ or 0 2 }} {{ or 0 \"\" }} {{ and }}", expect="any")
L("and-short-circuit", "{{ and false (fail \"not evaluated\") }}")
L("or-short-circuit", "{{ or true (fail \"not evaluated\") }}")
L("and-returns-operand", "{{ and \"a\" \"b\" | quote }} {{ or \"\" (list 1) }}")
E("and-no-args", "{{ and }}")
L("not", "{{ not true }} {{ not 0 }} {{ not \"\" }} {{ not .Values.l }} {{ not .Values.z }}")
E("not-two-args", "{{ not 1 2 }}")
# ---- comparisons ----
CMP = [("1", "1"), ("1", "1.0"), ("1.0", "1.0"), ('"a"', '"a"'), ('"a"', '"b"'), ("true", "true"),
       (".Values.n", "3"), (".Values.n", "3.0"), (".Values.si", "3"), (".Values.si", ".Values.n"),
       ("nil", "nil"), (".Values.z", "nil"), (".Values.nope", "nil"), ("1", '"1"'), (".Values.sneg", "-1"),
       (".Values.sbig", "9223372036854775807"), ("1", "true"), (".Values.l", ".Values.l")]
for i, (a, b) in enumerate(CMP):
    L("cmp-%02d" % (i + 1), "{{ eq %s %s }}|{{ ne %s %s }}|{{ lt %s %s }}|{{ le %s %s }}|{{ gt %s %s }}|{{ ge %s %s }}"
      % (a, b, a, b, a, b, a, b, a, b, a, b), args=SV, expect="any")
L("eq-multi", "{{ eq 1 2 3 1 }} {{ eq \"a\" \"b\" \"c\" }}")
L("lt-strings", "{{ lt \"a\" \"b\" }} {{ lt \"B\" \"a\" }} {{ lt \"\" \"a\" }} {{ lt \"é\" \"z\" }}")
L("cmp-uint-int", "{{ lt -1 (len .Values.l) }} {{ eq (len .Values.l) 3 }}")
E("lt-bool", "{{ lt true false }}")
E("lt-list", "{{ lt .Values.l .Values.l }}")
E("eq-no-args", "{{ eq }}")
E("eq-one-arg", "{{ eq 1 }}")
E("lt-string-int", "{{ lt \"a\" 1 }}")
E("eq-map", "{{ eq .Values.m .Values.m }}", expect="any")
# ---- builtins ----
L("len", "{{ len \"abc\" }} {{ len .Values.l }} {{ len .Values.m }} {{ len .Values.el }} {{ len \"héllo\" }}")
E("len-int", "{{ len 3 }}")
E("len-nil", "{{ len .Values.z }}")
L("index", "{{ index .Values.l 1 }} {{ index .Values.m \"a\" }} {{ index .Values.nested \"l\" 0 \"k\" 1 \"x\" }}")
L("index-missing-key", "[{{ index .Values.m \"zz\" }}]")
L("index-string", "{{ index \"abc\" 1 }}")
E("index-out-of-range", "{{ index .Values.l 5 }}")
E("index-bad-type", "{{ index .Values.l \"x\" }}")
E("index-of-int", "{{ index 1 0 }}")
L("slice-sprig-overrides-builtin", "{{ slice .Values.l 1 }} {{ slice .Values.l 1 2 }} {{ slice .Values.l }}")
E("slice-string", "{{ slice \"hello\" 1 3 }}")
E("slice-out-of-range", "{{ slice \"abc\" 2 10 }}")
E("slice-3-index-string", "{{ slice \"abc\" 0 1 2 }}")
L("print-funcs", "{{ print \"a\" 1 2 \"b\" }}|{{ printf \"%05.1f\" 3.14159 }}|{{ println \"x\" | len }}")
L("html-js-urlquery", "{{ html \"<b>&'\\\"\" }} {{ js \"a'b\\\"c<>\" }} {{ urlquery \"a b&c\" }}")
E("call-nil", "{{ call .Values.z }}", expect="any")
E("call-non-func", "{{ call .Values.s }}")
E("unknown-function", "{{ nofunc 1 }}")
E("wrong-arg-count", "{{ upper \"a\" \"b\" }}")
E("wrong-arg-type", "{{ upper 1 }}")
E("unexpected-eof", "{{ if")
E("unterminated-string", "{{ \"abc }}")
E("unterminated-raw", "{{ `abc }}")
E("unclosed-action", "{{ .Values.s ")
E("bad-char", "{{ .Values.s # }}")
E("missing-value-for-command", "{{ | upper }}")
E("empty-pipeline", "{{ }}")
E("unexpected-rparen", "{{ ) }}")
E("unclosed-paren", "{{ (1 }}")
E("bad-number", "{{ 1x }}")
E("double-decl", "{{ $x, $y := 1 }}")
E("assign-to-field", "{{ .x := 1 }}")
E("comment-unclosed", "{{/* x }}")
E("comment-with-code", "{{/* x */ 1 }}")
L("bad-utf8-text", "{{ b64dec \"/w==\" | b64enc }}")
# ---- missing keys, nil, <no value> ----
L("no-value-removed", "a{{ .Values.nope }}b {{ .nothere }}")
L("no-value-in-printf", "{{ printf \"%v\" .Values.nope }} {{ print .Values.nope }}")
L("no-value-map-index", "[{{ index .Values.m \"zz\" }}]")
L("no-value-literal-text", "<no value>")
L("no-value-tostring", "{{ toString .Values.nope }} {{ .Values.nope | quote }}")
L("nil-value-print", "[{{ .Values.z }}]")
L("missing-chain-with", "{{ with .Values.a }}{{ .b }}{{ else }}no a{{ end }}")
E("missing-chain-deep", "{{ .Values.a.b.c }}")
L("dot-is-root", "{{ printf \"%T\" .Values }} {{ len .Values }}")
L("nested-index-nil", "[{{ index .Values \"z\" }}]")
# ---- whole-template behaviours ----
R("multi-docs", "a: 1\n---\nb: 2\n---\n# only comment\n---\n\n---\nc: {{ .Values.n }}\n")
R("empty-output", "{{ if false }}x: 1{{ end }}\n")
R("whitespace-only", "   \n\n")
R("doc-with-kind", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  k: {{ .Values.s | quote }}\n")
R("two-templates-order", "b: 1\n", files={"templates/a.yaml": "a: 1\n", "templates/z.yaml": "z: 1\n"})
R("kind-order", "kind: Service\nmetadata: {name: s}\n---\nkind: Namespace\nmetadata: {name: n}\n---\nkind: Deployment\nmetadata: {name: d}\n")
R("notes-not-printed", "v: 1\n", files={"templates/NOTES.txt": "notes {{ .Release.Name }}"})
R("large-range", "v: {{ range until 20000 }}{{ end }}{{ len (until 20000) }}\n")
R("deep-nesting", "v: " + "{{ if true }}" * 50 + "x" + "{{ end }}" * 50 + "\n")
R("long-line", "v: " + "{{ \"ab\" }}" * 2000 + "\n")
R("recursion-include", '{{ define "d" }}{{ if lt (len .) 30 }}{{ include "d" (append . 1) }}{{ else }}{{ len . }}{{ end }}{{ end }}v: {{ include "d" (list) }}\n')
R("show-only", "a: 1\n", files={"templates/b.yaml": "b: 2\n"}, args=["--show-only", "templates/b.yaml"])
R("show-only-missing", "a: 1\n", args=["--show-only", "templates/nope.yaml"], expect="error")
R("output-release-name", "n: {{ .Release.Name }}\n", args=["--namespace", "x"])
# ---- what Helm removes from Sprig ----
E("env-removed", "{{ env \"HOME\" }}")
E("expandenv-removed", "{{ expandenv \"$HOME\" }}")
E("now-is-defined-but-no-golden", "{{ now | date \"2006\" | len }} {{ nosuchfn }}")
