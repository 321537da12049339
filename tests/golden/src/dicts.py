"""dicts suite (issue 3): Sprig's dict functions."""
from gsrc import Suite

SUITE = s = Suite("dicts")
V = ("m: {a: 1, b: {c: 2, d: [x]}, e: null}\nn: {b: {c: 9, f: 3}, g: 4}\nl: [{a: 1}, {a: 2}, {b: 3}]\n"
     "z: null\ns: str\n")

s.fn("dict", ['dict "a" 1 "b" "x"', 'dict', 'dict "a"', 'dict "b" 1 "a" 2 "b" 3', 'dict 1 2 true 3',
              'dict "a" nil', 'printf "%T" (dict)'], values=V)
s.fn("get", ['get .Values.m "a"', 'get .Values.m "missing"', 'get (dict) ""'], [],
     ['get .Values.l "a"'], values=V)
s.fn("set", ['set (dict "a" 1) "b" 2', 'set (dict "a" 1) "a" nil', '$d := dict | set "x" 1 | toJson'], [],
     ['set .Values.l "a" 1'], values=V)
s.fn("unset", ['unset (dict "a" 1 "b" 2) "a"', 'unset (dict) "x"'], [], ['unset "x" "y"'], values=V)
s.fn("hasKey", ['hasKey .Values.m "a"', 'hasKey .Values.m "x"', 'hasKey .Values.m "e"'], [],
     ['hasKey .Values.l "a"'], values=V)
s.fn("keys", ['keys .Values.m | sortAlpha', 'keys .Values.m .Values.n | sortAlpha', 'keys (dict)',
              'keys'], [], ['keys .Values.l'], values=V)
s.fn("values", ['values (dict "a" 1) | toJson', 'values (dict) | toJson'], [], ['values .Values.l'],
     values=V)
s.fn("pluck", ['pluck "a" (dict "a" 1) (dict "a" 2) (dict "b" 3)', 'pluck "x" (dict)', 'pluck "a"'],
     values=V)
s.fn("pick", ['pick .Values.m "a" "e" "zz"', 'pick .Values.m'], [], ['pick .Values.l "a"'], values=V)
s.fn("omit", ['omit .Values.m "a"', 'omit .Values.m'], [], ['omit "x" "a"'], values=V)
s.fn("merge", ['~merge (dict "a" 1 "b" (dict "c" 2)) (dict "a" 9 "b" (dict "d" 3) "e" 4) | toYaml',
               '~merge (deepCopy .Values.m) .Values.n | toYaml', '~merge (dict) | toYaml'], [],
     ['merge "x" (dict)'], values=V)
s.fn("mergeOverwrite", ['~mergeOverwrite (dict "a" 1 "b" (dict "c" 2)) (dict "a" 9 "b" (dict "d" 3)) | toYaml',
                        '~mergeOverwrite (deepCopy .Values.m) .Values.n | toYaml',
                        '~mergeOverwrite (dict "a" 1) (dict "a" nil) | toYaml'], values=V)
s.fn("mustMerge", ['mustMerge (dict "a" 1) (dict "b" 2) | toJson'], [], ['mustMerge 1 2'], values=V)
s.fn("mustMergeOverwrite", ['mustMergeOverwrite (dict "a" 1) (dict "a" 2) | toJson'], [],
     ['mustMergeOverwrite (list) (dict)'], values=V)
s.fn("dig", ['dig "b" "c" "def" .Values.m', 'dig "b" "x" "def" .Values.m', 'dig "a" "def" .Values.m',
             'dig "e" "def" .Values.m', 'dig "def" .Values.m'], [],
     ['dig "a" "b" "def" .Values.m', 'dig "a" "def" "nomap"'], values=V)
s.fn("deepCopy", ['deepCopy .Values.m | toJson', 'deepCopy nil | toJson', 'deepCopy 1', 'deepCopy .Values.l | toJson'],
     values=V)
s.fn("mustDeepCopy", ['mustDeepCopy .Values.m | toJson'], [], ['mustDeepCopy nil'], values=V)
s.fn("index-map", ['index .Values.m "a"', 'index .Values.m "b" "c"', 'index .Values.m "x"',
                   'index .Values.m "b" "d" 0', 'index .Values.m', 'index nil'],
     [], ['index .Values.m 1', 'index .Values.m "a" "b"'], values=V)
s.fn("len-map", ['len .Values.m', 'len (dict)'], values=V)
s.fn("print-map", ['.Values.m', 'printf "%v|%+v" .Values.n .Values.n', 'print .Values.l'], values=V)
s.fn("dict-mutation-shared", ['$_ := set .Values.m "new" 1 | toJson', '.Values.m | toJson'], values=V)
