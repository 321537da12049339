#!/usr/bin/env python3
"""Regenerate tests/unit/yaml_cases.txt: each case is a values file; the
expected output is what real helm v4.1.4 prints for {{ toYaml .Values }}
(plus the newline toYaml trims), or the error helm gives for the file.

Usage: gen_yaml_cases.py HELM > tests/unit/yaml_cases.txt
"""
import base64, json, os, subprocess, sys, tempfile

HELM = sys.argv[1]

S = [  # strings that go through toYaml
    "", " ", "  ", "a", "hello world", "on", "On", "ON", "off", "yes", "Yes", "no", "NO", "y", "Y", "n", "N",
    "true", "True", "false", "FALSE", "null", "Null", "NULL", "~", "1", "1.0", "1.5", "-1", "+1", "0123",
    "0x1F", "0o17", "0b101", "1e3", "1E3", "1e400", ".5", "5.", "1_000", ".inf", ".Inf", "-.inf", ".nan",
    ".NaN", "+.inf", "inf", "nan", "NaN", "Infinity", "1:20", "1:20:30.5", "-1:30", "190:20:30", "1:60",
    "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10", "2002-12-14T21:59:43Z",
    "2001-13-14", "12:30", "<<", "=", "a: b", "a:b", "a #b", "a#b", "#a", "-a", "- a", "-", "--", "---",
    "...", "?", "? a", "?a", ":", ": a", ":a", ",", ",a", "a,b", "[a]", "]", "{a}", "}", "&a", "*a", "!a",
    "|", "|a", ">", ">a", "'", "'a'", "\"", "\"a\"", "%a", "@a", "`a", "a'b", "a\"b", "a\\b", " lead",
    "trail ", " both ", "tab\there", "\ttab", "trailtab\t", "a\u0007b", "nul\u0000x", "del\u007f",
    "é", "café", "日本語", "中文 字符", "emoji 😀", "😀", "\u00a0nbsp", "nbsp\u00a0", "zero\u200bwidth",
    "bom\ufeffx", "\u2028ls", "nel\u0085x", "<b>&amp;</b>", "a/b", "http://x.y/z?q=1#f",
    "line1\nline2", "line1\nline2\n", "line1\nline2\n\n", "\n", "\n\n", "a\n", " lead\nline", "\nlead nl",
    "x\n y", "trail \nline", "a\n\nb", "a\r\nb", "a\rb", "tab\n\tline", "line\n# comment",
    "l1\nl2 ", "- a\n- b", "key: v\nk2: v2", "日本\n語", "😀\nx",
    "a" * 79, "a" * 80, "a" * 81, "a" * 200,
    " ".join(["word"] * 30), " ".join(["word"] * 40) + " ", "x" * 60 + " " + "y" * 30,
    "word " * 20, ("aaaaaaaaa " * 12).strip(), "short\n" + " ".join(["long"] * 30),
    " ".join(["on"] * 30), "a  b" * 30, ("w " * 50) + "\nnext",
    "\"quoted\" " * 15, "'single' " * 15, "a: " * 30, "multi\nline " + "z " * 50,
    "k" * 100 + " " + "v" * 10, "#" * 90,
    # go-yaml escapes every character of a string that starts with a BOM
    "\ufeffx", "\ufeff", "\ufeff" + "word " * 30, "\ufeffa\nb", "\ufeff日本😀\t\"\\ \u0085\u00a0\u2028",
]

