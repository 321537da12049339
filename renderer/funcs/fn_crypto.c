/* fn_crypto.c — Sprig's crypto family as Helm v4.1.4 runs it
 * (Masterminds/sprig v3.3.0 on Go's crypto/x509, x/crypto bcrypt and scrypt):
 * sha1sum sha256sum sha512sum adler32sum bcrypt htpasswd randBytes
 * derivePassword genPrivateKey buildCustomCert genCA genCAWithKey
 * genSelfSignedCert genSelfSignedCertWithKey genSignedCert
 * genSignedCertWithKey encryptAES decryptAES.
 *
 * Keys and certificates are made with OpenSSL and written as Go's encoders
 * write them: RSA keys as PKCS#1 "RSA PRIVATE KEY", ECDSA as SEC1
 * "EC PRIVATE KEY", DSA as "DSA PRIVATE KEY" (version, p, q, g, y, x),
 * Ed25519 as PKCS#8 "PRIVATE KEY"; certificates as x509.CreateCertificate
 * builds sprig's template (v3, random 128-bit serial, CN-only subject, key
 * usage, server+client auth, basic constraints, SKID on CAs, AKID from the
 * signer, DNS and IP SANs). bcrypt hashes come from libcrypt ("$2a$", cost 10).
 */
#include <crypt.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>
#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "core/base64.h"
#include "core/digest.h"
#include "core/gofmt.h"
#include "renderer/funcs/rsa_gen.h"
#include "core/strbuf.h"
#include "core/value.h"

/* ---- encodings ----------------------------------------------------------------- */

static void b64_encode(strbuf *o, const unsigned char *p, size_t n) { base64_encode(o, p, n, B64_STD); }
static int b64_decode(strbuf *o, const char *s, size_t n, size_t *errpos)
{
    return base64_decode(o, s, n, B64_STD, errpos);
}

/* pem.EncodeToMemory */
static void pem_encode(strbuf *o, const char *type, const unsigned char *der, size_t n)
{
    sb_addf(o, "-----BEGIN %s-----\n", type);
    strbuf b = STRBUF_INIT;
    b64_encode(&b, der, n);
    for (size_t i = 0; i < b.len; i += 64) {
        sb_add(o, b.buf + i, b.len - i < 64 ? b.len - i : 64);
        sb_addc(o, '\n');
    }
    sb_release(&b);
    sb_addf(o, "-----END %s-----\n", type);
}

/* pem.Decode (the first block, without headers): type and DER bytes.
 * Returns 0 or -1 when there is no PEM block. */
static int pem_decode(const char *s, size_t n, strbuf *type, strbuf *der)
{
    const char *end = s + n, *p = s;
    while (p < end) {
        const char *b = memmem(p, (size_t)(end - p), "-----BEGIN ", 11);
        if (!b)
            return -1;
        const char *t = b + 11;
        const char *te = memmem(t, (size_t)(end - t), "-----", 5);
        if (!te || memchr(t, '\n', (size_t)(te - t))) {
            p = b + 11;
            continue;
        }
        const char *body = te + 5;
        while (body < end && (*body == '\r' || *body == '\n' || *body == ' ' || *body == '\t'))
            body++;
        strbuf endline = STRBUF_INIT;
        sb_adds(&endline, "-----END ");
        sb_add(&endline, t, (size_t)(te - t));
        sb_adds(&endline, "-----");
        const char *e = memmem(body, (size_t)(end - body), endline.buf, endline.len);
        sb_release(&endline);
        if (!e) {
            p = b + 11;
            continue;
        }
        strbuf clean = STRBUF_INIT;
        for (const char *q = body; q < e; q++)
            if (*q != ' ' && *q != '\t' && *q != '\r' && *q != '\n')
                sb_addc(&clean, *q);
        size_t ep;
        sb_reset(der);
        int rc = b64_decode(der, sb_str(&clean), clean.len, &ep);
        sb_release(&clean);
        if (rc < 0) {
            p = b + 11;
            continue;
        }
        sb_reset(type);
        sb_add(type, t, (size_t)(te - t));
        return 0;
    }
    return -1;
}

/* ---- hashes ------------------------------------------------------------------------ */

/* Through core/digest (OpenSSL's direct hashes): an EVP digest would first
 * load OpenSSL's configuration and providers, slower than a whole render. */
static cval *hex_digest(cv_call *c, digest_kind kind, const cval *in)
{
    char hex[2 * DIGEST_MAX_SIZE + 1];
    digest_hex(kind, in->u.str.s, in->u.str.len, hex);
    return cv_string(c->a, hex, 2 * digest_size(kind));
}

static cval *fn_sha1sum(cv_call *c, int argc, cval **argv) { (void)argc; return hex_digest(c, DIGEST_SHA1, argv[0]); }
static cval *fn_sha256sum(cv_call *c, int argc, cval **argv) { (void)argc; return hex_digest(c, DIGEST_SHA256, argv[0]); }
static cval *fn_sha512sum(cv_call *c, int argc, cval **argv) { (void)argc; return hex_digest(c, DIGEST_SHA512, argv[0]); }

static cval *fn_adler32sum(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    uint32_t a = 1, b = 0;
    const unsigned char *p = (const unsigned char *)argv[0]->u.str.s;
    for (size_t i = 0; i < argv[0]->u.str.len; i++) {
        a = (a + p[i]) % 65521;
        b = (b + a) % 65521;
    }
    return cv_cstring(c->a, arena_printf(c->a, "%u", (unsigned)(b << 16 | a)));
}

