"""The table of inputs the yaml, json and fmt suites render (issue 2).

Each input gives the chart a value .Values.x, either from values.yaml or from
--set / --set-string / --set-json.  INPUTS rows: (name, values_text, args,
multiline) — multiline marks values whose printed form may span lines.
"""

LONG = "word " * 30
LONG_NOSPACE = "x" * 150

# (name, yaml text of x) — put under "x:" in values.yaml
FILE_SCALARS = [
    ("int", "1"),
    ("zero", "0"),
    ("neg-int", "-42"),
    ("million", "1000000"),
    ("int-1e21", "1000000000000000000000"),
    ("int-2p53", "9007199254740993"),
    ("int-max64", "9223372036854775807"),
    ("int-over64", "92233720368547758070"),
    ("float", "1.5"),
    ("float-1.0", "1.0"),
    ("float-tiny", "0.000001"),
    ("float-tinier", "0.0000001"),
    ("float-exp", "1e10"),
    ("float-exp-neg", "1.5e-10"),
    ("float-huge", "1.7976931348623157e308"),
    ("float-third", "0.3333333333333333"),
    ("float-120", "123456789012345678901234567890.0"),
    ("neg-float", "-0.5"),
    ("neg-zero", "-0.0"),
    ("float-inf", ".inf"),
    ("float-nan", ".nan"),
    ("hex", "0x1F"),
    ("octal", "0o17"),
    ("octal-old", "017"),
    ("true", "true"),
    ("false", "false"),
    ("yes-bare", "yes"),
    ("on-bare", "on"),
    ("null", "null"),
    ("tilde", "~"),
    ("empty", ""),
    ("str", "hello"),
    ("str-quoted-num", '"1"'),
    ("str-on", '"on"'),
    ("str-yes", '"yes"'),
    ("str-no", '"NO"'),
    ("str-off", '"off"'),
    ("str-y", '"y"'),
    ("str-true", '"true"'),
    ("str-null", '"null"'),
    ("str-tilde", '"~"'),
    ("str-1.0", '"1.0"'),
    ("str-leading-zero", '"0123"'),
    ("str-exp", '"1e3"'),
    ("str-hex", '"0x10"'),
    ("str-colon", '"a: b"'),
    ("str-colon-end", '"a:"'),
    ("str-hash", '"a #b"'),
    ("str-hash-start", '"#x"'),
    ("str-dash", '"- x"'),
    ("str-brackets", '"[a]"'),
    ("str-braces", '"{a}"'),
    ("str-star", '"*a"'),
    ("str-amp", '"&a"'),
    ("str-bang", '"!a"'),
    ("str-pct", '"%a"'),
    ("str-at", '"@a"'),
    ("str-backtick", '"`a"'),
    ("str-pipe", '"|"'),
    ("str-gt", '">"'),
    ("str-quote", "'say \"hi\"'"),
    ("str-apos", "\"it's\""),
    ("str-backslash", '"a\\\\b"'),
    ("str-lead-space", '" a"'),
    ("str-trail-space", '"a "'),
    ("str-empty", '""'),
    ("str-space", '" "'),
    ("str-tab", '"a\\tb"'),
    ("str-html", '"<a href=\\"x\\">&amp;</a>"'),
    ("str-unicode", '"héllo wörld ✓"'),
    ("str-cjk", '"日本語テキスト"'),
    ("str-emoji", '"🎉 party"'),
    ("str-rtl", '"שלום"'),
    ("str-nbsp", '"a\\u00a0b"'),
    ("str-bom", '"\\ufeffx"'),
    ("str-ls", '"a\\u2028b"'),
    ("str-long", '"%s"' % LONG.strip()),
    ("str-long-nospace", '"%s"' % LONG_NOSPACE),
    ("str-long-colon", '"%s: %s"' % ("k" * 40, "v " * 50)),
    ("str-date", '"2024-01-02"'),
    ("date-bare", "2024-01-02"),
    ("time-bare", "2024-01-02T03:04:05Z"),
    ("str-version", '"1.2.3"'),
    ("str-plus", '"+1"'),
    ("str-dot", '"."'),
    ("str-dots", '"..."'),
    ("str-eq", '"="'),
    ("str-question", '"? x"'),
    ("str-windows", '"C:\\\\dir"'),
    ("str-url", '"http://example.com/a?b=c&d=e#f"'),
    ("str-doc-sep", '"---"'),
    ("str-doc-end", '"..."'),
]

