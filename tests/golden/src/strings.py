"""strings suite (issue 3): Sprig's string functions."""
from gsrc import Suite

SUITE = s = Suite("strings")
V = "s: hello\nn: 3\nl: [a, b, c]\nm: {a: 1}\nz: null\ne: ''\nu: héllo wörld\n"

U = '"héllo wörld ✓"'
s.fn("upper", ['upper "abc"', 'upper ""', 'upper %s' % U, '"x" | upper'],
     ['upper .Values.s', 'upper .Values.missing', 'upper "ß"'],
     ['upper 12', 'upper', 'upper "a" "b"', 'upper .Values.l'], values=V)
s.fn("lower", ['lower "ABC"', 'lower "MiXeD"', 'lower "ÉCOLE"'], ['lower ""', 'lower .Values.z'],
     ['lower 1.5'], values=V)
s.fn("title", ['title "hello world"', 'title "HELLO wORLD"', 'title "a-b c_d"', 'title "élan vital"'],
     ['title ""', 'title "  x  y"'], ['title true'])
s.fn("untitle", ['untitle "Hello World"', 'untitle "HELLO"', 'untitle ""'])
s.fn("repeat", ['repeat 3 "ab"', 'repeat 0 "x"', 'repeat 1 ""'], ['repeat 2 "✓"', 'repeat "2" "x"'],
     ['repeat -1 "x"', 'repeat "a" "x"'])
s.fn("substr", ['substr 0 3 "hello"', 'substr 1 -1 "hello"', 'substr 2 99 "hello"', 'substr -1 2 "hello"'],
     [ 'substr 0 2 "héllo" | b64enc', 'substr 0 0 ""', 'substr "1" "3" "hello"'], ['substr 0 1 2', 'substr 3 1 "hello"'])
s.fn("trunc", ['trunc 3 "hello"', 'trunc -3 "hello"', 'trunc 10 "hi"', 'trunc 0 "x"'],
     ['trunc 2 "héllo" | b64enc', 'trunc -10 "hi"'], ['trunc "x" "hello"'])
s.fn("trim", ['trim "  a b  "', 'trim "\\t\\nx\\n"', 'trim ""'], ['trim "\\u00a0x\\u00a0"'], ['trim 1'])
s.fn("trimAll", ['trimAll "$" "$$5.00$"', 'trimAll "ab" "abcba"', 'trimall "x" "xxyxx"'], ['trimAll "" "aa"'])
s.fn("trimPrefix", ['trimPrefix "he" "hello"', 'trimPrefix "x" "hello"', 'trimPrefix "" "a"'])
s.fn("trimSuffix", ['trimSuffix "lo" "hello"', 'trimSuffix "x" "hello"', 'trimSuffix "hello" "hello"'])
s.fn("nospace", ['nospace "a b\\tc\\nd"', 'nospace ""', 'nospace " ✓ x " | b64enc'])
s.fn("initials", ['initials "Hello World"', 'initials "a"', 'initials ""', 'initials "élan vital"'])
s.fn("abbrev", ['abbrev 5 "hello world"', 'abbrev 20 "hello"', 'abbrev 3 "hello"', 'abbrev 4 "hello"'],
     ['abbrev 0 "abc"', 'abbrev -1 "abc"'])
s.fn("abbrevboth", ['abbrevboth 5 10 "1234 5678 9123"', 'abbrevboth 1 4 "abcdefg"', 'abbrevboth 0 20 "short"'])
s.fn("swapcase", ['swapcase "Hello World"', 'swapcase "ÀbC"', 'swapcase ""'])
s.fn("snakecase", ['snakecase "FirstName"', 'snakecase "HTTPServer"', 'snakecase "already_snake"', 'snakecase "a b-c"'])
s.fn("camelcase", ['camelcase "http_server"', 'camelcase "a-b c"', 'camelcase "Already"', 'camelcase "__x__y"'])
s.fn("kebabcase", ['kebabcase "FirstName"', 'kebabcase "HTTPServer"', 'kebabcase "snake_case"'])
s.fn("wrap", ['~wrap 5 "Hello World and more"', '~wrap 80 "short"', '~wrap 1 "a b c"'], ['~wrap 0 "a b"'])
s.fn("wrapWith", ['wrapWith 5 "\\t" "Hello World"', 'wrapWith 3 "|" "a b c d e"'])
s.fn("contains", ['contains "ll" "hello"', 'contains "x" "hello"', 'contains "" ""'], ['contains "é" "café"'],
     ['contains 1 "a"'])
