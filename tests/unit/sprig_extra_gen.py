#!/usr/bin/env python3
"""sprig_extra_gen.py — runs real helm on the sprig-extra test cases and writes
tests/unit/sprig_extra_cases.h (the expected outputs, produced by helm).

usage: sprig_extra_gen.py HELM OUT.h
Each case is (function, args...) where args are str or int (Go int constants);
a case whose name starts with '.' is a method call on (semver ARG0).
"""
import json, os, subprocess, sys, tempfile

REGEX = [
    ("regexMatch", "^[a-z]+$", "hello"), ("regexMatch", "^[a-z]+$", "Hello"),
    ("regexMatch", "a(", "x"), ("regexMatch", r"\d+", "ab12"), ("regexMatch", r"^\s*$", " \t\n"),
    ("regexMatch", r"^\s$", "\v"), ("regexMatch", "a.c", "a\nc"), ("regexMatch", "(?s)a.c", "a\nc"),
    ("regexMatch", "^b$", "a\nb"), ("regexMatch", "(?m)^b$", "a\nb\nc"), ("regexMatch", "a$", "a\n"),
    ("regexMatch", r"\pL+", "ÄÖ"), ("regexMatch", r"^\p{Greek}+$", "αβγ"), ("regexMatch", r"^\PL$", "1"),
    ("regexMatch", "[[:alpha:]]+", "abc"), ("regexMatch", "^[[:^digit:]]+$", "abc"),
    ("regexMatch", "(?i)HELLO", "hello"), ("regexMatch", r"\bfoo\b", "a foo b"),
    ("regexMatch", r"^\x41\x{42}\103$", "ABC"), ("regexMatch", r"^\Qa.b\E$", "a.b"), ("regexMatch", r"^\Qa.b\E$", "axb"),
    ("regexMatch", "^a{2,3}$", "aaa"), ("regexMatch", "^a{2,3}$", "aaaa"), ("regexMatch", "^a{,3}$", "a{,3}"),
    ("regexMatch", "^a{2}$", "aa"), ("regexMatch", r"^\z", ""), ("regexMatch", r"\Aab", "ab"),
    ("regexMatch", "^[^a]$", "\n"), ("regexMatch", "(?P<x>a)(?<y>b)", "ab"),
    ("regexFindAll", "a*", "baaac", -1), ("regexFindAll", "a*", "baaac", 2), ("regexFindAll", "", "abc", -1),
    ("regexFindAll", "x*", "", -1), ("regexFindAll", "[0-9]+", "a1b22c333", -1), ("regexFindAll", "[0-9]+", "a1b22c333", 0),
    ("regexFindAll", "[0-9]+", "abc", -1), ("regexFindAll", "a|ab", "abab", -1), ("regexFindAll", "b*", "abbc", -1),
    ("regexFindAll", ".", "héllo", -1), ("regexFindAll", "", "hé", -1), ("regexFindAll", r"\w+", "foo bar, baz!", 2),
    ("regexFind", "a+b*", "xaaabbby"), ("regexFind", "z", "abc"), ("regexFind", "(a|ab)(c|bcd)", "abcd"),
    ("regexFind", "a*?", "aaa"), ("regexFind", "a+?", "aaa"), ("regexFind", "(?U)a+", "aaa"),
    ("regexReplaceAll", "a*", "baaac", "X"), ("regexReplaceAll", "a(x*)b", "-ab-axxb-", "${1}W"),
    ("regexReplaceAll", "a(x*)b", "-ab-axxb-", "$1W"), ("regexReplaceAll", "a(x*)b", "-ab-axxb-", "$$1"),
    ("regexReplaceAll", "(?P<first>\\w+) (?P<last>\\w+)", "John Smith", "$last, $first"),
    ("regexReplaceAll", "(?P<first>\\w+) (?P<last>\\w+)", "John Smith", "${last}_x $first_x"),
    ("regexReplaceAll", "(a)(b)", "ab", "$2$1$3$"), ("regexReplaceAll", "(a)", "ab", "${1"), ("regexReplaceAll", "(a)", "ab", "$01"),
    ("regexReplaceAll", "", "abc", "-"), ("regexReplaceAll", "x*", "abc", "-"), ("regexReplaceAll", "b*", "abc", "X"),
    ("regexReplaceAll", "é", "héhé", "e"), ("regexReplaceAll", "^", "abc", ">"), ("regexReplaceAll", "$", "abc", "<"),
    ("regexReplaceAll", "(?m)^", "a\nb", "> "), ("regexReplaceAll", r"\s+", "a  b \t c", " "),
    ("regexReplaceAll", "[aeiou]", "education", "${0}${0}"),
    ("regexReplaceAllLiteral", "a(x*)b", "-ab-axxb-", "${1}"), ("regexReplaceAllLiteral", "a*", "baaac", "$"),
    ("regexSplit", "z+", "pizza", -1), ("regexSplit", "z+", "pizza", 0), ("regexSplit", "z+", "pizza", 1),
    ("regexSplit", "z+", "pizza", 2), ("regexSplit", "", "abc", -1), ("regexSplit", "a*", "baaac", -1),
    ("regexSplit", ",", "", -1), ("regexSplit", "", "", -1), ("regexSplit", ",", "a,b,,c,", -1),
    ("regexSplit", ",", "a,b,,c,", 3), ("regexSplit", "x*", "axbxc", -1), ("regexSplit", "^", "abc", -1),
    ("regexQuoteMeta", "1.2.3[a]{b}(c)^$|*+?\\"), ("regexQuoteMeta", "plain-text_ok"),
    ("mustRegexMatch", "^v[0-9]+$", "v12"), ("mustRegexFindAll", "o", "foo", -1), ("mustRegexFind", "o+", "foo"),
    ("mustRegexReplaceAll", "o", "foo", "0"), ("mustRegexReplaceAllLiteral", "o", "foo", "$0"),
    ("mustRegexSplit", "o", "foo", -1),
]

