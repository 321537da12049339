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