N = [  # numbers and other scalars, as YAML text in a values file
    "0", "1", "-1", "1000000", "1.5", "-0", "-0.0", "0.0", "1.0", "100.0", "1e6", "1.5e6", "1234567",
    "1234567.5", "123456789012", "0.1", "0.000001", "0.0000001", "1e-7", "1e20", "1e21", "1e22",
    "9007199254740993", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
    "18446744073709551615", "18446744073709551616", "12345678901234567890", "3.141592653589793",
    "2.5e-310", "1.7976931348623157e308", "0x1F", "0o17", "017", "08", "0b101", "-0b11", "1_000",
    "+12", ".5", "-.5", "5.", "1e3", "1E3", "+1e3", "true", "false", "yes", "no", "on", "off", "y", "n",
    "~", "null", "", "2001-12-14", "1:20", "1e400", ".inf", "-.inf", ".nan", "0.1e1", "6.02e23",
    "123456.789", "99999999999999999999999", "-1.5e-5", "1.0e+2",
]

CASES = []  # (name, input bytes)

for i, s in enumerate(S):
    CASES.append(("str%03d" % i, ("x: " + json.dumps(s, ensure_ascii=False) + "\n").encode()))
for i, n in enumerate(N):
    CASES.append(("num%03d" % i, ("x: " + n + "\n").encode()))

