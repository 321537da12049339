/* test_sprig_crypto.c — Sprig's crypto family: deterministic results and
 * error messages against helm v4.1.4's output; keys, certificates, bcrypt
 * hashes and random bytes checked for form with OpenSSL and libcrypt, and
 * against certificates that real helm made. */
#include "unit.h"
#include <stdlib.h>
#include "sprig_extra_run.h"

#include <crypt.h>
#include <stdlib.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "renderer/funcs/rsa_gen.h"

extern const cv_fnreg fn_crypto_table[];
extern const cv_fnreg fn_network_table[];

/* ---- helpers ---- */

static const char *b64dec(arena *a, const char *b64)
{
    BIO *b = BIO_new_mem_buf(b64, -1), *f = BIO_new(BIO_f_base64());
    BIO_set_flags(f, BIO_FLAGS_BASE64_NO_NL);
    b = BIO_push(f, b);
    char *out = arena_zalloc(a, strlen(b64) + 1);
    int n = BIO_read(b, out, (int)strlen(b64));
    BIO_free_all(b);
    out[n > 0 ? n : 0] = '\0';
    return out;
}

static X509 *cert_of(const char *pem)
{
    BIO *b = BIO_new_mem_buf(pem, -1);
    X509 *x = PEM_read_bio_X509(b, NULL, NULL, NULL);
    BIO_free(b);
    return x;
}

static EVP_PKEY *key_of(const char *pem)
{
    BIO *b = BIO_new_mem_buf(pem, -1);
    EVP_PKEY *k = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
    BIO_free(b);
    return k;
}

static const char *field(arena *a, cval *obj, const char *name)
{
    cval *v = obj->u.obj.cls->field(a, obj->u.obj.self, name);
    return v ? v->u.str.s : NULL;
}

static cval *call(arena *a, const char *fn, int argc, cval **argv)
{
    const char *err = NULL;
    cval *v = tcall(a, fn_crypto_table, fn, argc, argv, &err);
    if (!v)
        fail_msg("%s failed: %s", fn, err);
    return v;
}

static cval *slist(arena *a, int n, ...)
{
    va_list ap;
    va_start(ap, n);
    cval *l = cv_list_new(a, (size_t)n);
    for (int i = 0; i < n; i++)
        cv_list_push(l, cv_cstring(a, va_arg(ap, const char *)));
    va_end(ap);
    return l;
}

static const char *cn_of(X509 *x, char *buf, size_t n)
{
    buf[0] = '\0';
    X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, buf, (int)n);
    return buf;
}