REGEX_ERR = [
    ("mustRegexMatch", "(?=x)", "a"), ("mustRegexMatch", "(?!x)", "a"), ("mustRegexMatch", "(?<=x)", "a"),
    ("mustRegexMatch", "(?>x)", "a"), ("mustRegexMatch", "a**", "a"), ("mustRegexMatch", "a++", "a"),
    ("mustRegexMatch", "*a", "a"), ("mustRegexMatch", "a{2}{3}", "a"), ("mustRegexMatch", "(a", "a"),
    ("mustRegexMatch", "a)", "a"), ("mustRegexMatch", "x[a", "a"), ("mustRegexMatch", "[z-a]", "a"),
    ("mustRegexMatch", r"\1", "a"), ("mustRegexMatch", r"\Z", "a"), ("mustRegexMatch", r"\C", "a"),
    ("mustRegexMatch", "x{1001}", "a"), ("mustRegexMatch", "(?P<>a)", "a"), ("mustRegexMatch", "(?P<n!>a)", "a"),
    ("mustRegexMatch", r"\q", "a"), ("mustRegexMatch", r"\xZZ", "a"), ("mustRegexMatch", "a\\", "a"),
    ("mustRegexMatch", r"\p{Foo}", "a"), ("mustRegexMatch", "(?i", "a"), ("mustRegexMatch", "(?z)", "a"),
    ("mustRegexMatch", "(?-)", "a"), ("mustRegexMatch", "[[:foo:]]", "a"), ("mustRegexMatch", "a|*", "a"),
    ("mustRegexMatch", "a*?*", "a"), ("mustRegexMatch", r"\x{110000}", "a"),
    ("regexFind", "a(", "a"), ("regexFindAll", "(?=x`", "a", -1), ("mustRegexSplit", "[", "a", -1),
    ("regexReplaceAll", "\n(", "a", "b"),
]