FILE_MULTI = [
    ("ml-literal", "|\n  line one\n  line two\n"),
    ("ml-literal-keep", "|+\n  a\n  b\n\n"),
    ("ml-literal-strip", "|-\n  a\n  b\n"),
    ("ml-folded", ">\n  folded\n  text\n"),
    ("ml-trailing-space", '"line \\nnext"'),
    ("ml-leading-space", '"  indented\\nnot"'),
    ("ml-only-newline", '"\\n"'),
    ("ml-crlf", '"a\\r\\nb"'),
    ("ml-tab-line", '"a\\n\\tb"'),
    ("ml-long-lines", '"%s\\n%s"' % (LONG.strip(), LONG.strip())),
    ("ml-unicode", '"α\\nβ\\nγ"'),
    ("ml-json-like", '"{\\n  \\"a\\": 1\\n}"'),
    ("ml-hash", '"# c\\nx: y"'),
]

FILE_COLLECTIONS = [
    ("list-empty", "[]"),
    ("map-empty", "{}"),
    ("list-ints", "[1, 2, 3]"),
    ("list-mixed", '[1, "a", true, null, 1.5]'),
    ("list-nested", "[[1, 2], [], [[3]]]"),
    ("list-of-maps", "[{a: 1}, {b: [x, y]}, {}]"),
    ("map-simple", "{b: 2, a: 1, c: 3}"),
    ("map-nested", "{a: {b: {c: {d: deep}}}}"),
    ("map-mixed", '{s: str, i: 7, f: 0.25, b: false, n: null, l: [1], m: {k: v}}'),
    ("map-special-keys", '{"on": 1, "yes": 2, "1.0": 3, "null": 4, "0123": 5, "a:b": 6, "#c": 7, "": 8, " sp": 9}'),
    ("map-bare-bool-keys", "{on: 1, off: 2, yes: 3, no: 4}"),
    ("map-num-keys", "{1: a, 2.5: b, 010: c}"),
    ("map-unicode-keys", '{"ключ": 1, "键": 2, "é": 3}'),
    ("map-key-order", "{b: 1, B: 2, a: 3, A: 4, _: 5, '1': 6, aa: 7}"),
    ("map-long-key", '{"%s": 1}' % ("k" * 130)),
    ("map-multiline-val", '{a: "x\\ny", b: "z"}'),
    ("map-empties", "{a: [], b: {}, c: '', d: null}"),
    ("list-strings-special", '["on", "yes", "1.0", "null", "0123", "a: b", "#x", "", "~"]'),
    ("list-floats", "[1.0, 1000000, 1.5e300, 0.00001, -0.0]"),
    ("anchors", "{base: &b {k: v}, ref: *b}"),
    ("deep-list", "[[[[[[[[1]]]]]]]]"),
]