/* ---- bcrypt, htpasswd, randBytes ---------------------------------------------------- */

static const char *bcrypt_hash(arena *a, const char *pw, size_t len)
{
    if (len > 72)
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes";
    char setting[CRYPT_GENSALT_OUTPUT_SIZE];
    if (!crypt_gensalt_rn("$2a$", 10, NULL, 0, setting, sizeof setting))
        return arena_printf(a, "failed to encrypt string with bcrypt: %s", strerror(errno));
    struct crypt_data *cd = arena_zalloc(a, sizeof *cd);
    char *pwz = arena_strndup(a, pw, len);
    const char *h = crypt_rn(pwz, setting, cd, sizeof *cd);
    if (!h || h[0] == '*')
        return "failed to encrypt string with bcrypt: crypt failed";
    return arena_strdup(a, h);
}

static cval *fn_bcrypt(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    return cv_cstring(c->a, bcrypt_hash(c->a, argv[0]->u.str.s, argv[0]->u.str.len));
}

static cval *fn_htpasswd(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    const cval *u = argv[0];
    if (memchr(u->u.str.s, ':', u->u.str.len))
        return cv_cstring(c->a, arena_printf(c->a, "invalid username: %s", u->u.str.s));
    const char *h = bcrypt_hash(c->a, argv[1]->u.str.s, argv[1]->u.str.len);
    return cv_cstring(c->a, arena_printf(c->a, "%s:%s", u->u.str.s, h));
}

static cval *fn_rand_bytes(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    int64_t n = argv[0]->u.i;
    if (n < 0)
        return cv_call_fail(c, "runtime error: makeslice: len out of range");
    if (n > (1 << 26))
        return cv_call_fail(c, "randBytes: %lld bytes is too many", (long long)n);
    unsigned char *buf = arena_alloc(c->a, (size_t)n + 1);
    if (n > 0 && RAND_bytes(buf, (int)n) != 1)
        return cv_call_fail(c, "randBytes: no randomness available");
    strbuf o = STRBUF_INIT;
    b64_encode(&o, buf, (size_t)n);
    cval *v = cv_string(c->a, sb_str(&o), o.len);
    sb_release(&o);
    return v;
}

/* ---- derivePassword (Master Password) ----------------------------------------------- */

static const struct {
    const char *name;
    const char *const *tpl;
    size_t n;
} pw_types[] = {
#define T(...) (const char *const[]){__VA_ARGS__}, sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *)
    {"maximum", T("anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno")},
    {"long", T("CvcvnoCvcvCvcv", "CvcvCvcvnoCvcv", "CvcvCvcvCvcvno", "CvccnoCvcvCvcv", "CvccCvcvnoCvcv",
               "CvccCvcvCvcvno", "CvcvnoCvccCvcv", "CvcvCvccnoCvcv", "CvcvCvccCvcvno", "CvcvnoCvcvCvcc",
               "CvcvCvcvnoCvcc", "CvcvCvcvCvccno", "CvccnoCvccCvcv", "CvccCvccnoCvcv", "CvccCvccCvcvno",
               "CvcvnoCvccCvcc", "CvcvCvccnoCvcc", "CvcvCvccCvccno", "CvccnoCvcvCvcc", "CvccCvcvnoCvcc",
               "CvccCvcvCvccno")},
    {"medium", T("CvcnoCvc", "CvcCvcno")},
    {"short", T("Cvcn")},
    {"basic", T("aaanaaan", "aannaaan", "aaannaaa")},
    {"pin", T("nnnn")},
#undef T
};

static const char *pw_chars(char c)
{
    switch (c) {
    case 'V': return "AEIOU";
    case 'C': return "BCDFGHJKLMNPQRSTVWXYZ";
    case 'v': return "aeiou";
    case 'c': return "bcdfghjklmnpqrstvwxyz";
    case 'A': return "AEIOUBCDFGHJKLMNPQRSTVWXYZ";
    case 'a': return "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz";
    case 'n': return "0123456789";
    case 'o': return "@&%?,=[]_:-+*$#!'^~;()/.";
    case 'x': return "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()";
    }
    return "";
}

static void put_be32(strbuf *o, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8), (unsigned char)v};
    sb_add(o, b, 4);
}