SEMVER = [
    ("semverCompare", ">=1.2.3", "1.2.3"), ("semverCompare", ">1.2.3", "1.2.3"), ("semverCompare", "^1.2.0", "1.9.9"),
    ("semverCompare", "^1.2.0", "2.0.0"), ("semverCompare", "~1.2.0", "1.2.9"), ("semverCompare", "~1.2.0", "1.3.0"),
    ("semverCompare", "~1", "1.9.0"), ("semverCompare", "~1", "2.0.0"), ("semverCompare", "^0.2.3", "0.2.9"),
    ("semverCompare", "^0.2.3", "0.3.0"), ("semverCompare", "^0.0.3", "0.0.3"), ("semverCompare", "^0.0.3", "0.0.4"),
    ("semverCompare", "^0.0", "0.0.9"), ("semverCompare", "^0", "0.9.0"), ("semverCompare", "1.2.x", "1.2.7"),
    ("semverCompare", "1.2.x", "1.3.0"), ("semverCompare", "1.x", "1.5.0"), ("semverCompare", "*", "3.0.0"),
    ("semverCompare", "*", "3.0.0-beta"), ("semverCompare", ">=1.0.0-0", "1.0.0-beta"), ("semverCompare", ">=1.0.0", "1.0.0-beta"),
    ("semverCompare", ">=1.0.0-alpha", "1.0.0-beta"), ("semverCompare", "<1.0.0-beta", "1.0.0-alpha"),
    ("semverCompare", ">= 1.2, < 2.0", "1.5.0"), ("semverCompare", ">= 1.2, < 2.0", "2.0.0"),
    ("semverCompare", ">= 1.2 < 2.0", "1.9.0"), ("semverCompare", "1.2 - 1.4.5", "1.4.5"), ("semverCompare", "1.2 - 1.4.5", "1.4.6"),
    ("semverCompare", "1.2.3 - 2.3", "2.3.9"), ("semverCompare", "1.2.3 - 2.3", "2.4.0"),
    ("semverCompare", "<1.0 || >=2.0", "1.5.0"), ("semverCompare", "<1.0 || >=2.0", "2.1.0"),
    ("semverCompare", "!=1.2.3", "1.2.3"), ("semverCompare", "!=1.2.3", "1.2.4"), ("semverCompare", "!=1.2.x", "1.2.4"),
    ("semverCompare", "!=1.2.x", "1.3.0"), ("semverCompare", "!=1.x", "1.3.0"), ("semverCompare", "=1.2.3", "v1.2.3"),
    ("semverCompare", "1.2.3", "1.2.3+build"), ("semverCompare", "v1.2.3", "1.2.3"), ("semverCompare", ">1.2", "1.2.5"),
    ("semverCompare", ">1.2", "1.3.0"), ("semverCompare", ">1", "1.9.0"), ("semverCompare", ">1", "2.0.0"),
    ("semverCompare", "<=1.2", "1.2.9"), ("semverCompare", "<=1.2", "1.3.0"), ("semverCompare", "<=1.2.3", "1.2.3"),
    ("semverCompare", "<1.2", "1.1.9"), ("semverCompare", "=>1.2.3", "1.2.4"), ("semverCompare", "=<1.2.3", "1.2.4"),
    ("semverCompare", "~>1.2.3", "1.2.9"), ("semverCompare", ">=1.20.0-0", "1.20.0-gke.100"),
    ("semverCompare", ">= 1.19-0", "v1.25.3-eks-abc"), ("semverCompare", "<1.19-0", "1.18.0"),
    ("semverCompare", ">=1.21.0-0 <1.30.0-0", "1.29.1"), ("semverCompare", "^1.2.3-alpha.1", "1.2.3-alpha.10"),
    ("semverCompare", ">1.0.0-alpha.1", "1.0.0-alpha.beta"),
    ("semverCompare", ">1.0.0-beta.2", "1.0.0-beta.11"), ("semverCompare", ">=1.2.3", "1.2"),
    ("semverCompare", "1.2.3 , 1.2.3", "1.2.3"), ("semverCompare", "~0", "0.5.0"), ("semverCompare", "~0.0.0", "5.0.0"),
    ("semverCompare", "x", "0.0.0"), ("semverCompare", "^1.x", "1.9.0"), ("semverCompare", "^1.x", "2.0.0"),
    (".Major", "v1.2.3-rc.1+b5"), (".Minor", "v1.2.3-rc.1+b5"), (".Patch", "v1.2.3-rc.1+b5"),
    (".Prerelease", "v1.2.3-rc.1+b5"), (".Metadata", "v1.2.3-rc.1+b5"), (".Original", "v1.2.3-rc.1+b5"),
    (".String", "v1.2.3-rc.1+b5"), (".String", "1"), (".String", "01.2"), (".Minor", "2.10"),
    ("semver", "1.2.3"), ("semver", "v1.2"), ("semver", "3"),
]

SEMVER_ERR = [
    ("semver", "1.2.3.4"), ("semver", "abc"), ("semver", ""), ("semver", "1.2.3-01"), ("semver", "1.2.3-a..b"),
    ("semver", "99999999999999999999.1.1"), ("semverCompare", "abc", "1.2.3"), ("semverCompare", ">=1.2.3", "x.y"),
    ("semverCompare", ">= 1.2 ||", "1.2.3"), ("semverCompare", "1.2.3 - ", "1.2.3"), ("semverCompare", "~1.2.3-01", "1.2.3"), ("semverCompare", ">1.0.0-alpha.1", "1.0.0-alpha.01"),
]