RAW = [  # whole values files
    ("empty", ""),
    ("only-comment", "# nothing\n"),
    ("null-doc", "~\n"),
    ("nested", "a:\n  b:\n    c: [1, 2, {d: e}]\n  f: []\n  g: {}\nh:\n- - x\n  - y\n- []\n- {}\n"),
    ("list-of-maps", "l:\n- a: 1\n  b: 2\n- c: 3\n"),
    ("empty-values", "a:\nb: []\nc: {}\nd: ''\n"),
    ("keys-sort", "a10: 1\na2: 2\na1: 3\nB: 4\nb: 5\n_x: 6\n\"1\": 7\n\"10\": 8\n\"9\": 9\na_b: 10\na-b: 11\naB: 12\nab: 13\na01: 14\na001: 15\na0: 16\na00: 17\n"),
    # (helm's key order is not deterministic when keys like "16", "1e+06" and
    # "3.1" meet: go-yaml v2's key comparison is not transitive)
    ("keys-typed", "1: a\n1.5: b\ntrue: c\n0.1: d\n3.14159265358979: e\nyes: g\nn: h\n-1: i\n0x10: j\n"),
    ("keys-float", "1e6: f\n2.5: g\n"),
    ("key-quoting", "\"on\": 1\n\"a b\": 2\n\"a: b\": 3\n\"\": 4\n\"#x\": 5\n\"- x\": 6\n"),
    ("key-multiline", "\"a\\nb\": 1\n"),
    ("key-long", ("k" * 130) + ": 1\n"),
    ("anchors", "base: &b {x: 1, y: [1, 2]}\ncopy: *b\nm:\n  <<: *b\n  y: 3\nseq:\n  <<: [{p: 1}, {p: 2, q: 3}]\n"),
    ("merge-order", "b:\n  q: 3\n  <<: {q: 4, r: 5}\n"),
    ("dup-keys", "a: 1\na: 2\nb: {c: 1}\nb: {d: 2}\n"),
    ("tags", "a: !!int \"12\"\nb: !!str 12\nc: !foo bar\nd: !!float 3\ne: !!binary aGVsbG8=\nf: !!bool yes\ng: !!null ~\n"),
    ("binary-invalid-utf8", "a: !!binary /w==\n"),
    ("quoted-scalars", "a: '1'\nb: \"true\"\nc: 'it''s'\nd: \"tab\\tx\"\ne: \"\\u00e9\\x41\"\n"),
    ("block-scalars", "a: |\n  line1\n  line2\nb: >\n  folded\n  text\n\n  para\nc: |-\n  x\nd: |+\n  y\n\ne: >-\n  long\n  folded\n"),
    ("plain-multiline", "a: this is\n  a plain\n  multi-line\n"),
    ("crlf", "a: 1\r\nb: two\r\nc:\r\n  d: x\r\n"),
    ("bom", "\ufeffa: 1\n"),
    ("tabs-in-values", "a: \"x\ty\"\nb: x\ty\n"),
    ("multi-doc", "a: 1\nb: {c: 1}\n---\nb: {d: 2}\ne: 3\n"),
    ("multi-doc-empty", "---\na: 1\n---\n---\n# c\n---\nb: 2\n"),
    ("doc-end-marker", "a: 1\n...\n"),
    ("flow", "a: {b: [1, 2, {c: d}], e: f}\n"),
    ("unicode-keys", "é: 1\n日本: 2\nz: 3\nA: 4\n"),
    ("bom-key", "\"\\ufeffk\": 1\nlong: \"\\ufeff" + "word " * 25 + "\"\n"),
    ("deep", "a: " + "[" * 50 + "]" * 50 + "\n"),
    ("nulls", "a: null\nb: ~\nc:\nd: [~, null, ]\n"),
    ("seq-null-items", "l:\n-\n- ~\n- a\n"),
    ("big-ints", "a: 123456789012345678\nb: -123456789012345678\n"),
    ("long-key-value", "k: " + " ".join(["lorem"] * 40) + "\n"),
    ("nested-lists", "a:\n- - - x\n    - y\n  - z\n"),
    ("map-in-list-in-map", "a:\n- b:\n  - c: d\n    e: f\n"),
    ("anchor-scalar", "a: &x hello\nb: *x\nc: [*x, *x]\n"),
    # errors
    ("err-list-doc", "- a\n- b\n"),
    ("err-string-doc", "hello\n"),
    ("err-number-doc", "5\n"),
    ("err-bool-doc", "true\n"),
    ("err-nan", "a: .nan\n"),
    ("err-inf", "a: [.inf]\n"),
    ("err-mapping-values", "a: b: c\n"),
    ("err-mapping-values-l3", "a: 1\nb: 2\nc: d: e\n"),
    ("err-bad-indent", "a:\n  b: 1\n c: 2\n"),
    ("err-unclosed-flow", "a: [1, 2\n"),
    ("err-unclosed-quote", "a: \"abc\nb: 1\n"),
    ("err-tab-indent", "a:\n\tb: 1\n"),
    ("err-unknown-anchor", "a: *nope\n"),
    ("err-null-key", "~: a\n"),
    ("err-uint-key", "18446744073709551615: a\n"),
    ("err-bad-int-tag", "a: !!int abc\n"),
    ("err-bad-binary", "a: !!binary '!!'\n"),
    ("err-merge-scalar", "a:\n  <<: 1\n"),
    ("err-separator", "a: 1\n--- x\nb: 2\n"),
    ("err-second-doc", "a: 1\n---\nb: [\n"),
    ("err-list-key", "? [a]\n: b\n"),
    ("err-dup-anchor-self", "a: &x [*x]\n"),
    ("err-did-not-find-key", "a:\n  b: 1\n  - c\n"),
    ("err-block-seq-entries", "a: 1\n- b\n"),
    ("err-control-char", "a: \"x\u0001\"\n"),
]
ODD = [  # odd syntax: tabs, directives, escapes, indentation, merges, CR line ends
 "a:\tb\n", "a: \tb\n", "a:\n\t- b\n", "a: b\t\n", "a: 'x\ty'\n", "a: |\n\tx\n", "a: |\n  x\n\ty\n",
 "a: b # c\nd: e#f\n", "%YAML 1.1\n---\na: 1\n", "%TAG !e! tag:example.com,2000:\n---\na: !e!foo 1\n",
 "&x a: 1\n*x : 2\n", "a: &x\n  b: 1\nc: *x\n", "? a\n: 1\n? [b]\n: 2\n", "? |\n  multi\n  key\n: v\n",
 "a: {b: 1, b: 2}\n", "a: [1, 2,]\n", "a: {b: }\n", "a: [b: c]\n", "a: [? b : c]\n", "a: - b\n",
 "a:\n- b\n-c\n", "a:\n  - b\n - c\n", " a: 1\n b: 2\n", "a: 1\n b: 2\n", "a:\n    b: 1\n   c: 2\n",
 "a: \"unterminated\n", "a: 'x''y'\n", "a: \"\\q\"\n", "a: \"\\x4\"\n", "a: \"\\u00\"\n", "a: \"\\U0001F600\"\n",
 "a: \"\\e\\0\\a\\b\\v\\f\\/\\_\\ \"\n", "a: 1\nb: \"x\\/y\"\n", "a: \"\\\\/x\"\n",
 "a: >-\n  x\n\n  y\n   z\n", "a: |2-\n    x\n", "a: |1\n  x\n", "a: |9\n x\n",
 "a: >\n\n  x\n", "- a\n- b: c\n  d: e\n- - f\n", "a: !!set {x, y}\n", "a: !!omap [x: 1]\n", "a: !<tag:yaml.org,2002:int> 5\n",
 "a: !!timestamp 2001-12-14\n", "a: !!timestamp x\n", "a: !!null x\n", "a: !!bool maybe\n", "a: !!str\n", "a: !!int\n",
 "a: !!float .inf\n", "a: !!float 1e400\n", "a: !!int 0x\n", "a: ... \n", "a: 1\n...\nb: 2\n", "a: --- x\n", "---a: 1\n",
 "a: [\n  1,\n  2\n]\n", "a: {\n  b: 1\n}\n", "a: b: c: d\n", "'a': 1\n\"b\": 2\n", "a: 1 # \n# end", "\n\n\na: 1\n\n\n",
 "a: x\n  y\n  z\n", "a: x\n\n  y\n", "a: -1\nb: - 1\n", "a: 0.\nb: -.0\nc: +.5e-3\n", "key with spaces: 1\n",
 "a: 'multi\n  line'\n", "a: \"multi\n  line\\\n  cont\"\n", "a: [a, b]: c\n", "<<: {a: 1}\nb: 2\n", "<<: [{a: 1}, {a: 2, b: 3}]\n",
 "a: &a [1]\n<<: *a\n", "a: 1\n<<: {a: 2}\n", "'<<': {a: 1}\n", "!!merge <<: {a: 1}\n", "a: *\n", "a: &\n", "a: &x\nb: *x\n",
 "a: 1\r\nb: |\r\n  x\r\n  y\r\n", "a: 1\rb: 2\r", "\ufeff---\na: 1\n", "a: \x01\n", "a: \"\u2028\"\n",
]
for i, text in enumerate(ODD):
    RAW.append(("odd-%03d" % i, text))