static cval *fn_derive_password(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    uint32_t counter = (uint32_t)argv[0]->u.u;
    const cval *typ = argv[1], *pw = argv[2], *user = argv[3], *site = argv[4];
    const char *const *tpls = NULL;
    size_t ntpl = 0;
    for (size_t i = 0; i < sizeof pw_types / sizeof *pw_types; i++)
        if (strcmp(pw_types[i].name, typ->u.str.s) == 0)
            tpls = pw_types[i].tpl, ntpl = pw_types[i].n;
    if (!tpls)
        return cv_cstring(c->a, arena_printf(c->a, "cannot find password template %s", typ->u.str.s));
    static const char seed[] = "com.lyndir.masterpassword";
    strbuf buf = STRBUF_INIT;
    sb_adds(&buf, seed);
    put_be32(&buf, (uint32_t)user->u.str.len);
    sb_add(&buf, user->u.str.s, user->u.str.len);
    unsigned char key[64];
    if (EVP_PBE_scrypt(pw->u.str.s, pw->u.str.len, (const unsigned char *)buf.buf, buf.len, 32768, 8, 2,
                       (uint64_t)256 << 20, key, sizeof key) != 1) {
        sb_release(&buf);
        return cv_cstring(c->a, "failed to derive password: scrypt failed");
    }
    sb_setlen(&buf, sizeof seed - 1);
    put_be32(&buf, (uint32_t)site->u.str.len);
    sb_add(&buf, site->u.str.s, site->u.str.len);
    put_be32(&buf, counter);
    unsigned char mac[32];
    unsigned int maclen = 0;
    bool macked = HMAC(EVP_sha256(), key, sizeof key, (const unsigned char *)buf.buf, buf.len, mac, &maclen) != NULL;
    sb_release(&buf);
    if (!macked || maclen != sizeof mac)
        return cv_cstring(c->a, "failed to derive password: HMAC-SHA256 failed");
    const char *tpl = tpls[mac[0] % ntpl];
    size_t tl = strlen(tpl);
    char *out = arena_alloc(c->a, tl + 1);
    for (size_t i = 0; i < tl; i++) {
        const char *chars = pw_chars(tpl[i]);
        out[i] = chars[mac[i + 1] % strlen(chars)];
    }
    out[tl] = '\0';
    return cv_cstring(c->a, out);
}

/* ---- keys ------------------------------------------------------------------------- */

static void pkey_free(void *p) { EVP_PKEY_free(p); }
static void x509_free(void *p) { X509_free(p); }

/* pemBlockForKey + pem.Encode */
static int key_to_pem(strbuf *o, EVP_PKEY *k)
{
    unsigned char *der = NULL;
    int n;
    const char *type;
    int id = EVP_PKEY_get_base_id(k);
    if (id == EVP_PKEY_RSA || id == EVP_PKEY_EC || id == EVP_PKEY_DSA) {
        n = i2d_PrivateKey(k, &der);
        type = id == EVP_PKEY_RSA ? "RSA PRIVATE KEY" : id == EVP_PKEY_EC ? "EC PRIVATE KEY" : "DSA PRIVATE KEY";
    } else {
        PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(k);
        if (!p8)
            return -1;
        n = i2d_PKCS8_PRIV_KEY_INFO(p8, &der);
        PKCS8_PRIV_KEY_INFO_free(p8);
        type = "PRIVATE KEY";
    }
    if (n <= 0)
        return -1;
    pem_encode(o, type, der, (size_t)n);
    OPENSSL_free(der);
    return 0;
}

static EVP_PKEY *gen_dsa(void)
{
    EVP_PKEY *params = NULL, *key = NULL;
    EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_name(NULL, "DSA", NULL);
    if (!pc || EVP_PKEY_paramgen_init(pc) <= 0 || EVP_PKEY_CTX_set_dsa_paramgen_bits(pc, 2048) <= 0 ||
        EVP_PKEY_CTX_set_dsa_paramgen_q_bits(pc, 256) <= 0 || EVP_PKEY_paramgen(pc, &params) <= 0) {
        EVP_PKEY_CTX_free(pc);
        return NULL;
    }
    EVP_PKEY_CTX_free(pc);
    EVP_PKEY_CTX *kc = EVP_PKEY_CTX_new_from_pkey(NULL, params, NULL);
    if (!kc || EVP_PKEY_keygen_init(kc) <= 0 || EVP_PKEY_keygen(kc, &key) <= 0)
        key = NULL;
    EVP_PKEY_CTX_free(kc);
    EVP_PKEY_free(params);
    return key;
}

static cval *fn_gen_private_key(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    const char *typ = argv[0]->u.str.s;
    EVP_PKEY *k = NULL;
    if (!*typ || strcmp(typ, "rsa") == 0)
        k = rsa_gen_key(4096);
    else if (strcmp(typ, "dsa") == 0)
        k = gen_dsa();
    else if (strcmp(typ, "ecdsa") == 0)
        k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    else if (strcmp(typ, "ed25519") == 0)
        k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    else
        return cv_cstring(c->a, arena_printf(c->a, "Unknown type %s", typ));
    if (!k)
        return cv_cstring(c->a, "failed to generate private key: key generation failed");
    strbuf o = STRBUF_INIT;
    key_to_pem(&o, k);
    EVP_PKEY_free(k);
    cval *v = cv_string(c->a, sb_str(&o), o.len);
    sb_release(&o);
    return v;
}

/* Go's encoding/asn1 error for DER whose outer element is cut short, or
 * NULL when the outer element is whole. */
static const char *asn1_truncated(const strbuf *der, int min_elems)
{
    const unsigned char *p = (const unsigned char *)der->buf;
    long len = 0;
    int tag = 0, cls = 0;
    if (der->len == 0)
        return "asn1: syntax error: sequence truncated";
    int r = ASN1_get_object(&p, &len, &tag, &cls, (long)der->len);
    if (r & 0x80)
        return "asn1: syntax error: truncated tag or length";
    /* fewer elements than the structure's mandatory ones */
    const unsigned char *end = p + len;
    int n = 0;
    while (p < end) {
        long l2;
        int t2, c2;
        const unsigned char *q = p;
        if (ASN1_get_object(&q, &l2, &t2, &c2, (long)(end - p)) & 0x80)
            return "asn1: syntax error: truncated tag or length";
        p = q + l2;
        n++;
    }
    if (n < min_elems)
        return "asn1: syntax error: sequence truncated";
    return NULL;
}

