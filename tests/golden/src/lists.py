"""lists suite (issue 3): Sprig's list functions."""
from gsrc import Suite

SUITE = s = Suite("lists")
V = "l: [a, b, c]\nn: [3, 1, 2]\nm: {a: 1}\ne: []\nz: null\ns: str\nd: [1, 1, 2, a, a]\n"

s.fn("list", ['list 1 "a" nil', 'list', 'list (list 1) (dict)', 'printf "%T" (list)'], values=V)
s.fn("tuple", ['tuple 1 2', 'tuple'])
s.fn("first", ['first .Values.l', 'first .Values.e', 'first (list nil)'], [],
     ['first "abc"', 'first 1', 'first .Values.z'], values=V)
s.fn("mustFirst", ['mustFirst .Values.l'], [], ['mustFirst "abc"'], values=V)
s.fn("last", ['last .Values.l', 'last .Values.e'], [], ['last 1', 'last .Values.z'], values=V)
s.fn("mustLast", ['mustLast .Values.l'], [], ['mustLast 1'], values=V)
s.fn("rest", ['rest .Values.l', 'rest .Values.e', 'rest (list 1)'], [], ['rest "x"'], values=V)
s.fn("mustRest", ['mustRest .Values.l'], [], ['mustRest 2'], values=V)
s.fn("initial", ['initial .Values.l', 'initial .Values.e'], [], ['initial 2'], values=V)
s.fn("mustInitial", ['mustInitial .Values.l'], [], ['mustInitial 2'], values=V)
s.fn("append", ['append .Values.l "d"', 'append .Values.e 1', 'append (list) nil'], [],
     ['append "x" 1', 'append .Values.m 1', 'append .Values.z 1'], values=V)
s.fn("mustAppend", ['mustAppend .Values.l "d"'], [], ['mustAppend 1 1'], values=V)
s.fn("prepend", ['prepend .Values.l "z"', 'prepend .Values.e 1'], [], ['prepend "x" 1'], values=V)
s.fn("mustPrepend", ['mustPrepend .Values.l 0'], [], ['mustPrepend 1 1'], values=V)
s.fn("concat", ['concat .Values.l .Values.n', 'concat (list) (list)', 'concat .Values.l', 'concat'],
     [], ['concat .Values.l "x"', 'concat .Values.l .Values.z'], values=V)
s.fn("reverse", ['reverse .Values.l', 'reverse .Values.e'], [], ['reverse "abc"'], values=V)
s.fn("mustReverse", [], [], ['mustReverse .Values.n', 'mustReverse 3'], values=V)
s.fn("uniq", ['uniq .Values.d', 'uniq .Values.e', 'uniq (list (list 1) (list 1) (dict) (dict))'], [],
     ['uniq "x"'], values=V)
s.fn("mustUniq", ['mustUniq .Values.d'], [], ['mustUniq 1'], values=V)
s.fn("without", ['without .Values.l "b"', 'without .Values.d 1 "a"', 'without .Values.e 1'], [],
     ['without "abc" "a"'], values=V)
s.fn("mustWithout", ['mustWithout .Values.l "a"'], [], ['mustWithout 1 1'], values=V)
s.fn("has", ['has "a" .Values.l', 'has "z" .Values.l', 'has 1 .Values.n', 'has 1.0 (list 1)'],
     ['has 1 .Values.z', 'has nil (list nil)'], ['has 1 "abc"'], values=V)
s.fn("mustHas", ['mustHas "a" .Values.l'], [], ['mustHas 1 3'], values=V)
s.fn("compact", ['compact (list 1 0 "" nil "a" false (list) (dict))', 'compact .Values.e'], [],
     ['compact "x"'], values=V)
s.fn("mustCompact", ['mustCompact (list "" "a")'], [], ['mustCompact 1'], values=V)
s.fn("slice", ['slice .Values.l 1', 'slice .Values.l 1 2', 'slice .Values.l', 'slice .Values.l 0 0'],
     ['slice .Values.l 3'], ['slice .Values.l 2 1', 'slice .Values.l 5'], values=V)
s.fn("mustSlice", ['mustSlice .Values.l 1'], [], ['mustSlice .Values.l 9', 'mustSlice 1 0'], values=V)
s.fn("chunk", ['chunk 2 .Values.l', 'chunk 5 .Values.l', 'chunk 1 .Values.e'], [],
     ['chunk 0 .Values.l', 'chunk 2 "x"'], values=V)
s.fn("mustChunk", [], [], ['mustChunk 2 .Values.n', 'mustChunk 2 1'], values=V)
s.fn("until", ['until 3', 'until 0', 'until -2'], [], ['until "x"', 'until "3"'])
s.fn("untilStep", ['untilStep 0 10 3', 'untilStep 10 0 -4', 'untilStep 0 3 0', 'untilStep 3 0 1'])
s.fn("seq", ['seq 3', 'seq 2 5', 'seq 5 2', 'seq 0 2 10', 'seq 10 -3 1', 'seq', 'seq -2', 'seq 1 0 3'])
s.fn("sortAlpha-list", ['sortAlpha .Values.l', 'sortAlpha .Values.n', 'sortAlpha (list "B" "a" "_" "1")'],
     values=V)
s.fn("index-list", ['index .Values.l 0', 'index .Values.l 2', 'index (list (list 1 2)) 0 1'], [],
     ['index .Values.l 3', 'index .Values.l -1', 'index .Values.l "a"'], values=V)
s.fn("len-list", ['len .Values.l', 'len .Values.e', 'len (list nil)'], [], ['len 3', 'len .Values.z'],
     values=V)
s.fn("range-list-print", ['~toYaml (list .Values.l .Values.n .Values.e)'], values=V)