for name, text in RAW:
    CASES.append((name, text.encode()))


# ---- random cases (fixed seeds) ----
import random
ALPHA0 = list("ab xyz09 -:#?,[]{}&*!|>'\"%@`\\\t\n.~+_=/") + ["é", "日", "😀", "\u00a0", "\r", "  ", "\n\n", "on", "yes", "null", "1e3", "0x", "1.5", ": ", " #", "- "]
def rs():
    k = random.choice([1, 2, 3, 5, 8, 20, 40, 90])
    s = "".join(random.choice(alpha) for _ in range(k))
    if random.random() < 0.3:
        words = ["w" * random.randint(1, 12) for _ in range(random.randint(5, 30))]
        s = random.choice([" ", "  ", "\n", " \n"]).join(words) + s
    return s
def rv(d=0):
    r = random.random()
    if d < 3 and r < 0.15:
        return {rs()[:10] or "k": rv(d + 1) for _ in range(random.randint(0, 3))}
    if d < 3 and r < 0.25:
        return [rv(d + 1) for _ in range(random.randint(0, 3))]
    if r < 0.35:
        return random.choice([0, 1, -1, 1.5, 1e6, 1e21, 1e-7, 123456789, 0.1, 2**53 + 1, 2**63, -2**63, 1e300, 3.25e-300])
    return rs()