/* parsePrivateKeyPEM; the key is freed with the arena. NULL with *err. */
static EVP_PKEY *parse_key_pem(arena *a, const char *s, size_t n, const char **err)
{
    strbuf type = STRBUF_INIT, der = STRBUF_INIT;
    EVP_PKEY *k = NULL;
    if (pem_decode(s, n, &type, &der) < 0) {
        *err = "no PEM data in input";
        goto out;
    }
    const unsigned char *p = (const unsigned char *)der.buf;
    const char *t = sb_str(&type);
    size_t tl = type.len;
    if (strcmp(t, "PRIVATE KEY") == 0) {
        PKCS8_PRIV_KEY_INFO *p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)der.len);
        if (p8) {
            k = EVP_PKCS82PKEY(p8);
            PKCS8_PRIV_KEY_INFO_free(p8);
        }
        if (!k) {
            const char *t2 = asn1_truncated(&der, 3);
            *err = t2 ? arena_printf(a, "decoding PEM as PKCS#8: %s", t2)
                      : "decoding PEM as PKCS#8: x509: failed to parse private key";
        }
        goto out;
    }
    if (tl < 12 || strcmp(t + tl - 12, " PRIVATE KEY") != 0) {
        *err = arena_printf(a, "no private key data in PEM block of type %s", t);
        goto out;
    }
    if (tl == 15 && memcmp(t, "RSA", 3) == 0) {
        k = d2i_PrivateKey(EVP_PKEY_RSA, NULL, &p, (long)der.len);
        if (!k) {
            const char *t2 = asn1_truncated(&der, 9);
            *err = arena_printf(a, "parsing RSA private key from PEM: %s", t2 ? t2 : "x509: failed to parse private key");
        }
    } else if (tl == 14 && memcmp(t, "EC", 2) == 0) {
        k = d2i_PrivateKey(EVP_PKEY_EC, NULL, &p, (long)der.len);
        if (!k) {
            const char *t2 = asn1_truncated(&der, 2);
            *err = arena_printf(a, "parsing EC private key from PEM: x509: failed to parse EC private key%s%s",
                                t2 ? ": " : "", t2 ? t2 : "");
        }
    } else if (tl == 15 && memcmp(t, "DSA", 3) == 0) {
        k = d2i_PrivateKey(EVP_PKEY_DSA, NULL, &p, (long)der.len);
        if (!k) {
            const char *t2 = asn1_truncated(&der, 6);
            *err = arena_printf(a, "parsing DSA private key from PEM: %s", t2 ? t2 : "asn1: structure error");
        }
    } else {
        *err = arena_printf(a, "invalid private key type %s", t);
    }
out:
    sb_release(&type);
    sb_release(&der);
    if (k)
        arena_defer(a, pkey_free, k);
    return k;
}

/* ---- certificates ------------------------------------------------------------------ */

typedef struct cert_pair {
    const char *cert;
    const char *key;
} cert_pair;

static cval *cert_field(arena *a, void *self, const char *name)
{
    cert_pair *p = self;
    if (strcmp(name, "Cert") == 0)
        return cv_cstring(a, p->cert);
    if (strcmp(name, "Key") == 0)
        return cv_cstring(a, p->key);
    return NULL;
}

static void cert_fmt(strbuf *o, void *self)
{
    cert_pair *p = self;
    sb_addf(o, "{%s %s}", p->cert, p->key);
}

const cv_class fn_certificate_class = {"sprig.certificate", "struct", cert_field, NULL, cert_fmt, NULL};

static cval *cert_val(arena *a, const char *cert, const char *key)
{
    cert_pair *p = arena_alloc(a, sizeof *p);
    p->cert = arena_strdup(a, cert);
    p->key = arena_strdup(a, key);
    return cv_object(a, &fn_certificate_class, p);
}

static void elem_v(strbuf *o, const cval *v) { gofmt_value(o, v); }