ZONES = ["UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Europe/London",
         "Asia/Kathmandu", "Pacific/Chatham", "America/St_Johns", "Bad/Zone", "", "Local", "Europe/Dublin"]
TIMES = [1700000000, 0, -1, 1710054000, 1710053999, 2100000000, 4102444800, -2208988800, 1711846800]
LAYOUTS = ["2006-01-02 15:04:05.000 MST -0700", "Mon Jan _2 15:04:05 2006", "Monday, January 2, 2006 3:04:05 PM",
           "02/01/06 03:04pm", "2006-01-02T15:04:05Z07:00", "-07:00:00 Z0700 Z07 -07 Z07:00:00 -070000",
           "__2 002 .999 ,000 .9 .000000000", "Jan Janu Monx Monday MST2006", "1 2 3 4 5 06 15 PM pm 05 _2"]

def T(layout, value):
    return ('toDate', layout, value)

DATES = ([("dateInZone", LAYOUTS[0], t, z) for t in TIMES for z in ZONES] +
         [("dateInZone", l, t, "America/New_York") for l in LAYOUTS for t in (1700000000, 1710054000, -2208988800)] +
         [("dateInZone", l, 1700000123, "Asia/Kolkata") for l in LAYOUTS] +
         [("date_in_zone", "2006", 1700000000, "UTC"), ("date", "2006-01-02 15:04", 1700000000),
          ("htmlDate", 1700000000), ("htmlDateInZone", 1700000000, "Pacific/Chatham"),
          ("dateInZone", "15:04:05.000000 MST", T("2006-01-02 15:04:05.999999999", "2024-01-02 03:04:05.123456789"), "Asia/Tokyo"),
          ("duration", "95"), ("duration", 95), ("duration", "-3661"), ("duration", "x"), ("duration", "86400"),
          ("durationRound", "2h10m"), ("durationRound", "1h"), ("durationRound", "61m"), ("durationRound", "-48h30m"),
          ("durationRound", "8761h"), ("durationRound", "721h"), ("durationRound", "1s"), ("durationRound", "1.5s"),
          ("durationRound", "bad"), ("durationRound", 3),
          ("toDate", "2006-01-02", "2024-02-29"), ("toDate", "2006-01-02 15:04:05", "2024-03-10 02:30:00"),
          ("toDate", "2006-01-02T15:04:05Z07:00", "2024-01-02T03:04:05+05:30"),
          ("toDate", "2006-01-02T15:04:05.999999999Z07:00", "2024-01-02T03:04:05.123456789Z"),
          ("toDate", "Jan 2 2006 3:04PM", "feb 3 2021 4:05PM"), ("toDate", "02 Jan 06 15:04 MST", "02 Jan 24 15:04 EST"),
          ("toDate", "2006-01-02 15:04:05 -0700", "2024-06-01 12:00:00 -0400"), ("toDate", "2006-002", "2024-060"),
          ("toDate", "Mon, 02 Jan 2006 15:04:05 MST", "Tue, 10 Sep 2024 08:09:10 UTC"), ("toDate", "2006-01-02", "2024-13-45"),
          ("toDate", "2006-01-02 15:04:05", "2024-01-02 03:04:05.5"), ("toDate", "2006-01-02 15:04 MST", "2024-07-04 10:00 GMT+3"),
          ("toDate", "2006 01  02", "2024 1 2"), ("toDate", "2006-01-02 3PM", "2024-01-02 12AM"),
          ("dateModify", "1h30m", T("2006-01-02", "2024-01-02")), ("dateModify", "-24h", T("2006-01-02", "2024-03-01")),
          ("dateModify", "bad", T("2006-01-02", "2024-01-02")), ("date_modify", "1.5h", T("2006-01-02", "2024-01-02")),
          ("mustDateModify", "90s", T("2006-01-02", "2024-01-02")), ("dateModify", "1us", T("2006-01-02", "2024-01-02")),
          ("unixEpoch", T("2006-01-02T15:04:05Z07:00", "2024-01-02T03:04:05+05:30")),
          ("~toDate", "2006-01-02T15:04:05.999999999Z07:00", "2024-01-02T03:04:05.120Z"),
          ("~toDate", "2006-01-02T15:04:05Z07:00", "2024-01-02T03:04:05+05:30"), ("~toDate", "2006-01-02", "bad"),
          ("~dateModify", "1h1m1.000000001s", T("2006-01-02", "2024-01-02")),
         ])

