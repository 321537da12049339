"""regex suite (issue 3): Sprig's regex functions (Go RE2 syntax)."""
from gsrc import Suite

SUITE = s = Suite("regex")
s.fn("regexMatch", ['regexMatch "^[a-z]+$" "abc"', 'regexMatch "^[a-z]+$" "aBc"', 'regexMatch "" ""',
                    'regexMatch "(?i)ABC" "abc"', 'regexMatch "\\\\d+" "a1"', 'regexMatch "é." "xéy"',
                    'regexMatch "^\\\\p{L}+$" "héllo"', 'regexMatch "a.c" "a\\nc"'],
     ['regexMatch "(" "x"', 'regexMatch "a(?=b)" "ab"'])
s.fn("mustRegexMatch", ['mustRegexMatch "b" "abc"'], [], ['mustRegexMatch "[" "x"'])
s.fn("regexFindAll", ['regexFindAll "[0-9]+" "a1b22c333" -1', 'regexFindAll "[0-9]+" "a1b22c333" 2',
                      'regexFindAll "x" "abc" -1', 'regexFindAll "" "abc" -1', 'regexFindAll "." "héé" 0'],
     [], ['regexFindAll "(" "x" 1'])
s.fn("mustRegexFindAll", ['mustRegexFindAll "a" "banana" -1'], [], ['mustRegexFindAll "*" "x" -1'])
s.fn("regexFind", ['regexFind "[a-z]+" "123abc456"', 'regexFind "z" "abc"', 'regexFind "(a)(b)" "xab"'])
s.fn("mustRegexFind", ['mustRegexFind "b+" "abbbc"'], [], ['mustRegexFind "a{2,1}" "a"'])
s.fn("regexReplaceAll", ['regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W"', 'regexReplaceAll "a(x*)b" "-ab-axxb-" "$1W"',
                         'regexReplaceAll "(?P<n>[a-z]+)" "abc 123" "<${n}>"', 'regexReplaceAll "\\\\s+" "a  b\\tc" " "',
                         'regexReplaceAll "" "abc" "-"', 'regexReplaceAll "(b)" "abc" "$$1 $2 $x"'])
s.fn("mustRegexReplaceAll", ['mustRegexReplaceAll "b" "abc" "X"'], [], ['mustRegexReplaceAll "(" "x" "y"'])
s.fn("regexReplaceAllLiteral", ['regexReplaceAllLiteral "a(x*)b" "-ab-axxb-" "${1}"',
                                'regexReplaceAllLiteral "\\\\." "a.b.c" "$"'])
s.fn("mustRegexReplaceAllLiteral", ['mustRegexReplaceAllLiteral "b" "abc" "$1"'], [],
     ['mustRegexReplaceAllLiteral "[" "x" "y"'])
s.fn("regexSplit", ['regexSplit "z+" "pizza" -1', 'regexSplit "z+" "pizza" 1', 'regexSplit "" "abc" -1',
                    'regexSplit "," "a,b,c" 2', 'regexSplit "x" "" -1', 'regexSplit "a" "banana" 0'])
s.fn("mustRegexSplit", ['mustRegexSplit "," "a,b" -1'], [], ['mustRegexSplit "(" "a" -1'])
s.fn("regexQuoteMeta", ['regexQuoteMeta "1.5+2*[x]"', 'regexQuoteMeta ""', 'regexQuoteMeta "a\\\\b$^"'])
s.fn("regex-classes", ['regexFindAll "[[:alpha:]]+" "ab12cd" -1', 'regexFindAll "\\\\bw\\\\w*" "we want words" -1',
                       'regexMatch "^a{2,3}$" "aaaa"', '~regexFind "(?s)a.b" "a\\nb"', 'regexFind "(?m)^b" "a\\nb"',
                       'regexFind "a+?" "aaa"', 'regexFind "\\\\x{e9}" "café"', 'regexFind "[^\\\\x00-\\\\x7f]+" "aé✓b"'])
s.fn("regex-type-errors", [], [], ['regexMatch 1 "a"', 'regexFindAll "a" "b" "x"'])