/* net.ParseIP into 4 or 16 bytes (4 when it is an IPv4 address, as To4). */
static int parse_ip(const char *s, unsigned char *out)
{
    struct in_addr a4;
    struct in6_addr a6;
    if (inet_pton(AF_INET, s, &a4) == 1) {
        /* Go rejects leading zeros in IPv4 fields */
        for (const char *p = s; *p; p++)
            if (*p == '0' && (p == s || p[-1] == '.') && p[1] >= '0' && p[1] <= '9')
                return 0;
        memcpy(out, &a4, 4);
        return 4;
    }
    if (inet_pton(AF_INET6, s, &a6) == 1) {
        static const unsigned char v4pfx[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        if (memcmp(a6.s6_addr, v4pfx, 12) == 0) {
            memcpy(out, a6.s6_addr + 12, 4);
            return 4;
        }
        memcpy(out, a6.s6_addr, 16);
        return 16;
    }
    return 0;
}

typedef struct tmpl {
    const char *cn;
    GENERAL_NAMES *sans;
    int64_t days;
    bool is_ca;
} tmpl;

static void sans_free(void *p) { GENERAL_NAMES_free(p); }

/* getBaseCertTemplate's argument checks; fills t->sans. NULL error = ok. */
static const char *base_template(arena *a, tmpl *t, const cval *ips, const cval *dns)
{
    t->sans = sk_GENERAL_NAME_new_null();
    arena_defer(a, sans_free, t->sans);
    size_t nip = cv_is(ips, CV_LIST) ? cv_list_len(ips) : 0, ndns = cv_is(dns, CV_LIST) ? cv_list_len(dns) : 0;
    GENERAL_NAME **ipnames = arena_zalloc(a, (nip + 1) * sizeof *ipnames);
    for (size_t i = 0; i < nip; i++) {
        const cval *e = cv_list_get(ips, i);
        if (e->kind != CV_STRING || (e->gotype && strcmp(e->gotype, "string") != 0)) {
            strbuf m = STRBUF_INIT;
            sb_adds(&m, "error parsing ip: ");
            elem_v(&m, e);
            sb_adds(&m, " is not a string");
            const char *r = arena_strdup(a, sb_str(&m));
            sb_release(&m);
            return r;
        }
        unsigned char b[16];
        int n = parse_ip(e->u.str.s, b);
        if (n == 0)
            return arena_printf(a, "error parsing ip: %s", e->u.str.s);
        GENERAL_NAME *g = GENERAL_NAME_new();
        ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
        ASN1_OCTET_STRING_set(os, b, n);
        GENERAL_NAME_set0_value(g, GEN_IPADD, os);
        ipnames[i] = g;
    }
    for (size_t i = 0; i < ndns; i++) {
        const cval *e = cv_list_get(dns, i);
        if (e->kind != CV_STRING || (e->gotype && strcmp(e->gotype, "string") != 0)) {
            for (size_t k = 0; k < nip; k++)
                GENERAL_NAME_free(ipnames[k]);
            strbuf m = STRBUF_INIT;
            sb_adds(&m, "error processing alternate dns name: ");
            elem_v(&m, e);
            sb_adds(&m, " is not a string");
            const char *r = arena_strdup(a, sb_str(&m));
            sb_release(&m);
            return r;
        }
        GENERAL_NAME *g = GENERAL_NAME_new();
        ASN1_IA5STRING *s = ASN1_IA5STRING_new();
        ASN1_STRING_set(s, e->u.str.s, (int)e->u.str.len);
        GENERAL_NAME_set0_value(g, GEN_DNS, s);
        sk_GENERAL_NAME_push(t->sans, g);
    }
    /* Go writes DNS names before IP addresses */
    for (size_t i = 0; i < nip; i++)
        sk_GENERAL_NAME_push(t->sans, ipnames[i]);
    return NULL;
}

static bool printable(const char *s)
{
    for (; *s; s++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr(" '()+,-./:=?", c)))
            return false;
    }
    return true;
}

static ASN1_OCTET_STRING *key_id(X509 *x)
{
    /* SHA-1 of the subjectPublicKey bits, as Go and OpenSSL's "hash" */
    unsigned char md[20];
    unsigned int n = 0;
    if (!X509_pubkey_digest(x, EVP_sha1(), md, &n))
        return NULL;
    ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
    ASN1_OCTET_STRING_set(os, md, (int)n);
    return os;
}

/* Sprig's NotBefore = time.Now(), NotAfter = NotBefore.Add(time.Hour * 24 *
 * time.Duration(days)): the product wraps in int64 as Go's does, so a huge
 * day count gives a date within 292 years of now, before or after it, and
 * x509 writes whole seconds. Returns now's seconds, *not_after NotAfter's. */
static time_t validity(int64_t days, int64_t *not_after)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t d = (int64_t)((uint64_t)days * 86400000000000ULL);
    int64_t sec = (int64_t)ts.tv_sec + d / 1000000000, ns = ts.tv_nsec + d % 1000000000;
    if (ns < 0)
        sec--;
    else if (ns >= 1000000000)
        sec++;
    *not_after = sec;
    return ts.tv_sec;
}