DATES_NY = [("date", "2006-01-02 15:04:05 MST", t) for t in TIMES] + [
    ("htmlDate", 1710054000), ("~toDate", "2006-01-02 15:04", "2024-03-10 02:30"), ("~toDate", "2006-01-02 15:04", "2024-11-03 01:30"),
    ("~toDate", "2006-01-02 15:04 MST", "2024-07-04 10:00 EDT"), ("~toDate", "2006-01-02 15:04 -0700", "2024-07-04 10:00 -0400"),
    ("~toDate", "2006-01-02 15:04 -0700", "2024-07-04 10:00 -0500"), ("dateInZone", "2006-01-02 15:04 MST", 1700000000, "Local"),
]

DATES_ERR = [
    ("mustToDate", "2006-01-02", "2024-13-01"), ("mustToDate", "2006-01-02", "2024-02-30"), ("mustToDate", "2006-01-02", "x"),
    ("mustToDate", "2006-01-02", "2024-01-02 extra"), ("mustToDate", "15:04", "25:00"), ("mustToDate", "2006-002", "2023-366"),
    ("mustToDate", "Jan 2", "Foo 2"), ("mustToDate", "2006-01-02T15:04:05Z07:00", "2024-01-02T03:04:05+0530"),
    ("mustDateModify", "bad", T("2006-01-02", "2024-01-02")), ("mustDateModify", "1x", T("2006-01-02", "2024-01-02")),
    ("mustDateModify", "", T("2006-01-02", "2024-01-02")), ("mustDateModify", "1h2", T("2006-01-02", "2024-01-02")),
    ("mustDateModify", ".h", T("2006-01-02", "2024-01-02")),
]

CRYPTO = [
    ("sha1sum", ""), ("sha1sum", "hello"), ("sha256sum", "hello"), ("sha256sum", "ünïcödé"), ("sha512sum", "hello"),
    ("adler32sum", ""), ("adler32sum", "hello world"), ("adler32sum", "x" * 6000),
    ("derivePassword", 1, "long", "password", "user", "example.com"),
    ("derivePassword", 2, "maximum", "secret", "alice", "site.org"), ("derivePassword", 1, "medium", "pw", "bob", "a.b"),
    ("derivePassword", 7, "short", "pw", "bob", "a.b"), ("derivePassword", 1, "basic", "pw", "", ""),
    ("derivePassword", 1, "pin", "1234", "me", "bank"), ("derivePassword", 1, "nope", "pw", "u", "s"),
    ("htpasswd", "a:b", "pw"), ("bcrypt", "x" * 73), ("genPrivateKey", "foo"),
    ("encryptAES", "pw", ""), ("decryptAES", "pw", ""),
]

CRYPTO_ERR = [
    ("decryptAES", "pw", "!!!"), ("decryptAES", "pw", "YWJj"), ("decryptAES", "pw", "YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo="),
    ("decryptAES", "pw", "YWJjZGVmZ2hpamtsbW5vcA=="), ("decryptAES", "pw", "YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXphYmNkZWY="),
    ("decryptAES", "pw", "YWJj=ZGVm"), ("decryptAES", "pw", "YW"),
    ("buildCustomCert", "!!", "eA=="), ("buildCustomCert", "eA==", "!!"), ("buildCustomCert", "eA==", "eA=="),
    ("genCAWithKey", "x", 1, "not a pem"), ("genCAWithKey", "x", 1, "-----BEGIN FOO-----\neA==\n-----END FOO-----\n"),
    ("genCAWithKey", "x", 1, "-----BEGIN XYZ PRIVATE KEY-----\neA==\n-----END XYZ PRIVATE KEY-----\n"),
    ("genCAWithKey", "x", 1, "-----BEGIN RSA PRIVATE KEY-----\neA==\n-----END RSA PRIVATE KEY-----\n"),
    ("genCAWithKey", "x", 1, "-----BEGIN EC PRIVATE KEY-----\neA==\n-----END EC PRIVATE KEY-----\n"),
    ("genCAWithKey", "x", 1, "-----BEGIN PRIVATE KEY-----\neA==\n-----END PRIVATE KEY-----\n"),
    ("genCAWithKey", "x", 1, "-----BEGIN DSA PRIVATE KEY-----\neA==\n-----END DSA PRIVATE KEY-----\n"),
    ("genCAWithKey", "x", 1, "-----BEGIN RSA PRIVATE KEY-----\nMAA=\n-----END RSA PRIVATE KEY-----\n"),
]