/* the SAN entries as "DNS:x" / "IP:y" joined with "," */
static void sans_of(X509 *x, char *out, size_t n)
{
    out[0] = '\0';
    GENERAL_NAMES *g = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
    for (int i = 0; g && i < sk_GENERAL_NAME_num(g); i++) {
        GENERAL_NAME *e = sk_GENERAL_NAME_value(g, i);
        char item[128] = "";
        if (e->type == GEN_DNS) {
            snprintf(item, sizeof item, "DNS:%s", (const char *)ASN1_STRING_get0_data(e->d.dNSName));
        } else if (e->type == GEN_IPADD) {
            char *s = i2s_ASN1_OCTET_STRING(NULL, e->d.iPAddress);
            int len = ASN1_STRING_length(e->d.iPAddress);
            const unsigned char *p = ASN1_STRING_get0_data(e->d.iPAddress);
            if (len == 4)
                snprintf(item, sizeof item, "IP:%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
            else
                snprintf(item, sizeof item, "IP6:%d", len);
            OPENSSL_free(s);
        }
        if (*out)
            strncat(out, ",", n - strlen(out) - 1);
        strncat(out, item, n - strlen(out) - 1);
    }
    GENERAL_NAMES_free(g);
}

/* the extensions as "OID[!]" (! = critical), in order */
static void exts_of(X509 *x, char *out, size_t n)
{
    out[0] = '\0';
    for (int i = 0; i < X509_get_ext_count(x); i++) {
        X509_EXTENSION *e = X509_get_ext(x, i);
        char oid[64];
        OBJ_obj2txt(oid, sizeof oid, X509_EXTENSION_get_object(e), 1);
        strncat(out, oid, n - strlen(out) - 1);
        if (X509_EXTENSION_get_critical(e))
            strncat(out, "!", n - strlen(out) - 1);
        strncat(out, " ", n - strlen(out) - 1);
    }
}

static double days_valid(X509 *x)
{
    int d = 0, s = 0;
    ASN1_TIME_diff(&d, &s, X509_get0_notBefore(x), X509_get0_notAfter(x));
    return d + s / 86400.0;
}

static bool now_within(X509 *x)
{
    time_t now = time(NULL);
    return X509_cmp_time(X509_get0_notBefore(x), &now) <= 0 && X509_cmp_time(X509_get0_notAfter(x), &now) >= 0;
}

/* ---- tests ---- */

static void private_keys_have_go_form(void **state)
{
    (void)state;
    arena *a = arena_new();
    struct { const char *typ, *pemtype; int id; int bits; } kinds[] = {
        {"ecdsa", "-----BEGIN EC PRIVATE KEY-----\n", EVP_PKEY_EC, 256},
        {"ed25519", "-----BEGIN PRIVATE KEY-----\n", EVP_PKEY_ED25519, 256},
        {"rsa", "-----BEGIN RSA PRIVATE KEY-----\n", EVP_PKEY_RSA, 4096},
        {"dsa", "-----BEGIN DSA PRIVATE KEY-----\n", EVP_PKEY_DSA, 2048},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        cval *k = call(a, "genPrivateKey", 1, (cval *[]){cv_cstring(a, kinds[i].typ)});
        const char *pem = k->u.str.s;
        assert_memory_equal(pem, kinds[i].pemtype, strlen(kinds[i].pemtype));
        /* 64-column lines, ending with the END line and a newline */
        const char *body = strchr(pem, '\n') + 1;
        const char *endl = strstr(body, "-----END ");
        for (const char *p = body; p < endl;) {
            const char *nl = strchr(p, '\n');
            assert_true(nl - p <= 64);
            if (nl + 1 < endl)
                assert_int_equal(nl - p, 64);
            p = nl + 1;
        }
        assert_int_equal(pem[strlen(pem) - 1], '\n');
        EVP_PKEY *pk = key_of(pem);
        assert_non_null(pk);
        assert_int_equal(EVP_PKEY_get_base_id(pk), kinds[i].id);
        assert_int_equal(EVP_PKEY_get_bits(pk), kinds[i].bits);
        if (kinds[i].id == EVP_PKEY_RSA) { /* a consistent key: primes, d, CRT values (RSA_check_key) */
            EVP_PKEY_CTX *kc = EVP_PKEY_CTX_new(pk, NULL);
            assert_non_null(kc);
            assert_int_equal(EVP_PKEY_check(kc), 1);
            EVP_PKEY_CTX_free(kc);
        }
        EVP_PKEY_free(pk);
    }
    /* helm's own keys have the same shape */
    const char *hec = b64dec(a, helm_ec_b64), *hed = b64dec(a, helm_ed_b64);
    cval *ec = call(a, "genPrivateKey", 1, (cval *[]){cv_cstring(a, "ecdsa")});
    cval *ed = call(a, "genPrivateKey", 1, (cval *[]){cv_cstring(a, "ed25519")});
    assert_int_equal(strlen(hec), ec->u.str.len);
    assert_int_equal(strlen(hed), ed->u.str.len);
    arena_free(a);
}

static void ca_and_signed_certs(void **state)
{
    (void)state;
    arena *a = arena_new();
    char buf[512], buf2[512];
    cval *ca = call(a, "genCA", 2, (cval *[]){cv_cstring(a, "my-ca"), cv_goint(a, 365)});
    assert_string_equal(cv_gotype(ca), "sprig.certificate");
    X509 *cax = cert_of(field(a, ca, "Cert"));
    EVP_PKEY *cak = key_of(field(a, ca, "Key"));
    assert_non_null(cax);
    assert_non_null(cak);
    assert_memory_equal(field(a, ca, "Key"), "-----BEGIN RSA PRIVATE KEY-----\n", 32);
    assert_int_equal(EVP_PKEY_get_bits(cak), 2048);
    assert_string_equal(cn_of(cax, buf, sizeof buf), "my-ca");
    assert_int_equal(X509_check_ca(cax), 1);
    assert_int_equal(X509_verify(cax, cak), 1);
    assert_int_equal(X509_get_version(cax), 2);
    assert_true(days_valid(cax) > 364.99 && days_valid(cax) < 365.01);
    assert_true(now_within(cax));
    assert_true(X509_get_key_usage(cax) & KU_KEY_CERT_SIGN);
    assert_non_null(X509_get0_subject_key_id(cax));
    const ASN1_INTEGER *serial = X509_get0_serialNumber(cax);
    BIGNUM *bn = ASN1_INTEGER_to_BN(serial, NULL);
    assert_true(BN_num_bits(bn) <= 128 && BN_num_bits(bn) > 64);
    BN_free(bn);
    /* the extensions are those, and in the order, that helm writes */
    X509 *helm_ca = cert_of(b64dec(a, helm_ca_b64));
    exts_of(cax, buf, sizeof buf);
    exts_of(helm_ca, buf2, sizeof buf2);
    assert_string_equal(buf, buf2);

    cval *leaf = call(a, "genSignedCert", 5,
                      (cval *[]){cv_cstring(a, "leaf"), slist(a, 2, "10.0.0.1", "::1"),
                                 slist(a, 2, "a.example", "b.example"), cv_goint(a, 30), ca});
    X509 *lx = cert_of(field(a, leaf, "Cert"));
    EVP_PKEY *lk = key_of(field(a, leaf, "Key"));
    assert_non_null(lx);
    assert_non_null(lk);
    assert_int_equal(X509_verify(lx, cak), 1);
    assert_int_equal(X509_check_private_key(lx, lk), 1);
    assert_int_equal(X509_check_ca(lx), 0);
    assert_string_equal(cn_of(lx, buf, sizeof buf), "leaf");
    sans_of(lx, buf, sizeof buf);
    assert_string_equal(buf, "DNS:a.example,DNS:b.example,IP:10.0.0.1,IP6:16");
    assert_true(X509_get_extended_key_usage(lx) & XKU_SSL_SERVER);
    assert_true(X509_get_extended_key_usage(lx) & XKU_SSL_CLIENT);
    assert_int_equal(ASN1_OCTET_STRING_cmp(X509_get0_authority_key_id(lx), X509_get0_subject_key_id(cax)), 0);
    assert_int_equal(X509_check_issued(cax, lx), X509_V_OK);
    assert_true(days_valid(lx) > 29.99 && days_valid(lx) < 30.01);
    X509 *helm_leaf = cert_of(b64dec(a, helm_leaf_b64));
    exts_of(lx, buf, sizeof buf);
    exts_of(helm_leaf, buf2, sizeof buf2);
    assert_string_equal(buf, buf2);
    sans_of(helm_leaf, buf2, sizeof buf2);
    sans_of(lx, buf, sizeof buf);
    assert_string_equal(buf, buf2);

    /* a leaf signed by helm's CA verifies against it */
    cval *hca = tcall(a, fn_crypto_table, "buildCustomCert", 2,
                      (cval *[]){cv_cstring(a, helm_ca_b64), cv_cstring(a, helm_cakey_b64)}, NULL);
    assert_non_null(hca);
    assert_string_equal(field(a, hca, "Cert"), b64dec(a, helm_ca_b64));
    cval *leaf2 = call(a, "genSignedCert", 5,
                       (cval *[]){cv_cstring(a, "x"), cv_list_new(a, 0), cv_list_new(a, 0), cv_goint(a, 1), hca});
    X509 *l2 = cert_of(field(a, leaf2, "Cert"));
    assert_int_equal(X509_verify(l2, X509_get0_pubkey(helm_ca)), 1);
    assert_null(X509_get_ext_d2i(l2, NID_subject_alt_name, NULL, NULL));

    X509_free(cax); X509_free(lx); X509_free(l2); X509_free(helm_ca); X509_free(helm_leaf);
    EVP_PKEY_free(cak); EVP_PKEY_free(lk);
    arena_free(a);
}

static void self_signed_and_with_key(void **state)
{
    (void)state;
    arena *a = arena_new();
    char buf[512], buf2[512];
    cval *ss = call(a, "genSelfSignedCert", 4,
                    (cval *[]){cv_cstring(a, "self"), cv_nil(), slist(a, 1, "s.example"), cv_goint(a, 10)});
    X509 *x = cert_of(field(a, ss, "Cert"));
    assert_int_equal(X509_verify(x, X509_get0_pubkey(x)), 1);
    assert_int_equal(X509_check_ca(x), 0);
    X509 *hx = cert_of(b64dec(a, helm_ss_b64));
    exts_of(x, buf, sizeof buf);
    exts_of(hx, buf2, sizeof buf2);
    assert_string_equal(buf, buf2);
    X509_free(x);
    X509_free(hx);

    const char *types[] = {"ecdsa", "ed25519"};
    for (int i = 0; i < 2; i++) {
        cval *k = call(a, "genPrivateKey", 1, (cval *[]){cv_cstring(a, types[i])});
        cval *c = call(a, "genSelfSignedCertWithKey", 5,
                       (cval *[]){cv_cstring(a, "k"), slist(a, 1, "127.0.0.1"), cv_nil(), cv_goint(a, 2), k});
        assert_string_equal(field(a, c, "Key"), k->u.str.s); /* re-encoded exactly as given */
        X509 *cx = cert_of(field(a, c, "Cert"));
        EVP_PKEY *pk = key_of(k->u.str.s);
        assert_int_equal(X509_verify(cx, pk), 1);
        cval *ca = call(a, "genCAWithKey", 3, (cval *[]){cv_cstring(a, "kca"), cv_goint(a, 5), k});
        X509 *cax = cert_of(field(a, ca, "Cert"));
        assert_int_equal(X509_check_ca(cax), 1);
        cval *lk = call(a, "genPrivateKey", 1, (cval *[]){cv_cstring(a, "ecdsa")});
        cval *l = call(a, "genSignedCertWithKey", 6,
                       (cval *[]){cv_cstring(a, "l"), cv_nil(), slist(a, 1, "l.example"), cv_goint(a, 3), ca, lk});
        X509 *lx = cert_of(field(a, l, "Cert"));
        assert_int_equal(X509_verify(lx, pk), 1);
        assert_string_equal(field(a, l, "Key"), lk->u.str.s);
        X509_free(cx); X509_free(cax); X509_free(lx);
        EVP_PKEY_free(pk);
    }
    /* bad IPs and DNS names are reported as sprig does */
    const char *err = NULL;
    cval *ipl = cv_list_new(a, 1);
    cv_list_push(ipl, cv_goint(a, 5));
    assert_null(tcall(a, fn_crypto_table, "genSelfSignedCert", 4,
                      (cval *[]){cv_cstring(a, "x"), ipl, cv_nil(), cv_goint(a, 1)}, &err));
    assert_string_equal(err, "error parsing ip: 5 is not a string");
    assert_null(tcall(a, fn_crypto_table, "genSelfSignedCert", 4,
                      (cval *[]){cv_cstring(a, "x"), slist(a, 1, "300.1.1.1"), cv_nil(), cv_goint(a, 1)}, &err));
    assert_string_equal(err, "error parsing ip: 300.1.1.1");
    assert_null(tcall(a, fn_crypto_table, "genSelfSignedCert", 4,
                      (cval *[]){cv_cstring(a, "x"), slist(a, 1, "01.2.3.4"), cv_nil(), cv_goint(a, 1)}, &err));
    assert_string_equal(err, "error parsing ip: 01.2.3.4");
    cval *dl = cv_list_new(a, 1);
    cv_list_push(dl, cv_float(a, 1.5));
    assert_null(tcall(a, fn_crypto_table, "genSelfSignedCert", 4,
                      (cval *[]){cv_cstring(a, "x"), cv_nil(), dl, cv_goint(a, 1)}, &err));
    assert_string_equal(err, "error processing alternate dns name: 1.5 is not a string");
    /* the struct prints as {CERT KEY} */
    strbuf sb = STRBUF_INIT;
    ss->u.obj.cls->format(&sb, ss->u.obj.self);
    assert_memory_equal(sb_str(&sb), "{-----BEGIN CERTIFICATE-----\n", 29);
    sb_release(&sb);
    arena_free(a);
}

static void bcrypt_aes_random_network(void **state)
{
    (void)state;
    arena *a = arena_new();
    cval *h = call(a, "bcrypt", 1, (cval *[]){cv_cstring(a, "s3cret")});
    assert_int_equal(h->u.str.len, 60);
    assert_memory_equal(h->u.str.s, "$2a$10$", 7);
    struct crypt_data cd;
    memset(&cd, 0, sizeof cd);
    assert_string_equal(crypt_r("s3cret", h->u.str.s, &cd), h->u.str.s);
    memset(&cd, 0, sizeof cd);
    assert_string_not_equal(crypt_r("other", h->u.str.s, &cd), h->u.str.s);
    cval *hp = call(a, "htpasswd", 2, (cval *[]){cv_cstring(a, "admin"), cv_cstring(a, "pw")});
    assert_memory_equal(hp->u.str.s, "admin:$2a$10$", 13);
    assert_int_equal(hp->u.str.len, 66);

    for (int n = 0; n < 40; n += 13) {
        cval *r = call(a, "randBytes", 1, (cval *[]){cv_goint(a, n)});
        assert_int_equal(r->u.str.len, (size_t)((n + 2) / 3 * 4));
        assert_int_equal(strspn(r->u.str.s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="),
                         r->u.str.len);
    }
    cval *r1 = call(a, "randBytes", 1, (cval *[]){cv_goint(a, 32)});
    cval *r2 = call(a, "randBytes", 1, (cval *[]){cv_goint(a, 32)});
    assert_string_not_equal(r1->u.str.s, r2->u.str.s);

    const char *pts[] = {"x", "exactly16bytes!!", "a longer plaintext with ünïcödé in it"};
    for (int i = 0; i < 3; i++) {
        cval *ct = call(a, "encryptAES", 2, (cval *[]){cv_cstring(a, "k"), cv_cstring(a, pts[i])});
        assert_int_equal(ct->u.str.len, (16 + (strlen(pts[i]) / 16 + 1) * 16 + 2) / 3 * 4);
        cval *pt = call(a, "decryptAES", 2, (cval *[]){cv_cstring(a, "k"), ct});
        assert_string_equal(pt->u.str.s, pts[i]);
    }

    const char *err = NULL;
    cval *ip = tcall(a, fn_network_table, "getHostByName", 1, (cval *[]){cv_cstring(a, "localhost")}, &err);
    assert_non_null(ip);
    assert_true(strcmp(ip->u.str.s, "127.0.0.1") == 0 || strcmp(ip->u.str.s, "::1") == 0);
    assert_null(tcall(a, fn_network_table, "getHostByName", 1, (cval *[]){cv_cstring(a, "no-such-host.invalid")}, &err));
    assert_string_equal(err, "invalid argument to Intn");
    arena_free(a);
}

/* rsa_gen's Miller-Rabin: known primes pass, composites that fool weaker
 * tests fail (strong pseudoprimes to base 2, Carmichael numbers, a product of
 * two large primes), and it agrees with OpenSSL's 64-round BN_check_prime on
 * random odd numbers. Keys have exactly the bits asked for (odd sizes too),
 * primes OpenSSL accepts, and pass OpenSSL's full key check. */
static void rsa_prime_search(void **state)
{
    (void)state;
    BN_CTX *ctx = BN_CTX_new();
    BIGNUM *w = BN_new(), *p = BN_new(), *q = BN_new();
    static const char *primes[] = {"5", "7", "65537", "2147483647", "170141183460469231731687303715884105727"};
    for (size_t i = 0; i < sizeof primes / sizeof *primes; i++) {
        assert_true(BN_dec2bn(&w, primes[i]));
        assert_int_equal(rsa_probable_prime(w, 5, ctx), 1);
    }
    /* 2047, 3277, 4033: strong pseudoprimes to base 2; 561, 41041, 825265: Carmichael numbers;
     * 3215031751: a strong pseudoprime to bases 2, 3, 5 and 7 */
    static const char *composites[] = {"2047", "3277", "4033", "561", "41041", "825265", "3215031751", "9"};
    for (size_t i = 0; i < sizeof composites / sizeof *composites; i++) {
        assert_true(BN_dec2bn(&w, composites[i]));
        int r = 1;
        for (int t = 0; t < 8 && r; t++) /* a random base misses with probability < 1/4 each time */
            r = rsa_probable_prime(w, 5, ctx);
        assert_int_equal(r, 0);
    }
    assert_true(BN_generate_prime_ex2(p, 512, 0, NULL, NULL, NULL, ctx));
    assert_true(BN_generate_prime_ex2(q, 512, 0, NULL, NULL, NULL, ctx));
    assert_int_equal(rsa_probable_prime(p, 5, ctx), 1);
    assert_true(BN_mul(w, p, q, ctx));
    assert_int_equal(rsa_probable_prime(w, 5, ctx), 0);
    int nprime = 0;
    for (int i = 0; i < 3000; i++) {
        assert_true(BN_rand(w, 64, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ODD));
        int mine = rsa_probable_prime(w, rsa_mr_rounds(64), ctx), ref = BN_check_prime(w, ctx, NULL);
        assert_int_equal(mine, ref);
        nprime += mine;
    }
    assert_true(nprime > 20); /* about 1 in 22 odd 64-bit numbers is prime */
    assert_int_equal(rsa_mr_rounds(1024), 5);
    assert_int_equal(rsa_mr_rounds(2048), 4);
    static const int sizes[] = {512, 513, 1024};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        EVP_PKEY *k = rsa_gen_key(sizes[i]);
        assert_non_null(k);
        assert_int_equal(EVP_PKEY_get_bits(k), sizes[i]);
        BIGNUM *kp = NULL, *kq = NULL;
        assert_true(EVP_PKEY_get_bn_param(k, "rsa-factor1", &kp) && EVP_PKEY_get_bn_param(k, "rsa-factor2", &kq));
        assert_int_equal(BN_num_bits(kp), (sizes[i] + 1) / 2);
        assert_int_equal(BN_num_bits(kq), sizes[i] / 2);
        assert_int_equal(BN_check_prime(kp, ctx, NULL), 1);
        assert_int_equal(BN_check_prime(kq, ctx, NULL), 1);
        EVP_PKEY_CTX *kc = EVP_PKEY_CTX_new(k, NULL);
        assert_int_equal(EVP_PKEY_check(kc), 1);
        EVP_PKEY_CTX_free(kc);
        BN_free(kp);
        BN_free(kq);
        EVP_PKEY_free(k);
    }
    BN_free(w);
    BN_free(p);
    BN_free(q);
    BN_CTX_free(ctx);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(private_keys_have_go_form),
    cmocka_unit_test(ca_and_signed_certs),
    cmocka_unit_test(self_signed_and_with_key),
    cmocka_unit_test(bcrypt_aes_random_network),
    cmocka_unit_test(rsa_prime_search),
};

int main(void)
{
    xsuite s = {NULL, 0, 0};
    xsuite_cases(&s, "crypto_ok", fn_crypto_table, crypto_ok, NELEM(crypto_ok), NULL, false, "UTC");
    xsuite_cases(&s, "crypto_err", fn_crypto_table, crypto_err, NELEM(crypto_err), NULL, true, "UTC");
    for (size_t i = 0; i < sizeof tests / sizeof *tests; i++)
        xsuite_add(&s, tests[i].name, tests[i].test_func, NULL);
    return xsuite_run(&s, "sprig_crypto");
}