/* getCertAndKey: x509.CreateCertificate(template, parent, pub(signee), signer). */
static const char *make_cert(arena *a, const tmpl *t, EVP_PKEY *signee, X509 *parent, EVP_PKEY *signer,
                             strbuf *cert_pem, strbuf *key_pem)
{
    int sid = EVP_PKEY_get_base_id(signer), pid = EVP_PKEY_get_base_id(signee);
    if (sid != EVP_PKEY_RSA && sid != EVP_PKEY_EC && sid != EVP_PKEY_ED25519)
        return "error creating certificate: x509: certificate private key does not implement crypto.Signer";
    if (pid != EVP_PKEY_RSA && pid != EVP_PKEY_EC && pid != EVP_PKEY_ED25519)
        return "error creating certificate: x509: unsupported public key type: *dsa.PublicKey";
    const EVP_MD *md = NULL;
    if (sid == EVP_PKEY_RSA) {
        md = EVP_sha256();
    } else if (sid == EVP_PKEY_EC) {
        int bits = EVP_PKEY_get_bits(signer);
        md = bits > 384 ? EVP_sha512() : bits > 256 ? EVP_sha384() : EVP_sha256();
    }
    X509 *x = X509_new();
    if (!x)
        return "error creating certificate: out of memory";
    arena_defer(a, x509_free, x);
    X509_set_version(x, 2);
    BIGNUM *bound = BN_new(), *serial = BN_new();
    ASN1_INTEGER *sn = NULL;
    int serial_ok = bound && serial && BN_set_bit(bound, 128) && BN_rand_range(serial, bound) &&
                    (sn = BN_to_ASN1_INTEGER(serial, NULL)) && X509_set_serialNumber(x, sn);
    ASN1_INTEGER_free(sn);
    BN_free(bound);
    BN_free(serial);
    if (!serial_ok)
        return "failed to generate serial number: no randomness available";
    X509_NAME *name = X509_NAME_new();
    if (!name || (*t->cn && !X509_NAME_add_entry_by_NID(name, NID_commonName,
                                                       printable(t->cn) ? V_ASN1_PRINTABLESTRING : V_ASN1_UTF8STRING,
                                                       (const unsigned char *)t->cn, -1, -1, 0))) {
        X509_NAME_free(name);
        return "error creating certificate: x509: cannot encode the common name";
    }
    X509_set_subject_name(x, name);
    X509_set_issuer_name(x, parent ? X509_get_subject_name(parent) : name);
    bool self_issued = !parent || X509_NAME_cmp(X509_get_subject_name(parent), name) == 0;
    X509_NAME_free(name);
    int64_t not_after;
    time_t now = validity(t->days, &not_after);
    ASN1_TIME *nb = ASN1_TIME_set(NULL, now);
    ASN1_TIME *na = ASN1_TIME_set(NULL, (time_t)not_after);
    int ok = nb && na && X509_set1_notBefore(x, nb) && X509_set1_notAfter(x, na);
    ASN1_TIME_free(nb);
    ASN1_TIME_free(na);
    if (!ok)
        return "error creating certificate: x509: cannot encode the validity period";
    X509_set_pubkey(x, signee);

    ASN1_BIT_STRING *ku = ASN1_BIT_STRING_new();
    ASN1_BIT_STRING_set_bit(ku, 0, 1); /* digitalSignature */
    ASN1_BIT_STRING_set_bit(ku, 2, 1); /* keyEncipherment */
    if (t->is_ca)
        ASN1_BIT_STRING_set_bit(ku, 5, 1); /* keyCertSign */
    X509_add1_ext_i2d(x, NID_key_usage, ku, 1, X509V3_ADD_DEFAULT);
    ASN1_BIT_STRING_free(ku);
    EXTENDED_KEY_USAGE *eku = sk_ASN1_OBJECT_new_null();
    sk_ASN1_OBJECT_push(eku, OBJ_nid2obj(NID_server_auth));
    sk_ASN1_OBJECT_push(eku, OBJ_nid2obj(NID_client_auth));
    X509_add1_ext_i2d(x, NID_ext_key_usage, eku, 0, X509V3_ADD_DEFAULT);
    sk_ASN1_OBJECT_free(eku);
    BASIC_CONSTRAINTS *bc = BASIC_CONSTRAINTS_new();
    bc->ca = t->is_ca ? 0xFF : 0;
    X509_add1_ext_i2d(x, NID_basic_constraints, bc, 1, X509V3_ADD_DEFAULT);
    BASIC_CONSTRAINTS_free(bc);
    if (t->is_ca) {
        ASN1_OCTET_STRING *skid = key_id(x);
        X509_add1_ext_i2d(x, NID_subject_key_identifier, skid, 0, X509V3_ADD_DEFAULT);
        ASN1_OCTET_STRING_free(skid);
    }
    if (parent && !self_issued) {
        const ASN1_OCTET_STRING *pskid = X509_get0_subject_key_id(parent);
        if (pskid) {
            AUTHORITY_KEYID *akid = AUTHORITY_KEYID_new();
            akid->keyid = ASN1_OCTET_STRING_dup(pskid);
            X509_add1_ext_i2d(x, NID_authority_key_identifier, akid, 0, X509V3_ADD_DEFAULT);
            AUTHORITY_KEYID_free(akid);
        }
    }
    if (sk_GENERAL_NAME_num(t->sans) > 0)
        X509_add1_ext_i2d(x, NID_subject_alt_name, t->sans, !*t->cn, X509V3_ADD_DEFAULT);
    if (X509_sign(x, signer, md) <= 0)
        return "error creating certificate: x509: signing failed";
    unsigned char *der = NULL;
    int n = i2d_X509(x, &der);
    if (n <= 0)
        return "error creating certificate: x509: encoding failed";
    pem_encode(cert_pem, "CERTIFICATE", der, (size_t)n);
    OPENSSL_free(der);
    if (key_to_pem(key_pem, signee) < 0)
        return "error pem-encoding key: unsupported key";
    return NULL;
}

static EVP_PKEY *rsa2048(arena *a)
{
    EVP_PKEY *k = rsa_gen_key(2048);
    if (k)
        arena_defer(a, pkey_free, k);
    return k;
}

static cval *finish(cv_call *c, const tmpl *t, EVP_PKEY *signee, X509 *parent, EVP_PKEY *signer)
{
    strbuf cp = STRBUF_INIT, kp = STRBUF_INIT;
    const char *err = make_cert(c->a, t, signee, parent, signer ? signer : signee, &cp, &kp);
    cval *v = err ? NULL : cert_val(c->a, sb_str(&cp), sb_str(&kp));
    sb_release(&cp);
    sb_release(&kp);
    if (err)
        return cv_call_fail(c, "%s", err);
    return v;
}

