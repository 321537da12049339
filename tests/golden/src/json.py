"""json suite (issue 2): toJson / toPrettyJson / toRawJson / fromJson /
fromJsonArray / mustToJson over the input table of _inputs.py."""
from gsrc import Suite
from _inputs import inputs, ERR_INPUTS

SUITE = s = Suite("json")

X = [
    ".Values.x | toJson",
    ".Values.x | toRawJson",
    "~.Values.x | toPrettyJson",
    "~dict \"k\" .Values.x \"l\" (list .Values.x) | toPrettyJson",
    "dict \"k\" .Values.x | toJson | fromJson | toJson",
    "list .Values.x | toJson | fromJsonArray | toJson",
    ".Values.x | mustToJson",
    ".Values.x | mustToRawJson",
]
for name, values, args, ml in inputs():
    if name in ERR_INPUTS:
        continue
    s.exprs(name, X, values=values, args=args)

DOCS = [
    ("obj", '"{\\"b\\":1,\\"a\\":[true,null,\\"x\\"]}"'),
    ("nums", '"{\\"i\\":1,\\"f\\":1.5,\\"e\\":1e3,\\"big\\":12345678901234567890,\\"neg\\":-0}"'),
    ("escapes", '"{\\"s\\":\\"\\\\u003c\\\\n\\\\t\\\\u00e9\\\\ud83c\\\\udf89\\"}"'),
    ("array", '"[1,2,3]"'),
    ("scalar", '"1"'),
    ("string", '"\\"s\\""'),
    ("null", '"null"'),
    ("empty", '""'),
    ("bad", '"{bad"'),
    ("trailing", '"{\\"a\\":1} x"'),
    ("dup", '"{\\"a\\":1,\\"a\\":2}"'),
    ("deep", '"{\\"a\\":{\\"b\\":{\\"c\\":[[{}]]}}}"'),
    ("ws", '" \\n {\\"a\\" : 1 } \\n"'),
]
for n, d in DOCS:
    s.exprs("fromJson-" + n, [
        "fromJson %s | toJson" % d,
        '~printf "%%v" (fromJson %s)' % d,
    ])
    s.exprs("fromJsonArray-" + n, [
        "fromJsonArray %s | toJson" % d,
        '~printf "%%v" (fromJsonArray %s)' % d,
    ])
for n, d in DOCS:
    if n in ("bad", "trailing", "empty"):
        s.err("mustFromJson-" + n, "mustFromJson %s | toJson" % d)
    else:
        s.exprs("mustFromJson-" + n, "mustFromJson %s | toJson" % d)
s.exprs("toJson-literals", [
    "toJson 1", "toJson 1.5", "toJson \"<a&b>\"", "toRawJson \"<a&b>\"", "toJson true",
    "toJson nil", "toJson (list)", "toJson (dict)",
])
s.exprs("toJson-floats", ["toJson (list 1e20 1e21 1e-6 1e-7 0.1 100.0 3.14159 -0.0)"])
s.exprs("toJson-ints", ["toJson (list 0 -1 9223372036854775807 (int64 -9223372036854775807))"])
s.exprs("toJson-invalid-utf8", ['toJson (b64dec "/w==")', 'toRawJson (b64dec "YcO/gA==")'])
s.exprs("toJson-controls", ['toJson (printf "%c%c%c%c" 1 8 12 31)', 'toJson (printf "%c%c" 0x2028 0x2029)'])
s.exprs("toPrettyJson-literals", ["~toPrettyJson (dict \"a\" (list 1 (dict)) \"b\" (list))", "~toPrettyJson \"<>\""])
