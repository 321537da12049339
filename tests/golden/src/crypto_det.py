"""crypto-det suite (issue 3): the deterministic crypto and hash functions.
Random ones (genCA, genPrivateKey, bcrypt, randBytes, uuidv4, ...) are
checked for form in unit tests; here only their deterministic properties."""
from gsrc import Suite

SUITE = s = Suite("crypto-det")
STRS = ['""', '"abc"', '"héllo ✓"', '"%s"' % ("x" * 300)]

for f in ["sha1sum", "sha256sum", "sha512sum", "adler32sum"]:
    s.fn(f, ['%s %s' % (f, x) for x in STRS], ['%s "\\n"' % f], ['%s 1' % f])
s.exprs("derivePassword", ['derivePassword 1 "long" "password" "user" "example.com"',
                           'derivePassword 2 "maximum" "pw" "u" "site"',
                           'derivePassword 1 "medium" "pw" "u" "site"',
                           'derivePassword 1 "short" "pw" "u" "site"',
                           'derivePassword 1 "basic" "pw" "u" "site"',
                           'derivePassword 1 "pin" "pw" "u" "site"',
                           'derivePassword 1 "name" "pw" "u" "site"',
                           'derivePassword 1 "phrase" "pw" "u" "site"'])
s.exprs("derivePassword-unicode", ['derivePassword 3 "long" "пароль" "ü" "ex.com"'])
s.exprs("encrypt-decrypt", ['encryptAES "secretkey" "plaintext" | decryptAES "secretkey"',
                            'encryptAES "k" "" | decryptAES "k"', 'len (encryptAES "k" "x") | toString'])
s.err("decryptAES-bad", 'decryptAES "k" "notbase64!"')
s.err("decryptAES-short", 'decryptAES "k" "YWJj"')
s.exprs("random-forms", ['len (uuidv4)', 'regexMatch "^[0-9a-f-]{36}$" uuidv4',
                         'hasPrefix "$2a$" (bcrypt "x")', 'hasPrefix "user:$2y$" (htpasswd "user" "pw")',
                         'len (randBytes 16 | b64dec)', 'hasPrefix "-----BEGIN RSA PRIVATE KEY-----" (genPrivateKey "rsa")',
                         'hasPrefix "-----BEGIN EC PRIVATE KEY-----" (genPrivateKey "ecdsa")',
                         'hasPrefix "-----BEGIN PRIVATE KEY-----" (genPrivateKey "ed25519")'])
s.exprs("genPrivateKey-bad", ['genPrivateKey "nope"'])
s.exprs("genCA-fields", ['$ca := genCA "my-ca" 365 }}{{ hasPrefix "-----BEGIN CERTIFICATE-----" $ca.Cert',
                         '$c := genSelfSignedCert "x.com" (list "1.2.3.4") (list "x.com") 30 }}{{ hasPrefix "-----BEGIN RSA PRIVATE KEY-----" $c.Key'])
s.exprs("htpasswd-colon", ['htpasswd "us:er" "pw"'])

# Functions taking key material: fixed test keys (fixtures/), so .Key and the
# custom certificate are deterministic; generated certificates only by form.
import base64 as _b64
import os as _os
_FX = _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), "fixtures")


def _fx(name):
    with open(_os.path.join(_FX, name)) as f:
        return f.read()


RSA, EC, CERT = _fx("rsa.pem"), _fx("ec.pem"), _fx("cert.pem")
KV = "rsa: |\n%s\nec: |\n%s\ncert: |\n%s\ncertb64: %s\nrsab64: %s\n" % (
    "".join("  " + l + "\n" for l in RSA.strip().split("\n")).rstrip("\n"),
    "".join("  " + l + "\n" for l in EC.strip().split("\n")).rstrip("\n"),
    "".join("  " + l + "\n" for l in CERT.strip().split("\n")).rstrip("\n"),
    _b64.b64encode(CERT.encode()).decode(), _b64.b64encode(RSA.encode()).decode())
s.exprs("buildCustomCert", ['~(buildCustomCert .Values.certb64 .Values.rsab64).Cert',
                            '~(buildCustomCert .Values.certb64 .Values.rsab64).Key'], values=KV)
s.err("buildCustomCert-bad-b64", 'buildCustomCert "!!" .Values.rsab64', values=KV)
s.err("buildCustomCert-bad-pem", 'buildCustomCert (b64enc "x") .Values.rsab64', values=KV)
s.err("buildCustomCert-bad-key", 'buildCustomCert .Values.certb64 (b64enc "nokey")', values=KV)
s.exprs("genCAWithKey", ['~(genCAWithKey "ca" 30 .Values.rsa).Key',
                         'hasPrefix "-----BEGIN CERTIFICATE-----" (genCAWithKey "ca" 30 .Values.rsa).Cert',
                         '~(genCAWithKey "ca" 30 .Values.ec).Key'], values=KV)
s.err("genCAWithKey-bad-key", 'genCAWithKey "ca" 30 "not a key"', values=KV)
s.exprs("genSelfSignedCertWithKey", [
    '~(genSelfSignedCertWithKey "x.com" (list "10.0.0.1") (list "x.com" "y.com") 30 .Values.rsa).Key',
    'hasPrefix "-----BEGIN CERTIFICATE-----" (genSelfSignedCertWithKey "x" nil nil 1 .Values.rsa).Cert'],
    values=KV)
s.err("genSelfSignedCert-bad-ip", 'genSelfSignedCert "x" (list "not-an-ip") nil 30')
s.exprs("genSignedCert", [
    '$ca := genCA "ca" 30 }}{{ $c := genSignedCert "svc" (list "1.2.3.4") (list "svc.local") 30 $ca }}{{ hasPrefix "-----BEGIN CERTIFICATE-----" $c.Cert',
    '$ca := genCAWithKey "ca" 30 .Values.rsa }}{{ $c := genSignedCertWithKey "svc" nil nil 30 $ca .Values.ec }}{{ $c.Key | b64enc'],
    values=KV)
s.err("genSignedCertWithKey-bad-key",
      '$ca := genCA "ca" 30 }}{{ genSignedCertWithKey "s" nil nil 30 $ca "bad"', values=KV)
s.exprs("getHostByName-form", ['getHostByName "localhost" | regexMatch "^[0-9a-f.:]+$"'])