def q(s):
    o = '"'
    for c in s:
        if c == '"': o += '\\"'
        elif c == '\\': o += '\\\\'
        elif c == '\n': o += '\\n'
        elif c == '\t': o += '\\t'
        elif c == '\r': o += '\\r'
        elif c == '\u2028': o += '\\L'
        elif c == '\u2029': o += '\\P'
        elif c == '\u0085': o += '\\N'
        elif ord(c) < 32 or ord(c) == 127: o += '\\x%02x' % ord(c)
        else: o += c
    return o + '"'
def y(v, ind):
    if isinstance(v, dict):
        if not v: return "{}"
        return "".join("\n" + " " * ind + q(k) + ": " + y(x, ind + 2) for k, x in v.items())
    if isinstance(v, list):
        if not v: return "[]"
        return "".join("\n" + " " * ind + "- " + y(x, ind + 2) for x in v)
    if isinstance(v, str): return q(v)
    if isinstance(v, bool): return "true" if v else "false"
    return repr(v) if isinstance(v, float) else str(v)
def rand_values(seed, count):
    global alpha
    random.seed(seed)
    alpha = ALPHA0 + (["\u2028", "\u0085"] if seed % 3 == 0 else [])
    vals = {"k%04d" % i: rv() for i in range(count)}
    return "".join(q(k) + ": " + y(v, 2) + "\n" for k, v in vals.items())

plain = ["a", "abc def", "on", "Off", "yes", "y", "N", "true", "FALSE", "null", "~", "Null", "1", "-1", "+1", "0x1F", "0o17", "017", "08", "0b101",
  "-0b101", "1_000", "1__0", "_1", "1_", "1.5", "1.", ".5", "-.5", "1e3", "1E+3", "1e-3", "1e400", "-1e400",
  "1:20", "1:20:30", "2001-12-14", "2001-12-14 21:59:43.10", "2001-12-14T21:59:43Z", "2001-1-2", "12:30:00", "<<", "=", "a:b", "a#b", "-a", "?a",
  "123456789012345678901", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
  "18446744073709551615", "18446744073709551616", "0.1", "1.0", "100", "1000000", "1.5e6", "6.02e23", "0", "-0", "00", "0.0", "+0.5",
  "0x", "0xG", "0o8", "1e", "e3", "1.2.3", "1,000", "\u00e9t\u00e9", "\u65e5\u672c", "0x_1F", "1e_3", "._5", ".5_5", "0b1_1", "+.5", "+-1",
  "TRUE", "tRue", "nULL", "Yes", "YES", "yEs", "O", "o", "t", "f", "'q'", '"dq"', "'it''s'", '"a\\tb"', '"\\u00e9"', "[1, 2]", "{a: 1}", "[]", "{}",
  "!!str 12", "!!int '12'", "!!float 1", "!!bool yes", "!!null ''", "!!binary aGk=", "!custom x", "! 12", "!!timestamp 2001-12-14",
  "|\n  lit\n  text", ">\n  fold\n  text", "|-\n  x", "|+\n  x\n", ">2\n   indented"]
keys = ["a", "b", "c", "key", "1", "2", "10", "1.5", "true", "yes", "n", "on", "0x10", "1e3", "x_y", "x-y", "A", "Z", "\u00e9", "'q k'", '"d k"', "a b", "<<"]
anchors = []
def scalar():
    s = random.choice(plain)
    return s
def node(ind, d):
    r = random.random()
    if anchors and r < 0.06:
        return " *" + random.choice(anchors)
    pre = ""
    if r < 0.12:
        a = "an%d" % len(anchors); pre = " &" + a
    if d < 4 and r < 0.35:
        n = random.randint(0, 4)
        if n == 0: v = pre + " {}"
        else:
            used = set(); out = pre
            for _ in range(n):
                k = random.choice(keys)
                if k == "<<":
                    if not anchors or random.random() < 0.7: continue
                    out += "\n" + " " * ind + "<<: *" + random.choice(anchors); continue
                out += "\n" + " " * ind + k + ":" + node(ind + 2, d + 1)
            v = out
    elif d < 4 and r < 0.5:
        n = random.randint(0, 3)
        if n == 0: v = pre + " []"
        else:
            v = pre + "".join("\n" + " " * ind + "-" + node(ind + 2, d + 1) for _ in range(n))
    else:
        s = scalar()
        if s.startswith("|") or s.startswith(">"):
            s = s.replace("\n", "\n" + " " * ind)
        v = pre + " " + s
    if pre: anchors.append(pre.strip()[1:])
    return v
