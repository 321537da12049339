"""encoding suite (issue 3): base64/base32 and Go's html/js/urlquery escapers."""
from gsrc import Suite

SUITE = s = Suite("encoding")
STRS = ['""', '"a"', '"hello world"', '"héllo ✓"', '"<a&b>\\"\'"', '"\\n\\t"', '"ab?"']

s.exprs("b64enc", ['b64enc %s' % x for x in STRS])
s.exprs("b64dec", ['b64dec "aGVsbG8="', 'b64dec "aGVsbG8"', 'b64dec "!!!"', 'b64dec ""',
                   'b64dec "w6k="', 'b64dec (b64enc "round ✓")'])
s.exprs("b32enc", ['b32enc %s' % x for x in STRS])
s.exprs("b32dec", ['b32dec "NBSWY3DP"', 'b32dec "xx"', 'b32dec ""', 'b32dec (b32enc "round ✓")'])
s.exprs("b64-types", ['b64enc 1', 'b64enc nil', 'b64enc (list 1)', 'b32enc 1.5'])
s.exprs("html", ['~html %s' % x for x in STRS] + ['html 1 "<" nil'])
s.exprs("js", ['js %s' % x for x in STRS] + ['js "</script>=`"', 'js 1 2'])
s.exprs("urlquery", ['urlquery %s' % x for x in STRS] + ['urlquery "a b" "c/d"', 'urlquery "a+b=c&d"'])
s.exprs("escapers-pipe", ['"<x>" | html', '"x y" | urlquery', '"\'x\'" | js', 'html', 'js', 'urlquery'])
s.exprs("b64-pipe", ['"x" | b64enc | b64dec', '"x" | b32enc | b32dec'])