s.fn("hasPrefix", ['hasPrefix "he" "hello"', 'hasPrefix "lo" "hello"', 'hasPrefix "" "x"'])
s.fn("hasSuffix", ['hasSuffix "lo" "hello"', 'hasSuffix "he" "hello"', 'hasSuffix "" ""'])
s.fn("quote", ['quote "a"', 'quote "a\\"b"', 'quote 1 2.5 true', 'quote nil', 'quote "é\\n"', 'quote',
               'quote .Values.l', 'quote .Values.missing'], values=V)
s.fn("squote", ['squote "a"', "squote \"it's\"", 'squote 1 nil "x"', 'squote', 'squote .Values.m'], values=V)
s.fn("cat", ['cat "a" "b" "c"', 'cat "a" nil "c"', 'cat 1 2.5 true', 'cat', 'cat .Values.l .Values.m'], values=V)
s.fn("indent", ['~indent 4 "a\\nb"', '~indent 0 "x"', '~indent 2 ""'], [], ['indent "2" "x"', 'indent -2 "x"'])
s.fn("nindent", ['~nindent 4 "a\\nb"', '~nindent 0 "x"'])
s.fn("replace", ['replace " " "-" "a b c"', 'replace "a" "" "banana"', 'replace "" "x" "ab"'],
     ['replace "é" "e" "café"'])
s.fn("plural", ['plural "one" "many" 1', 'plural "one" "many" 2', 'plural "one" "many" 0'],
     ['plural "one" "many" -1'], ['plural "one" "many" "x"'])
s.fn("toString", ['toString 1', 'toString 1.5', 'toString true', 'toString nil', 'toString "s"',
                  'toString .Values.l', 'toString .Values.m', 'toString 1e21'], values=V)
s.fn("toStrings", ['toStrings (list 1 "a" nil 2.5)', 'toStrings "abc"', 'toStrings nil',
                   'toStrings (list)'], ['printf "%T" (toStrings (list 1))'])
s.fn("split", ['split "," "a,b,c"', 'split "," ""', 'split "" "abc"', '(split "," "a,b")._1'])
s.fn("splitList", ['splitList "," "a,b,c"', 'splitList "," ",a,"', 'splitList "" "ab"'])
s.fn("splitn", ['splitn "," 2 "a,b,c"', 'splitn "," 0 "a,b"', 'splitn "," -1 "a,b,c"'])
s.fn("join", ['join "," (list "a" "b")', 'join "-" (list 1 2 nil)', 'join "," (list)', 'join "," "abc"',
              'join "," .Values.l', 'join ", " (list (list 1) (dict))'], values=V)
s.fn("sortAlpha", ['sortAlpha (list "b" "a" "C")', 'sortAlpha (list 3 1 2)', 'sortAlpha (list)',
                   'sortAlpha "x"'])
s.fn("shuffle-len", ['len (shuffle "abcdef")', 'shuffle ""', 'shuffle "a"'])
s.fn("rand-len", ['len (randAlphaNum 7)', 'len (randAlpha 5)', 'len (randNumeric 3)', 'len (randAscii 9)',
                  'randAlpha 0'])
s.fn("hello", ['hello'])
s.fn("printf-string-args", ['printf "%s-%s" "a" 1', 'printf "%5.2s|" "abc"'])
s.fn("len-strings", ['len "héllo"', 'len ""', 'len "✓"'])