def crypto_extra(helm):
    """helm-made AES ciphertexts (to decrypt), and helm-made certificates and keys."""
    out, err = run(helm, """# A1 {{ encryptAES "secretkey" "hello world" | toJson }}
# A2 {{ encryptAES "a-password-longer-than-thirty-two-bytes!!" "exactly16bytes!!" | toJson }}
# A3 {{ encryptAES "" "ünïcödé\\t" | toJson }}
{{- $ca := genCA "helm-ca" 365 }}
# CA {{ $ca.Cert | b64enc }}
# CAKEY {{ $ca.Key | b64enc }}
# LEAF {{ (genSignedCert "leaf" (list "10.0.0.1" "::1") (list "a.example" "b.example") 30 $ca).Cert | b64enc }}
# SS {{ (genSelfSignedCert "self" nil (list "s.example") 10).Cert | b64enc }}
# EC {{ genPrivateKey "ecdsa" | b64enc }}
# ED {{ genPrivateKey "ed25519" | b64enc }}
""")
    res = {}
    for line in out.splitlines():
        if line.startswith('# '):
            k, v = line[2:].split(' ', 1)
            res[k] = v
    assert all(k in res for k in ('A1', 'A2', 'A3', 'CA', 'CAKEY', 'LEAF', 'SS', 'EC', 'ED')), err
    return res

def gostr(s):
    if '`' not in s and '\r' not in s:
        return '`' + s + '`'
    return json.dumps(s)

def arg(a):
    if isinstance(a, tuple):
        return '(%s)' % expr(a)
    if isinstance(a, str):
        return gostr(a)
    return '(%d)' % a if a < 0 else str(a)

def expr(case):
    fn, args = case[0], case[1:]
    if fn.startswith('.'):
        return '(semver %s)%s' % (gostr(args[0]), fn)
    return fn.lstrip('~') + ''.join(' ' + arg(a) for a in args)

TZ = 'UTC'

def run(helm, text):
    d = tempfile.mkdtemp()
    os.makedirs(d + '/t/templates')
    open(d + '/t/Chart.yaml', 'w').write('apiVersion: v2\nname: t\nversion: 0.1.0\n')
    open(d + '/t/templates/t.yaml', 'w').write(text)
    p = subprocess.run([helm, 'template', 't', d + '/t'], capture_output=True, text=True, env=dict(os.environ, TZ=TZ))
    return p.stdout, p.stderr

def ok_results(helm, cases):
    text = ''.join('# R%d {{ %s | %s }}\n' % (i, expr(c), 'toString | toJson' if c[0][0] == '~' else 'toJson')
                   for i, c in enumerate(cases))
    out, err = run(helm, text)
    res = {}
    for line in out.splitlines():
        if line.startswith('# R'):
            k, v = line[3:].split(' ', 1)
            res[int(k)] = v
    assert len(res) == len(cases), err
    return [res[i] for i in range(len(cases))]

def err_result(helm, case):
    out, err = run(helm, '{{ %s }}\n' % expr(case))
    msg = err.replace('\n\nUse --debug flag to render out invalid YAML', '').rstrip('\n')
    i = msg.find('error calling ')
    assert i >= 0, msg
    msg = msg[i:]
    return msg[msg.index(': ') + 2:]

def cstr(s):
    out = '"'
    for ch in s.encode():
        c = chr(ch)
        if c in '"\\':
            out += '\\' + c
        elif 32 <= ch < 127:
            out += c
        else:
            out += '\\%03o' % ch
    return out + '"'

def carg(a):
    if isinstance(a, tuple):
        return "{'t', %s, 0, %s}" % (cstr(a[1]), cstr(a[2]))
    if isinstance(a, str):
        return "{'s', %s}" % cstr(a)
    return "{'i', NULL, %d}" % a

def emit(f, name, cases, results):
    f.write('static const struct xcase %s[] = {\n' % name)
    for c, r in zip(cases, results):
        args = ', '.join(carg(a) for a in c[1:])
        f.write('    {%s, %d, {%s}, %s},\n' % (cstr(c[0]), len(c) - 1, args, cstr(r)))
    f.write('};\n\n')