def rand_yaml(seed, count):
    random.seed(seed)
    anchors.clear()
    doc = ""
    for i in range(count):
        doc += "k%03d:" % i + node(2, 0) + "\n"
        if random.random() < 0.1: doc += "# comment\n"
    return doc

for seed in range(100, 125):
    CASES.append(("rand-str-%d" % seed, rand_values(seed, 60).encode()))
for seed in range(200, 240):
    CASES.append(("rand-yaml-%d" % seed, rand_yaml(seed, 10).encode()))

d = tempfile.mkdtemp()
os.makedirs(d + "/t/templates")
open(d + "/t/Chart.yaml", "w").write("apiVersion: v2\nname: t\nversion: 0.1.0\n")
open(d + "/t/templates/t.yaml", "w").write("out: {{ toYaml .Values | b64enc }}\npretty: {{ toYamlPretty .Values | b64enc }}\n")

print("# Generated by tests/unit/gen_yaml_cases.py from helm v4.1.4's own output.")
print("# @@@ case NAME [b64]: a values file (b64: base64 on one line)")
print("# @@@ expect: helm's {{ toYaml .Values }} plus the newline toYaml trims")
print("# @@@ emit-error: the file reads, but toYaml fails (helm prints nothing)")
print("# @@@ pretty: helm's {{ toYamlPretty .Values }} plus the newline it trims")
print("# @@@ error: the error helm gives (after its 'failed to parse FILE: ')")
for name, data in CASES:
    vf = d + "/v.yaml"
    open(vf, "wb").write(data)
    p = subprocess.run([HELM, "template", "x", d + "/t", "-f", vf], capture_output=True)
    raw = b"\r" in data or not data.endswith(b"\n") and data != b"" or any(
        l.startswith(b"@@@") for l in data.split(b"\n")) or b"\x00" in data or b"\ufeff".decode("unicode_escape").encode() in data
    try:
        data.decode()
    except UnicodeDecodeError:
        raw = True
    if data.startswith(b"\xef\xbb\xbf"):
        raw = True
    if raw:
        sys.stdout.write("@@@ case %s b64\n%s\n" % (name, base64.b64encode(data).decode()))
    else:
        sys.stdout.write("@@@ case %s\n" % name)
        sys.stdout.write(data.decode())
    if p.returncode != 0:
        err = p.stderr.decode().strip().split("\n")[0]
        pre = "Error: failed to parse %s: " % vf
        assert err.startswith(pre), err
        sys.stdout.write("@@@ error\n%s\n" % err[len(pre):])
    else:
        out = p.stdout.decode()
        line = [l for l in out.split("\n") if l.startswith("out:")][0][4:].strip()
        if not line:  # toYaml failed (Helm swallows the error)
            sys.stdout.write("@@@ emit-error\n")
        else:
            y = base64.b64decode(line).decode() + "\n"
            assert not any(l.startswith("@@@") for l in y.split("\n"))
            sys.stdout.write("@@@ expect\n%s" % y)
        line = [l for l in out.split("\n") if l.startswith("pretty:")][0][7:].strip()
        y = base64.b64decode(line).decode() + "\n"
        assert not any(l.startswith("@@@") for l in y.split("\n"))
        sys.stdout.write("@@@ pretty\n%s" % y)
    sys.stdout.write("@@@ end\n")
