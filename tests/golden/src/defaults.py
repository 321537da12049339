"""defaults suite (issue 3): default, empty, coalesce, ternary, all, any,
required, fail (the last two are Helm's)."""
from gsrc import Suite

SUITE = s = Suite("defaults")
V = ("s: x\ne: ''\nz: null\nzero: 0\nf: false\nl: []\nm: {}\nfz: 0.0\nt: true\nn: 5\n"
     "ml: [a]\nmm: {a: 1}\n")
KINDS = ["s", "e", "z", "zero", "f", "l", "m", "fz", "t", "n", "ml", "mm", "missing"]

s.exprs("default", ['default "d" .Values.%s' % k for k in KINDS], values=V)
s.exprs("default-pipe", ['.Values.%s | default "d"' % k for k in KINDS], values=V)
s.exprs("default-literals", ['default 1 0', 'default "a" ""', 'default 1 nil', 'default (list 1) (list)',
                             'default "d"', 'default 0 false', 'default "d" 0.0'])
s.exprs("empty", ['empty .Values.%s' % k for k in KINDS], values=V)
s.exprs("empty-literals", ['empty 0', 'empty ""', 'empty nil', 'empty 1', 'empty " "', 'empty (dict)',
                           'empty (list 0)', 'empty false'])
s.exprs("coalesce", ['coalesce .Values.z .Values.e .Values.s', 'coalesce .Values.zero .Values.f',
                     'coalesce', 'coalesce nil nil', 'coalesce 0 "" "x" "y"', 'coalesce .Values.l .Values.ml'],
        values=V)
s.exprs("ternary", ['ternary "a" "b" true', 'ternary "a" "b" false', 'true | ternary 1 2',
                    'ternary (list 1) nil false'])
s.err("ternary-err-notbool", 'ternary "a" "b" "x"')
s.err("ternary-err-nil", 'ternary "a" "b" nil')
s.exprs("all", ['all 1 "a" true', 'all 1 "" true', 'all', 'all nil', 'all .Values.ml .Values.mm'], values=V)
s.exprs("any", ['any 0 "" nil', 'any 0 "a"', 'any', 'any .Values.l .Values.mm'], values=V)
s.exprs("required-ok", ['required "need s" .Values.s', 'required "need" 0', 'required "need" false',
                        'required "m" .Values.l'], values=V)
for k in ["z", "e", "missing"]:
    s.err("required-" + k, 'required "value %s is required" .Values.%s' % (k, k), values=V)
s.err("required-nested-missing", 'required "deep" .Values.a.b', values=V)
s.err("required-multiline", 'required "line1\\nline2" .Values.z', values=V)
s.err("required-empty-msg", 'required "" .Values.z', values=V)
s.err("fail-simple", 'fail "boom"')
s.err("fail-empty", 'fail ""')
s.err("fail-unicode", 'fail "ошибка ✗"')
s.err("fail-printf", 'fail (printf "bad value %d" 3)')
s.err("fail-in-if", 'if .Values.t }}{{ fail "t is set" }}{{ end', values=V)
s.err("fail-noarg", 'fail')
s.err("fail-int", 'fail 1')
s.exprs("fail-not-reached", ['if .Values.f }}{{ fail "no" }}{{ end', '"ok"'], values=V)