# (name, args) — --set style inputs
SETS = [
    ("set-int", ["--set", "x=1"]),
    ("set-million", ["--set", "x=1000000"]),
    ("set-neg", ["--set", "x=-7"]),
    ("set-big", ["--set", "x=9223372036854775807"]),
    ("set-over64", ["--set", "x=92233720368547758070"]),
    ("set-float", ["--set", "x=1.5"]),
    ("set-float-1.0", ["--set", "x=1.0"]),
    ("set-exp", ["--set", "x=1e3"]),
    ("set-leading-zero", ["--set", "x=0123"]),
    ("set-zero", ["--set", "x=0"]),
    ("set-true", ["--set", "x=true"]),
    ("set-false", ["--set", "x=false"]),
    ("set-null", ["--set", "x=null"]),
    ("set-str", ["--set", "x=hello"]),
    ("set-on", ["--set", "x=on"]),
    ("set-yes", ["--set", "x=yes"]),
    ("set-empty", ["--set", "x="]),
    ("set-list", ["--set", "x={a,b,c}"]),
    ("set-list-nums", ["--set", "x={1,2,3}"]),
    ("set-list-empty", ["--set", "x={}"]),
    ("set-index", ["--set", "x[0]=a", "--set", "x[2]=c"]),
    ("set-nested", ["--set", "x.a.b=1,x.a.c=two"]),
    ("set-escaped-comma", ["--set", "x=a\\,b"]),
    ("set-escaped-dot", ["--set", "x.a\\.b=1"]),
    ("set-unicode", ["--set", "x=héllo✓"]),
    ("set-colon", ["--set", "x=a:b"]),
    ("set-hash", ["--set", "x=#x"]),
    ("set-string-int", ["--set-string", "x=1"]),
    ("set-string-true", ["--set-string", "x=true"]),
    ("set-string-null", ["--set-string", "x=null"]),
    ("set-string-float", ["--set-string", "x=1.50"]),
    ("set-string-zero", ["--set-string", "x=0123"]),
    ("set-json-int", ["--set-json", "x=1"]),
    ("set-json-big", ["--set-json", "x=1000000"]),
    ("set-json-float", ["--set-json", "x=1.5"]),
    ("set-json-str", ["--set-json", 'x="s"']),
    ("set-json-null", ["--set-json", "x=null"]),
    ("set-json-list", ["--set-json", 'x=[1,"a",null,true,{"k":[]}]']),
    ("set-json-map", ["--set-json", 'x={"b":1,"a":{"c":"<&>"}}']),
    ("set-json-escapes", ["--set-json", 'x="tab\\tnl\\nq\\"u\\u00e9"']),
    ("set-json-huge", ["--set-json", "x=1e400"]),
    ("set-json-exp", ["--set-json", "x=1e21"]),
    ("set-json-empty-map", ["--set-json", "x={}"]),
    ("set-over-file", ["--set", "x.a=2"], "x:\n  a: 1\n  b: 1\n"),
    ("set-literal", ["--set-literal", "x=a,b={c}"]),
]


def inputs():
    """Yield (name, values_text_or_None, args, multiline)."""
    for n, t in FILE_SCALARS:
        yield "file-" + n, "x: %s\n" % t, [], False
    for n, t in FILE_MULTI:
        yield "file-" + n, "x: %s\n" % t if not t.startswith(("|", ">")) else "x: " + t, [], True
    for n, t in FILE_COLLECTIONS:
        yield "file-" + n, "x: %s\n" % t, [], n == "map-multiline-val"
    for row in SETS:
        n, a = row[0], row[1]
        v = row[2] if len(row) > 2 else None
        yield n, v, a, n == "set-json-escapes"


# Inputs helm refuses while loading values (error cases; the yaml suite has them).
ERR_INPUTS = {"file-float-inf", "file-float-nan", "set-json-huge"}

# Odd input helm accepts (not errors, despite appearances).
ODD_INPUTS = {"bad-values-dup-key", "bad-set-syntax", "bad-set-no-key", "bad-set-string-syntax"}

# Bad input: each makes helm fail before rendering (except ODD_INPUTS).
BAD_INPUTS = [
    ("bad-values-unclosed-flow", "x: [1, 2\n", []),
    ("bad-values-tab-indent", "x:\n\t- a\n", []),
    ("bad-values-dup-key", "x: 1\nx: 2\n", []),
    ("bad-values-bad-indent", "a:\n  b: 1\n c: 2\n", []),
    ("bad-values-unclosed-quote", 'x: "abc\n', []),
    ("bad-values-scalar-doc", "just a string\n", []),
    ("bad-values-list-doc", "- a\n- b\n", []),
    ("bad-values-bad-anchor", "x: *nope\n", []),
    ("bad-values-colon-in-plain", "x: a: b\n", []),
    ("bad-values-control-char", "x: \"a\x01\"\n", []),
    ("bad-set-json", None, ["--set-json", "x={bad"]),
    ("bad-set-json-trailing", None, ["--set-json", "x=[1,]"]),
    ("bad-set-json-no-eq", None, ["--set-json", "x"]),
    ("bad-set-syntax", None, ["--set", "x[=1"]),
    ("bad-set-index", None, ["--set", "x[a]=1"]),
    ("bad-set-neg-index", None, ["--set", "x[-1]=1"]),
    ("bad-set-huge-index", None, ["--set", "x[999999999]=1"]),
    ("bad-set-no-key", None, ["--set", "=1"]),
    ("bad-set-string-syntax", None, ["--set-string", "x[=1"]),
    ("bad-f-missing", None, ["-f", "@CHART@/nope.yaml"]),
]
