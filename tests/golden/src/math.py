"""math suite (issue 3): Sprig's integer and float math, conversions."""
from gsrc import Suite

SUITE = s = Suite("math")
V = "i: 7\nf: 2.5\ns: '12'\nbig: 1e30\nz: null\nl: [1]\nneg: -3.7\n"
SV = ["--set", "si=7,sbig=9223372036854775807,sf=2.5"]

s.fn("add", ['add 1 2', 'add 1 2 3 4', 'add', 'add 1.9 1.9', 'add "3" 4', 'add .Values.i .Values.f'],
     ['add nil 1', 'add "x" 1', 'add 9223372036854775807 1', 'add .Values.big 1', 'add true 1'],
     [], values=V)
s.fn("add1", ['add1 1', 'add1 -1', 'add1 1.5', 'add1 "9"'], ['add1 nil', 'add1 .Values.si'], args=SV)
s.fn("sub", ['sub 5 3', 'sub 3 5', 'sub 2.9 1', 'sub "10" "4"'], ['sub .Values.sbig -1'], args=SV)
s.fn("mul", ['mul 2 3', 'mul 2 3 4', 'mul 1.5 2', 'mul', 'mul "2" "3"'], ['mul 4294967296 4294967296'])
s.fn("div", ['div 7 2', 'div -7 2', 'div 7.9 2', 'div "9" 3'], [], ['div 1 0', 'div 1 nil'])
s.fn("mod", ['mod 7 3', 'mod -7 3', 'mod 7 -3'], [], ['mod 1 0'])
s.fn("max", ['max 1 5 3', 'max 1', 'max -1 -5', 'max 1.9 1', 'max "4" 3'])
s.fn("min", ['min 1 5 3', 'min 4', 'min 2.2 3', 'min "-4" 3'])
s.fn("biggest", ['biggest 1 9 3'])
s.fn("addf", ['addf 1 2', 'addf 1.1 2.2', 'addf 1 2 3', 'addf "1.5" 1', 'addf'], ['addf nil 1', 'addf .Values.big 1'],
     values=V)
s.fn("add1f", ['add1f 1.5', 'add1f 1', 'add1f "x"'])
s.fn("subf", ['subf 5.5 1.25', 'subf 1 2 3', 'subf 0.3 0.1'])
s.fn("mulf", ['mulf 1.5 2', 'mulf 0.1 3', 'mulf 2 3 4'])
s.fn("divf", ['divf 1 3', 'divf 10 4', 'divf 1 0', 'divf -1 0', 'divf 0 0', 'divf 2 2 2'])
s.fn("maxf", ['maxf 1 2.5 2', 'maxf -1', 'maxf "3.5" 1'])
s.fn("minf", ['minf 1 2.5 0.5', 'minf 7'])
s.fn("floor", ['floor 1.7', 'floor -1.2', 'floor 3', 'floor "2.9"', 'floor .Values.big'], values=V)
s.fn("ceil", ['ceil 1.2', 'ceil -1.7', 'ceil 3', 'ceil "0.1"'])
s.fn("round", ['round 1.2345 2', 'round 1.5 0', 'round 2.5 0', 'round -1.5 0', 'round 1234.5678 -2',
               'round 1.005 2 0.6', 'round "3.14159" 3'])
s.fn("int", ['int 3.9', 'int -3.9', 'int "42"', 'int "4.7"', 'int true', 'int nil', 'int "x"', 'int "0x1F"'],
     ['int .Values.big', 'int "1e3"', 'int .Values.neg', 'int "077"'], values=V)
s.fn("int64", ['int64 3.9', 'int64 "12"', 'int64 nil', 'printf "%T" (int64 1)', 'int64 "9223372036854775807"'])
s.fn("float64", ['float64 3', 'float64 "1.5"', 'float64 nil', 'float64 "x"', 'printf "%T" (float64 1)',
                 'float64 "1e400"'])
s.fn("atoi", ['atoi "42"', 'atoi "-1"', 'atoi "x"', 'atoi ""', 'atoi " 1"', 'atoi "1.5"'], [], ['atoi 1'])
s.fn("toDecimal", ['toDecimal "0777"', 'toDecimal "777"', 'toDecimal "8"', 'toDecimal 10'])
s.fn("types-from-values", ['printf "%T %T %T" .Values.i .Values.f .Values.s',
                           'printf "%T %T %T" .Values.si .Values.sbig .Values.sf'], values=V, args=SV)
s.fn("arith-types", ['printf "%T" (add 1 2)', 'printf "%T" (addf 1 2)', 'printf "%T" (div 1 2)',
                     'printf "%T" (floor 1)', 'printf "%T" (round 1 1)', 'printf "%T" (max 1 2)',
                     'printf "%T" (maxf 1 2)', 'printf "%T" (len "x")'])
s.fn("big-ints", ['add 9223372036854775807 0', 'mul 3037000500 3037000500', 'sub -9223372036854775807 1',
                  'int64 1e19', 'int 1e300', 'float64 9223372036854775807'])
s.fn("randInt", ['$r := randInt 1 2 }}{{ $r', 'randInt 5 6'], [], ['randInt 2 1'])
