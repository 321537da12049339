"""conv suite (issue 3): how arguments of every kind reach functions — Go's
conversion of template values to typed parameters (string, int, []interface{},
map...) and Sprig's own conversions (toInt64, toFloat64, strval).  A matrix
of function × argument kind, one helm run per cell, so each cell has its own
verdict (many are errors: the message must match)."""
from gsrc import Suite, block

SUITE = s = Suite("conv")
V = "i: 7\nf: 2.5\ns: '12'\nw: word\nb: true\nz: null\nl: [3, 1]\nm: {k: v}\ne: ''\n"
SV = ["--set", "si=7,sb=false"]
KINDS = [("nil", "nil"), ("missing", ".Values.missing"), ("null", ".Values.z"), ("int", "1"),
         ("fileint", ".Values.i"), ("setint", ".Values.si"), ("float", ".Values.f"), ("numstr", ".Values.s"),
         ("str", ".Values.w"), ("bool", ".Values.b"), ("list", ".Values.l"), ("map", ".Values.m"),
         ("empty", ".Values.e")]

STR1 = ["upper", "lower", "title", "trim", "nospace", "initials", "snakecase", "b64enc", "sha256sum",
        "base", "ext", "regexQuoteMeta", "quote", "toString", "squote", "kebabcase"]
for f in STR1:
    for kn, kv in KINDS:
        s.add("%s-%s" % (f, kn), "r: |2-\n  {{ %s %s }}\n" % (f, kv), values=V, args=SV, expect="any")

NUM = ["add1", "int", "int64", "float64", "floor", "toDecimal", "atoi", "until"]
for f in NUM:
    for kn, kv in KINDS:
        s.add("%s-%s" % (f, kn), "r: |2-\n  {{ %s %s }}\n" % (f, kv), values=V, args=SV, expect="any")

NUM2 = ["add", "sub", "mul", "div", "max", "addf", "maxf", "mod"]
for f in NUM2:
    for kn, kv in KINDS:
        s.add("%s-%s" % (f, kn), "r: |2-\n  {{ %s 3 %s }}\n" % (f, kv), values=V, args=SV, expect="any")

LIST1 = ["first", "last", "rest", "initial", "reverse", "uniq", "compact", "sortAlpha", "len", "empty",
         "keys", "toJson", "toYaml", "typeOf", "kindOf", "deepCopy", "toStrings", "join \",\""]
for f in LIST1:
    for kn, kv in KINDS:
        e = "%s %s" % (f, kv)
        s.add("%s-%s" % (f.split()[0], kn), block(["~" + e if f == "toYaml" else e]), values=V, args=SV,
              expect="any")