OBJ_FUNCS = ('semver', 'toDate', 'dateModify', 'date_modify', 'mustDateModify', 'mustToDate')

def e2e(f, helm, name, cases):
    """One template with every case, and what helm printed for it (the
    "---" and "# Source:" lines removed). Objects are printed with printf
    "%v" (toJson of a time.Time or *semver.Version needs MarshalJSON support
    in the JSON emitter); cases whose result is a nil slice (toJson: null)
    are left out, as capstan's values have no typed nil slice."""
    def line(i, c):
        if c[0].startswith('~'):
            return '# R%d {{ %s | toString | toJson }}\n' % (i, expr(c))
        if c[0] in OBJ_FUNCS:
            return '# R%d {{ printf "%%v" (%s) | toJson }}\n' % (i, expr(c))
        return '# R%d {{ %s | toJson }}\n' % (i, expr(c))
    for attempt in range(2):
        text = ''.join(line(i, c) for i, c in enumerate(cases))
        out, err = run(helm, text)
        out = out.split('\n', 2)[2] if out.startswith('---\n# Source:') else out
        assert out, err
        nulls = {int(l[3:].split(' ')[0]) for l in out.splitlines() if l.endswith(' null')}
        if not nulls:
            break
        cases = [c for i, c in enumerate(cases) if i not in nulls]
    f.write('static const char e2e_%s_tpl[] = %s;\n' % (name, cstr(text)))
    f.write('static const char e2e_%s_out[] = %s;\n\n' % (name, cstr(out)))

def e2e_errors(f, helm, name, cases):
    """Each failing case alone in a template, with helm's whole error message."""
    f.write('static const struct { const char *tpl, *err; } e2e_%s_err[] = {\n' % name)
    for c in cases:
        text = '{{ %s }}\n' % expr(c)
        out, err = run(helm, text)
        msg = err.replace('\n\nUse --debug flag to render out invalid YAML', '').rstrip('\n')
        assert msg.startswith('Error: '), msg
        f.write('    {%s, %s},\n' % (cstr(text), cstr(msg[len('Error: '):])))
    f.write('};\n\n')

def main():
    helm, outp = sys.argv[1], sys.argv[2]
    with open(outp, 'w') as f:
        f.write('/* Generated by tests/unit/sprig_extra_gen.py from helm v4.1.4 output. Do not edit. */\n')
        f.write('struct xarg { char t; const char *s; long i; const char *s2; };\n')
        f.write('struct xcase { const char *fn; int argc; struct xarg argv[6]; const char *want; };\n\n')
        for name, cases in (('regex_ok', REGEX), ('semver_ok', SEMVER)):
            emit(f, name, cases, ok_results(helm, cases))
        for name, cases in (('regex_err', REGEX_ERR), ('semver_err', SEMVER_ERR), ('dates_err', DATES_ERR)):
            emit(f, name, cases, [err_result(helm, c) for c in cases])
        emit(f, 'dates_utc', DATES, ok_results(helm, DATES))
        ex = crypto_extra(helm)
        aes = [("decryptAES", "secretkey", json.loads(ex['A1'])),
               ("decryptAES", "a-password-longer-than-thirty-two-bytes!!", json.loads(ex['A2'])),
               ("decryptAES", "", json.loads(ex['A3']))]
        emit(f, 'crypto_ok', CRYPTO + aes, ok_results(helm, CRYPTO + aes))
        emit(f, 'crypto_err', CRYPTO_ERR, [err_result(helm, c) for c in CRYPTO_ERR])
        e2e(f, helm, 'regex', REGEX)
        e2e(f, helm, 'semver', SEMVER)
        e2e(f, helm, 'dates', DATES)
        e2e(f, helm, 'crypto', CRYPTO)
        e2e_errors(f, helm, 'all', REGEX_ERR + SEMVER_ERR + DATES_ERR + CRYPTO_ERR)
        for k in ('CA', 'CAKEY', 'LEAF', 'SS', 'EC', 'ED'):
            f.write('static const char helm_%s_b64[] = %s;\n' % (k.lower(), cstr(ex[k])))
        f.write('\n')
        global TZ
        TZ = 'America/New_York'
        emit(f, 'dates_ny', DATES_NY, ok_results(helm, DATES_NY))
        e2e(f, helm, 'dates_ny', DATES_NY)

main()
