"""reflect suite (issue 3): typeOf, typeIs, typeIsLike, kindOf, kindIs,
deepEqual, over values from files, --set and literals."""
from gsrc import Suite

SUITE = s = Suite("reflect")
V = "i: 1\nf: 1.5\ns: x\nb: true\nl: [1]\nm: {a: 1}\nz: null\ne: ''\n"
SV = ["--set", "si=1,sb=true,ss=x,sl={a},sz=null"]
KEYS = ["i", "f", "s", "b", "l", "m", "z", "e", "missing", "si", "sb", "ss", "sl", "sz"]

s.exprs("typeOf", ['typeOf .Values.%s' % k for k in KEYS], values=V, args=SV)
s.exprs("kindOf", ['kindOf .Values.%s' % k for k in KEYS], values=V, args=SV)
s.exprs("typeOf-literals", ['typeOf 1', 'typeOf 1.0', 'typeOf "s"', 'typeOf true', 'typeOf nil',
                            'typeOf (list)', 'typeOf (dict)', 'typeOf (int 1)', 'typeOf (int64 1)',
                            'typeOf (float64 1)', 'typeOf (toStrings (list))', 'typeOf (semver "1.0.0")',
                            'typeOf (b64dec "YQ==")', 'typeOf (splitList "," "a")', 'typeOf (split "," "a")',
                            'typeOf (toDate "2006-01-02" "2024-01-01")'])
s.exprs("kindOf-literals", ['kindOf 1', 'kindOf 1.0', 'kindOf "s"', 'kindOf nil', 'kindOf (list)',
                            'kindOf (dict)', 'kindOf (int 1)', 'kindOf (semver "1.0.0")',
                            'kindOf (toStrings (list))', 'kindOf true'])
s.exprs("typeIs", ['typeIs "int64" 1', 'typeIs "int" 1', 'typeIs "float64" .Values.i',
                   'typeIs "string" "x"', 'typeIs "map[string]interface {}" .Values.m',
                   'typeIs "[]interface {}" .Values.l', 'typeIs "<nil>" nil', 'typeIs "int64" .Values.si'],
        values=V, args=SV)
s.exprs("typeIsLike", ['typeIsLike "int64" 1', 'typeIsLike "*int64" 1', 'typeIsLike "string" "x"',
                       'typeIsLike "*semver.Version" (semver "1.0.0")', 'typeIsLike "semver.Version" (semver "1.0.0")'])
s.exprs("kindIs", ['kindIs "int64" 1', 'kindIs "float64" .Values.i', 'kindIs "map" .Values.m',
                   'kindIs "slice" .Values.l', 'kindIs "string" .Values.s', 'kindIs "invalid" nil',
                   'kindIs "bool" .Values.sb', 'kindIs "ptr" (semver "1.0.0")'], values=V, args=SV)
s.exprs("deepEqual", ['deepEqual 1 1', 'deepEqual 1 1.0', 'deepEqual .Values.i 1', 'deepEqual .Values.si 1',
                      'deepEqual (list 1) (list 1)', 'deepEqual (dict "a" 1) (dict "a" 1)',
                      'deepEqual nil nil', 'deepEqual "a" "a"', 'deepEqual .Values.m (dict "a" 1.0)',
                      'deepEqual (list) (list)', 'deepEqual (list) nil'], values=V, args=SV)
s.err("typeIs-noargs", 'typeIs "int"')
s.err("kindIs-int-arg", 'kindIs 1 1')
