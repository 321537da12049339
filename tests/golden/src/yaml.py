"""yaml suite (issue 2): toYaml / toYamlPretty / fromYaml / fromYamlArray over
the input table of _inputs.py, how values files are read, and bad YAML input."""
from gsrc import Suite
from _inputs import inputs, BAD_INPUTS, ERR_INPUTS, ODD_INPUTS

SUITE = s = Suite("yaml")

X = [
    "~.Values.x | toYaml",
    "~dict \"k\" .Values.x | toYaml",
    "~dict \"k\" .Values.x | toYaml | fromYaml | toYaml",
    "~list .Values.x | toYaml | fromYamlArray | toYaml",
    "~dict \"k\" .Values.x | toYamlPretty",
    "~dict \"k\" (list .Values.x (dict \"in\" .Values.x)) | mustToYaml",
]
for name, values, args, ml in inputs():
    s.exprs(name, X, values=values, args=args,
            expect="error" if name in ERR_INPUTS else "ok")

for name, values, args in BAD_INPUTS:
    s.add(name, "v: 1\n", values=values, args=args,
          expect="ok" if name in ODD_INPUTS else "error")

# Whole .Values, and values from several -f files and stdin.
s.exprs("values-whole", ["~toYaml .Values"],
        values="b: {y: 2, x: [1, {z: null}]}\na: 'on'\nc: |\n  text\n")
s.exprs("values-f-merge", ["~toYaml .Values"], values="a: {b: 1, c: 2}\nl: [1, 2]\n",
        args=["-f", "@CHART@/o1.yaml", "-f", "@CHART@/o2.yaml"],
        files={"o1.yaml": "a: {c: 3, d: 4}\nl: [9]\n", "o2.yaml": "a: {d: null}\nn: 1\n"})
s.exprs("values-f-stdin", ["~toYaml .Values"], values="a: 1\n", args=["-f", "-"],
        stdin="a: 2\nb: from-stdin\n")
s.exprs("values-empty-file", ["~toYaml .Values"], values="")
s.exprs("values-comments-only", ["~toYaml .Values"], values="# nothing\n# here\n")
s.exprs("values-doc-marker", ["~toYaml .Values"], values="---\na: 1\n")
s.exprs("values-null-deletes", ["~toYaml .Values"], values="a: {b: 1, c: 2}\n",
        args=["--set", "a.b=null"])
s.exprs("values-types", ['printf "%T %T %T %T %T %T" .Values.i .Values.f .Values.s .Values.b .Values.l .Values.m'],
        values="i: 1\nf: 1.5\ns: x\nb: true\nl: []\nm: {}\n")
s.exprs("set-types", ['printf "%T %T %T %T %T" .Values.i .Values.f .Values.s .Values.b .Values.n'],
        args=["--set", "i=1,f=1.5,s=x,b=true,n=null"])

# fromYaml / fromYamlArray on literal documents, including bad ones (Error key).
DOCS = [
    ("map", '"a: 1\\nb: [x, y]"'),
    ("nested", '"a:\\n  b:\\n    c: 1"'),
    ("scalar", '"just text"'),
    ("list", '"- 1\\n- 2"'),
    ("empty", '""'),
    ("null", '"null"'),
    ("bad", '"a: [1"'),
    ("tab", '"a:\\n\\tb: 1"'),
    ("multi-doc", '"a: 1\\n---\\nb: 2"'),
    ("int-float", '"i: 1\\nf: 1.0\\nbig: 12345678901234567890\\nexp: 1e3"'),
    ("bools", '"a: yes\\nb: on\\nc: True\\nd: n"'),
    ("quoted", '"a: \\"1\\"\\nb: \'x\'"'),
    ("keys", '"1: a\\ntrue: b\\nnull: c"'),
    ("anchor", '"a: &x 1\\nb: *x"'),
    ("timestamp", '"t: 2024-01-02T03:04:05Z\\nd: 2024-01-02"'),
    ("dup", '"a: 1\\na: 2"'),
]
for n, d in DOCS:
    s.exprs("fromYaml-" + n, [
        "~fromYaml %s | toYaml" % d,
        'fromYaml %s | toJson' % d,
        'printf "%%v" (fromYaml %s)' % d,
    ])
    s.exprs("fromYamlArray-" + n, [
        "~fromYamlArray %s | toYaml" % d,
        'fromYamlArray %s | toJson' % d,
    ])
s.exprs("fromYaml-types", [
    'printf "%T %T %T %T" (fromYaml "a: 1").a (fromYaml "a: 1.5").a (fromYaml "a: x").a (fromYaml "a: [1]").a',
    'printf "%T" (fromYamlArray "[1]")',
])
s.exprs("toYaml-literals", [
    "~toYaml 1", "~toYaml 1.5", "~toYaml \"s\"", "~toYaml true", "~toYaml nil",
    "~toYaml (list)", "~toYaml (dict)", "~toYaml (list nil \"\" 0)",
])
s.exprs("toYaml-int-vs-float", ["~toYaml (list 1 1.0 1e6 100000000000 (int64 5) (float64 5))"])
s.exprs("toYaml-long-in-list", ["~list \"%s\" | toYaml" % ("abc def " * 20)])
s.exprs("toYaml-nested-long", ["~dict \"a\" (dict \"b\" \"%s\") | toYaml" % ("lorem ipsum " * 12)])