static cval *gen_ca(cv_call *c, cval **argv, EVP_PKEY *k)
{
    tmpl t = {argv[0]->u.str.s, NULL, argv[1]->u.i, true};
    base_template(c->a, &t, NULL, NULL);
    return finish(c, &t, k, NULL, NULL);
}

static cval *fn_gen_ca(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    EVP_PKEY *k = rsa2048(c->a);
    if (!k)
        return cv_call_fail(c, "error generating rsa key: key generation failed");
    return gen_ca(c, argv, k);
}

static cval *fn_gen_ca_with_key(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    const char *err;
    EVP_PKEY *k = parse_key_pem(c->a, argv[2]->u.str.s, argv[2]->u.str.len, &err);
    if (!k)
        return cv_call_fail(c, "parsing private key: %s", err);
    return gen_ca(c, argv, k);
}

static cval *self_signed(cv_call *c, cval **argv, EVP_PKEY *k)
{
    tmpl t = {argv[0]->u.str.s, NULL, argv[3]->u.i, false};
    const char *err = base_template(c->a, &t, argv[1], argv[2]);
    if (err)
        return cv_call_fail(c, "%s", err);
    return finish(c, &t, k, NULL, NULL);
}

static cval *fn_gen_self_signed(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    EVP_PKEY *k = rsa2048(c->a);
    if (!k)
        return cv_call_fail(c, "error generating rsa key: key generation failed");
    return self_signed(c, argv, k);
}

static cval *fn_gen_self_signed_with_key(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    const char *err;
    EVP_PKEY *k = parse_key_pem(c->a, argv[4]->u.str.s, argv[4]->u.str.len, &err);
    if (!k)
        return cv_call_fail(c, "parsing private key: %s", err);
    return self_signed(c, argv, k);
}

static cval *signed_cert(cv_call *c, cval **argv, EVP_PKEY *k)
{
    const cval *ca = argv[4];
    if (!cv_is(ca, CV_OBJECT) || ca->u.obj.cls != &fn_certificate_class)
        return cv_call_fail(c, "wrong type for value; expected sprig.certificate; got %s", cv_gotype(ca));
    const cert_pair *cp = ca->u.obj.self;
    strbuf type = STRBUF_INIT, der = STRBUF_INIT;
    if (pem_decode(cp->cert, strlen(cp->cert), &type, &der) < 0) {
        sb_release(&type);
        sb_release(&der);
        return cv_call_fail(c, "unable to decode certificate");
    }
    const unsigned char *p = (const unsigned char *)der.buf;
    X509 *parent = d2i_X509(NULL, &p, (long)der.len);
    sb_release(&type);
    sb_release(&der);
    if (!parent)
        return cv_call_fail(c, "error parsing certificate: decodedSignerCert.Bytes: x509: malformed certificate");
    arena_defer(c->a, x509_free, parent);
    const char *err;
    EVP_PKEY *signer = parse_key_pem(c->a, cp->key, strlen(cp->key), &err);
    if (!signer)
        return cv_call_fail(c, "error parsing private key: %s", err);
    tmpl t = {argv[0]->u.str.s, NULL, argv[3]->u.i, false};
    err = base_template(c->a, &t, argv[1], argv[2]);
    if (err)
        return cv_call_fail(c, "%s", err);
    return finish(c, &t, k, parent, signer);
}

static cval *fn_gen_signed(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    EVP_PKEY *k = rsa2048(c->a);
    if (!k)
        return cv_call_fail(c, "error generating rsa key: key generation failed");
    return signed_cert(c, argv, k);
}

static cval *fn_gen_signed_with_key(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    const char *err;
    EVP_PKEY *k = parse_key_pem(c->a, argv[5]->u.str.s, argv[5]->u.str.len, &err);
    if (!k)
        return cv_call_fail(c, "parsing private key: %s", err);
    return signed_cert(c, argv, k);
}

static cval *fn_build_custom_cert(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    strbuf cert = STRBUF_INIT, key = STRBUF_INIT, type = STRBUF_INIT, der = STRBUF_INIT;
    size_t ep;
    const char *err = NULL;
    cval *res = NULL;
    if (b64_decode(&cert, argv[0]->u.str.s, argv[0]->u.str.len, &ep) < 0) {
        err = "unable to decode base64 certificate";
        goto out;
    }
    if (b64_decode(&key, argv[1]->u.str.s, argv[1]->u.str.len, &ep) < 0) {
        err = "unable to decode base64 private key";
        goto out;
    }
    if (pem_decode(sb_str(&cert), cert.len, &type, &der) < 0) {
        err = "unable to decode certificate";
        goto out;
    }
    const unsigned char *p = (const unsigned char *)der.buf;
    X509 *x = d2i_X509(NULL, &p, (long)der.len);
    if (!x) {
        err = "error parsing certificate: decodedCert.Bytes: x509: malformed certificate";
        goto out;
    }
    X509_free(x);
    const char *kerr;
    if (!parse_key_pem(c->a, sb_str(&key), key.len, &kerr)) {
        err = arena_printf(c->a, "error parsing private key: %s", kerr);
        goto out;
    }
    res = cert_val(c->a, sb_str(&cert), sb_str(&key));
out:
    sb_release(&cert);
    sb_release(&key);
    sb_release(&type);
    sb_release(&der);
    if (err)
        return cv_call_fail(c, "%s", err);
    return res;
}

