"""fmt suite (issue 2): printing values and Go's fmt verbs as `printf` uses
them, over the input table of _inputs.py, plus verbs × literal arguments."""
from gsrc import Suite
from _inputs import inputs, ERR_INPUTS

SUITE = s = Suite("fmt")

X = [
    ".Values.x",
    'printf "%v|%q|%T" .Values.x .Values.x .Values.x',
    'printf "%+v|%s|%d" .Values.x .Values.x .Values.x',
    'printf "%#v" .Values.x',
    'printf "%x|%X|%o|%b" .Values.x .Values.x .Values.x .Values.x',
    'printf "%f|%.2f|%e|%g|%G|%E" .Values.x .Values.x .Values.x .Values.x .Values.x .Values.x',
    'printf "[%8v|%-8v|%08.3f|%t|%U]" .Values.x .Values.x .Values.x .Values.x .Values.x',
    'print .Values.x 1 "s" | quote',
]
for name, values, args, ml in inputs():
    if name in ERR_INPUTS or name in ("file-str-ls", "file-ml-crlf"):
        continue  # (U+2028 and CR end YAML lines: fine in yaml/json, not here)
    # printf results are strings and go through `indent`; a raw multi-line
    # value is printed through toString (same text as printing it, for non-nil)
    ex = ["~toString .Values.x"] + ["~" + e for e in X[1:]] if ml else X
    s.exprs(name, ex, values=values, args=args)

# Verbs, flags, widths and precisions over literal arguments.
ARGS = ['0', '-1', '255', '1.0', '3.14159', '-2.5e-8', '1e21', '123456789.0',
        '"go"', '"héllo"', 'true', 'nil', '(list 1 "a")', '(dict "k" 1)', '65']
VERBS = ["%v", "%d", "%5d", "%-5d|", "%+d", "%05d", "%x", "%#x", "%X", "%o", "%#o", "%O", "%b",
         "%q", "%#q", "%U", "%#U", "%e", "%.3e", "%E", "%f", "%.0f", "%8.3f", "%-8.2f|",
         "%+.1f", "%F", "%g", "%.3g", "%G", "%#g", "%s", "%10s|", "%-10s|", "%.2s", "%t",
         "%T", "%p", "% d", "% x", "%x ", "%6.2v", "%*d", "%[1]v", "%!", "%z", "%d %d"]
for a in ARGS:
    # %p of a list or map prints an address: not deterministic
    ex = ['printf "%s" %s' % (v, a) for v in VERBS if not (v == "%p" and a.startswith("("))]
    s.each("verbs-" + a.strip('()"').replace(" ", "_"), ex)
s.exprs("verb-c", ['printf "%c|%c|%c|%c" 65 0x1F600 256 0x10FFFF', 'printf "%c" "s"', 'printf "%c" 1.5',
                   'printf "%5c|%-3c|" 120 121', 'printf "%U %#U" 0x1F600 65'])
s.exprs("printf-misc", [
    'printf "%%"', 'printf "no verbs"', 'printf "%d"', 'printf "%d %s" 1', 'printf "x" 1 2',
    'printf "%[2]d %[1]d" 1 2', 'printf "%[3]d" 1', 'printf "%-*d|" 4 7',
])
s.exprs("print-spacing", [
    'print 1 2', 'print "a" "b"', 'print 1 "a" 2', 'print nil', 'print', 'print (list) (dict)',
    'println 1 "a" | quote', 'print 1.0 2.5 1e6',
])
s.exprs("sprint-floats", [
    'print 1e20 1e21 1e-4 1e-5 0.1', 'print 100000.0 1000000.0 123456789.0',
    'print 3.0 -0.0 2.5e-300', 'printf "%v %v" 1.7976931348623157e308 5e-324',
])
