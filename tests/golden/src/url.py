"""url suite (issue 3): urlParse and urlJoin."""
from gsrc import Suite

SUITE = s = Suite("url")
URLS = ['"https://user:pw@example.com:8443/p/a%20th?q=1&r=x%2Fy#frag"', '"http://example.com"',
        '"/relative/path?x"', '"mailto:someone@example.com"', '"http://[::1]:80/"', '"ftp://h/é"',
        '""', '"https://example.com/?a=1&a=2"']
for i, u in enumerate(URLS):
    s.exprs("urlParse-%d" % (i + 1), ['~urlParse %s | toYaml' % u, '(urlParse %s).host' % u])
s.err("urlParse-bad", 'urlParse "http://[bad"')
s.err("urlParse-ctl", 'urlParse "http://a b.com/\\x7f"')
s.exprs("urlJoin", ['urlJoin (dict "scheme" "https" "host" "h.com" "path" "/a b" "query" "x=1" "fragment" "f")',
                    'urlJoin (dict "host" "h")', 'urlJoin (dict)',
                    'urlJoin (dict "scheme" "http" "host" "h:8080" "userinfo" "u:p" "path" "p")',
                    'urlJoin (dict "scheme" "http" "host" "h" "opaque" "x")',
                    'urlJoin (urlParse "https://a.com/x?y=1#z")'])
s.err("urlJoin-wrongtype", 'urlJoin "x"')