/* ---- AES ------------------------------------------------------------------------------ */

static void aes_key(const cval *pw, unsigned char key[32])
{
    memset(key, 0, 32);
    memcpy(key, pw->u.str.s, pw->u.str.len < 32 ? pw->u.str.len : 32);
}

/* AES-256-CBC of n bytes (whole blocks) without padding, as Go's
 * cipher.NewCBCEncrypter/Decrypter. -1 when OpenSSL fails or n is past int. */
static int aes_cbc(bool encrypt, const unsigned char key[32], const unsigned char *iv, const unsigned char *in,
                   size_t n, unsigned char *out)
{
    if (n > INT_MAX)
        return -1;
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int outl = 0;
    int ok = ctx && EVP_CipherInit_ex(ctx, EVP_aes_256_cbc(), NULL, key, iv, encrypt ? 1 : 0) == 1 &&
             EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 && EVP_CipherUpdate(ctx, out, &outl, in, (int)n) == 1 &&
             (size_t)outl == n;
    EVP_CIPHER_CTX_free(ctx);
    return ok ? 0 : -1;
}

static cval *fn_encrypt_aes(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    const cval *pt = argv[1];
    if (pt->u.str.len == 0)
        return cv_string(c->a, "", 0);
    unsigned char key[32];
    aes_key(argv[0], key);
    size_t pad = 16 - pt->u.str.len % 16;
    size_t n = pt->u.str.len + pad;
    unsigned char *buf = arena_alloc(c->a, 16 + n), *in = arena_alloc(c->a, n);
    memcpy(in, pt->u.str.s, pt->u.str.len);
    memset(in + pt->u.str.len, (int)pad, pad);
    if (RAND_bytes(buf, 16) != 1)
        return cv_call_fail(c, "encryptAES: no randomness available");
    if (aes_cbc(true, key, buf, in, n, buf + 16) < 0)
        return cv_call_fail(c, "encryptAES: AES-256-CBC failed");
    strbuf o = STRBUF_INIT;
    b64_encode(&o, buf, 16 + n);
    cval *v = cv_string(c->a, sb_str(&o), o.len);
    sb_release(&o);
    return v;
}

static cval *fn_decrypt_aes(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    const cval *ct = argv[1];
    if (ct->u.str.len == 0)
        return cv_string(c->a, "", 0);
    unsigned char key[32];
    aes_key(argv[0], key);
    strbuf raw = STRBUF_INIT;
    size_t ep;
    if (b64_decode(&raw, ct->u.str.s, ct->u.str.len, &ep) < 0) {
        sb_release(&raw);
        return cv_call_fail(c, "illegal base64 data at input byte %zu", ep);
    }
    if (raw.len < 16) {
        sb_release(&raw);
        /* the capacity of DecodeString's buffer: DecodedLen(len(s)) */
        size_t cap = ct->u.str.len / 4 * 3;
        return cv_call_fail(c, "runtime error: slice bounds out of range [:16] with capacity %zu", cap);
    }
    size_t n = raw.len - 16;
    if (n % 16 != 0) {
        sb_release(&raw);
        return cv_call_fail(c, "crypto/cipher: input not full blocks");
    }
    if (n == 0) {
        sb_release(&raw);
        return cv_call_fail(c, "runtime error: index out of range [-1]");
    }
    unsigned char *out = arena_alloc(c->a, n + 16);
    int rc = aes_cbc(false, key, (unsigned char *)raw.buf, (unsigned char *)raw.buf + 16, n, out);
    sb_release(&raw);
    if (rc < 0)
        return cv_call_fail(c, "decryptAES: AES-256-CBC failed");
    size_t padn = out[n - 1];
    if (padn > n)
        return cv_call_fail(c, "runtime error: slice bounds out of range [:%lld]", (long long)n - (long long)padn);
    return cv_string(c->a, (const char *)out, n - padn);
}

const cv_fnreg fn_crypto_table[] = {
    {"adler32sum", fn_adler32sum, "s"},
    {"bcrypt", fn_bcrypt, "s"},
    {"buildCustomCert", fn_build_custom_cert, "ss"},
    {"decryptAES", fn_decrypt_aes, "ss"},
    {"derivePassword", fn_derive_password, "ussss"},
    {"encryptAES", fn_encrypt_aes, "ss"},
    {"genCA", fn_gen_ca, "si"},
    {"genCAWithKey", fn_gen_ca_with_key, "sis"},
    {"genPrivateKey", fn_gen_private_key, "s"},
    {"genSelfSignedCert", fn_gen_self_signed, "slli"},
    {"genSelfSignedCertWithKey", fn_gen_self_signed_with_key, "sllis"},
    {"genSignedCert", fn_gen_signed, "slliv"},
    {"genSignedCertWithKey", fn_gen_signed_with_key, "sllivs"},
    {"htpasswd", fn_htpasswd, "ss"},
    {"randBytes", fn_rand_bytes, "i"},
    {"sha1sum", fn_sha1sum, "s"},
    {"sha256sum", fn_sha256sum, "s"},
    {"sha512sum", fn_sha512sum, "s"},
    {NULL, NULL, NULL},
};
