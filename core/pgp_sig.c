/* pgp_sig.c — v4 signatures (pgp.h): checking a detached signature against
 * a keyring as Go's openpgp.CheckDetachedSignature does (issuer, hash tag,
 * then the algorithm), and making one with a secret key, over OpenSSL. */
#include "core/pgp.h"
#include "core/pgp_int.h"
#include "core/xalloc.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <stdlib.h>
#include <string.h>

/* ---- OpenSSL keys from OpenPGP key material ---- */

static BIGNUM *mpi_bn(const unsigned char **p, size_t *n)
{
    size_t m = pgp_mpi_len(*p, *n);
    if (!m)
        return NULL;
    BIGNUM *b = BN_bin2bn(*p + 2, (int)(m - 2), NULL);
    *p += m;
    *n -= m;
    return b;
}

static const char *curve_of(const unsigned char *oid, size_t n)
{
    static const struct { const char *name; unsigned char len, oid[10]; } curves[] = {
        {"prime256v1", 8, {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07}},
        {"secp384r1", 5, {0x2b, 0x81, 0x04, 0x00, 0x22}},
        {"secp521r1", 5, {0x2b, 0x81, 0x04, 0x00, 0x23}},
        {"ed25519", 9, {0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x0f, 0x01}},
    };
    for (size_t i = 0; i < sizeof curves / sizeof *curves; i++)
        if (curves[i].len == n && memcmp(curves[i].oid, oid, n) == 0)
            return curves[i].name;
    return NULL;
}

static EVP_PKEY *from_params(const char *type, OSSL_PARAM_BLD *bld, int selection)
{
    EVP_PKEY *pk = NULL;
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 || EVP_PKEY_fromdata(ctx, &pk, selection, params) <= 0)
        pk = NULL;
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    return pk;
}

static EVP_PKEY *rsa_key(const pgp_key *k, bool secret)
{
    const unsigned char *p = k->pub + 6, *s = k->plain;
    size_t n = k->pub_len - 6, sn = k->plain_len;
    BIGNUM *bn = mpi_bn(&p, &n), *be = mpi_bn(&p, &n), *bd = secret ? mpi_bn(&s, &sn) : NULL;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    EVP_PKEY *pk = NULL;
    if (bld && bn && be && (!secret || bd) && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn) &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be) &&
        (!secret || OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_D, bd)))
        pk = from_params("RSA", bld, secret ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY);
    OSSL_PARAM_BLD_free(bld);
    BN_free(bn);
    BN_free(be);
    BN_clear_free(bd);
    return pk;
}

/* The curve's OID and point of an EC key: the curve's name, NULL when unknown. */
static const char *ec_point(const pgp_key *k, const unsigned char **pt, size_t *ptlen)
{
    const unsigned char *p = k->pub + 6;
    size_t n = k->pub_len - 6, m = pgp_mpi_len(p + 1 + p[0], n - 1 - p[0]);
    *pt = p + 1 + p[0] + 2;
    *ptlen = m ? m - 2 : 0;
    return curve_of(p + 1, p[0]);
}

static EVP_PKEY *ed25519_key(const pgp_key *k, bool secret)
{
    const unsigned char *pt;
    size_t ptlen;
    const char *curve = ec_point(k, &pt, &ptlen);
    if (!curve || strcmp(curve, "ed25519") != 0)
        return NULL;
    if (!secret)
        return ptlen == 33 && pt[0] == 0x40 ? EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pt + 1, 32) : NULL;
    size_t m = pgp_mpi_len(k->plain, k->plain_len);
    if (!m || m - 2 > 32)
        return NULL;
    unsigned char seed[32] = {0};
    memcpy(seed + 32 - (m - 2), k->plain + 2, m - 2);
    EVP_PKEY *pk = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
    memset(seed, 0, sizeof seed);
    return pk;
}

static EVP_PKEY *ecdsa_key(const pgp_key *k)
{
    const unsigned char *pt;
    size_t ptlen;
    const char *curve = ec_point(k, &pt, &ptlen);
    if (!curve || strcmp(curve, "ed25519") == 0 || !ptlen)
        return NULL;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    EVP_PKEY *pk = NULL;
    if (bld && OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, curve, 0) &&
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pt, ptlen))
        pk = from_params("EC", bld, EVP_PKEY_PUBLIC_KEY);
    OSSL_PARAM_BLD_free(bld);
    return pk;
}

/* ---- signature packets ---- */

typedef struct sig {
    int type, pubalgo, hashalgo;
    const unsigned char *hashed;   /* version .. end of the hashed subpackets */
    size_t hashed_len;
    const unsigned char *mpis;
    size_t mpis_len;
    bool has_issuer;
    unsigned char issuer[8];
} sig;

static int subpackets(sig *s, const unsigned char *p, size_t n, cap_err *err)
{
    while (n > 0) {
        size_t len, hl;
        if (p[0] < 192) {
            len = p[0], hl = 1;
        } else if (p[0] < 255) {
            if (n < 2)
                return pgp_invalid(err, "signature subpacket truncated");
            len = ((size_t)(p[0] - 192) << 8) + p[1] + 192, hl = 2;
        } else {
            if (n < 5)
                return pgp_invalid(err, "signature subpacket truncated");
            len = pgp_be32(p + 1), hl = 5;
        }
        if (len < 1 || len > n - hl)
            return pgp_invalid(err, "signature subpacket truncated");
        const unsigned char *d = p + hl;
        int type = d[0] & 0x7f;
        if (type == 16 && len == 9) {
            memcpy(s->issuer, d + 1, 8);
            s->has_issuer = true;
        } else if (type == 33 && len == 22 && d[1] == 4 && !s->has_issuer) {
            memcpy(s->issuer, d + 2 + 12, 8);
            s->has_issuer = true;
        }
        p += hl + len;
        n -= hl + len;
    }
    return 0;
}

static int sig_parse(const pgp_packet *pk, sig *s, cap_err *err)
{
    const unsigned char *b = pk->body;
    size_t n = pk->len;
    memset(s, 0, sizeof *s);
    if (n < 1 || b[0] != 4)
        return cap_err_set(err, "openpgp: unsupported feature: signature packet version %d", n ? b[0] : 0);
    if (n < 6)
        return pgp_invalid(err, "signature packet truncated");
    s->type = b[1], s->pubalgo = b[2], s->hashalgo = b[3];
    size_t hl = (size_t)b[4] << 8 | b[5];
    if (n < 6 + hl + 2)
        return pgp_invalid(err, "signature subpacket truncated");
    s->hashed = b;
    s->hashed_len = 6 + hl;
    size_t ul = (size_t)b[6 + hl] << 8 | b[7 + hl], off = 8 + hl;
    if (n < off + ul + 2)
        return pgp_invalid(err, "signature subpacket truncated");
    if (subpackets(s, b + 6, hl, err) != 0 || subpackets(s, b + off, ul, err) != 0)
        return -1;
    off += ul;
    s->mpis = b + off + 2;
    s->mpis_len = n - off - 2;
    return 0;
}

/* The digest of data and the signature's hashed part and trailer. */
static int sig_digest(const EVP_MD *md, const void *data, size_t len, const unsigned char *hashed, size_t hlen,
                      unsigned char *out, unsigned *outlen)
{
    unsigned char trailer[6] = {4, 0xff, (unsigned char)(hlen >> 24), (unsigned char)(hlen >> 16),
                                (unsigned char)(hlen >> 8), (unsigned char)hlen};
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && EVP_DigestInit_ex(ctx, md, NULL) && EVP_DigestUpdate(ctx, data, len) &&
             EVP_DigestUpdate(ctx, hashed, hlen) && EVP_DigestUpdate(ctx, trailer, 6) &&
             EVP_DigestFinal_ex(ctx, out, outlen);
    EVP_MD_CTX_free(ctx);
    return ok ? 0 : -1;
}

/* r and s of an (Ed)DSA signature, as len-byte big-endian numbers each, into out. */
static bool two_mpis(const sig *s, unsigned char *out, size_t len)
{
    const unsigned char *p = s->mpis;
    size_t n = s->mpis_len;
    memset(out, 0, 2 * len);
    for (int i = 0; i < 2; i++) {
        size_t m = pgp_mpi_len(p, n);
        if (!m || m - 2 > len)
            return false;
        memcpy(out + i * len + len - (m - 2), p + 2, m - 2);
        p += m;
        n -= m;
    }
    return true;
}

static int verify_with(const pgp_key *k, const sig *s, const unsigned char *dg, unsigned dglen, const EVP_MD *md,
                       cap_err *err)
{
    char nb[16];
    const char *what = pgp_algo_name(k->algo, nb);
    bool ok = false;
    EVP_PKEY *pk = NULL;
    if (k->algo == PGP_RSA || k->algo == PGP_RSA_SIGN) {
        size_t m = pgp_mpi_len(s->mpis, s->mpis_len);
        if ((pk = rsa_key(k, false)) && m) {
            size_t mod = (size_t)EVP_PKEY_get_size(pk);
            unsigned char *padded = xcalloc(1, mod + 1);
            if (m - 2 <= mod)
                memcpy(padded + mod - (m - 2), s->mpis + 2, m - 2);
            EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(pk, NULL);
            ok = m - 2 <= mod && c && EVP_PKEY_verify_init(c) > 0 && EVP_PKEY_CTX_set_signature_md(c, md) > 0 &&
                 EVP_PKEY_verify(c, padded, mod, dg, dglen) == 1;
            EVP_PKEY_CTX_free(c);
            free(padded);
        }
    } else if (k->algo == PGP_EDDSA) {
        unsigned char rs[64];
        if ((pk = ed25519_key(k, false)) && two_mpis(s, rs, 32)) {
            EVP_MD_CTX *c = EVP_MD_CTX_new();
            ok = c && EVP_DigestVerifyInit(c, NULL, NULL, NULL, pk) > 0 && EVP_DigestVerify(c, rs, 64, dg, dglen) == 1;
            EVP_MD_CTX_free(c);
        }
    } else if (k->algo == PGP_ECDSA) {
        unsigned char rs[132];
        if ((pk = ecdsa_key(k)) && two_mpis(s, rs, 66)) {
            ECDSA_SIG *es = ECDSA_SIG_new();
            unsigned char *der = NULL;
            int dl = -1;
            if (es && ECDSA_SIG_set0(es, BN_bin2bn(rs, 66, NULL), BN_bin2bn(rs + 66, 66, NULL)))
                dl = i2d_ECDSA_SIG(es, &der);
            EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(pk, NULL);
            ok = dl > 0 && c && EVP_PKEY_verify_init(c) > 0 && EVP_PKEY_verify(c, der, (size_t)dl, dg, dglen) == 1;
            EVP_PKEY_CTX_free(c);
            OPENSSL_free(der);
            ECDSA_SIG_free(es);
        }
    } else {
        return cap_err_set(err, "openpgp: unsupported feature: public key algorithm %s", what);
    }
    EVP_PKEY_free(pk);
    return ok ? 0 : cap_err_set(err, "openpgp: invalid signature: %s verification failure", what);
}

static const pgp_key *key_by_id(const pgp_entity *e, const unsigned char id[8])
{
    if (memcmp(e->primary.keyid, id, 8) == 0)
        return &e->primary;
    for (size_t i = 0; i < e->nsubkeys; i++)
        if (memcmp(e->subkeys[i].keyid, id, 8) == 0)
            return &e->subkeys[i];
    return NULL;
}

int pgp_verify(const pgp_keyring *r, const void *data, size_t len, const void *sigdata, size_t siglen,
               const pgp_entity **by, cap_err *err)
{
    pgp_reader rd = {sigdata, siglen, 0};
    pgp_packet p = {0};
    int got;
    *by = NULL;
    while ((got = pgp_packet_next(&rd, &p, err)) == 1) {
        if (p.tag != 2)
            continue;
        sig s;
        if (sig_parse(&p, &s, err) != 0)
            return -1;
        if (!s.has_issuer)
            return cap_err_set(err, "openpgp: invalid signature: signature doesn't have an issuer");
        int rc = 1; /* no key of the issuer: the next signature */
        for (size_t i = 0; i < r->n && rc != 0; i++) {
            const pgp_key *k = key_by_id(&r->v[i], s.issuer);
            if (!k)
                continue;
            const EVP_MD *md = pgp_hash_md(s.hashalgo);
            unsigned char dg[EVP_MAX_MD_SIZE];
            unsigned dglen = 0;
            if (!md)
                return cap_err_set(err, "openpgp: unsupported feature: hash function %d", s.hashalgo);
            if (sig_digest(md, data, len, s.hashed, s.hashed_len, dg, &dglen) != 0)
                return cap_err_set(err, "openpgp: cannot hash the signed text");
            cap_err_clear(err);
            /* the algorithm decides, as Go's openpgp (the hash tag is only a hint) */
            rc = verify_with(k, &s, dg, dglen, md, err);
            if (rc == 0)
                *by = &r->v[i];
        }
        if (rc <= 0)
            return rc;
    }
    if (got < 0)
        return -1;
    return cap_err_set(err, "openpgp: signature made by unknown entity");
}

/* ---- signing ---- */

static void put_mpi(strbuf *out, const unsigned char *b, size_t n)
{
    while (n > 0 && b[0] == 0)
        b++, n--;
    unsigned bits = n ? (unsigned)(n - 1) * 8 : 0;
    for (unsigned char top = n ? b[0] : 0; top; top >>= 1)
        bits++;
    unsigned char h[2] = {(unsigned char)(bits >> 8), (unsigned char)bits};
    sb_add(out, h, 2);
    sb_add(out, b, n);
}

/* The algorithm's MPIs of a signature over the digest dg. */
static int sign_digest(const pgp_key *k, const unsigned char *dg, unsigned dglen, strbuf *mpis, cap_err *err)
{
    char nb[16];
    const char *what = pgp_algo_name(k->algo, nb);
    unsigned char out[1024];
    size_t outlen = sizeof out;
    bool ok = false;
    EVP_PKEY *pk = NULL;
    if (k->algo == PGP_RSA || k->algo == PGP_RSA_SIGN) {
        EVP_PKEY_CTX *c = (pk = rsa_key(k, true)) ? EVP_PKEY_CTX_new(pk, NULL) : NULL;
        ok = c && EVP_PKEY_sign_init(c) > 0 && EVP_PKEY_CTX_set_signature_md(c, EVP_sha512()) > 0 &&
             EVP_PKEY_sign(c, out, &outlen, dg, dglen) == 1;
        EVP_PKEY_CTX_free(c);
        if (ok)
            put_mpi(mpis, out, outlen);
    } else if (k->algo == PGP_EDDSA) {
        EVP_MD_CTX *c = (pk = ed25519_key(k, true)) ? EVP_MD_CTX_new() : NULL;
        ok = c && EVP_DigestSignInit(c, NULL, NULL, NULL, pk) > 0 && EVP_DigestSign(c, out, &outlen, dg, dglen) == 1 &&
             outlen == 64;
        EVP_MD_CTX_free(c);
        if (ok) {
            put_mpi(mpis, out, 32);
            put_mpi(mpis, out + 32, 32);
        }
    } else {
        return cap_err_set(err, "openpgp: unsupported feature: signing with a %s key (capstan signs with RSA and EdDSA keys)",
                           what);
    }
    EVP_PKEY_free(pk);
    return ok ? 0 : cap_err_set(err, "openpgp: cannot sign with the %s key", what);
}

int pgp_sign(const pgp_key *k, const void *data, size_t len, long long created, strbuf *out, cap_err *err)
{
    if (!k->secret || k->locked || !k->plain)
        return cap_err_set(err, "openpgp: the secret key is not available");
    unsigned long t = (unsigned long)created;
    unsigned char head[6] = {4, 0x01, (unsigned char)k->algo, 10, 0, 0};
    strbuf body = STRBUF_INIT, mpis = STRBUF_INIT;
    sb_add(&body, head, 6);
    unsigned char ct[6] = {5, 2, (unsigned char)(t >> 24), (unsigned char)(t >> 16), (unsigned char)(t >> 8),
                           (unsigned char)t};
    sb_add(&body, ct, 6);
    unsigned char fp[3] = {22, 33, 4};
    sb_add(&body, fp, 3);
    sb_add(&body, k->fpr, 20);
    size_t hlen = body.len - 6;
    body.buf[4] = (char)(hlen >> 8);
    body.buf[5] = (char)hlen;
    unsigned char dg[EVP_MAX_MD_SIZE];
    unsigned dglen = 0;
    int rc = sig_digest(EVP_sha512(), data, len, (const unsigned char *)body.buf, body.len, dg, &dglen);
    if (rc != 0)
        rc = cap_err_set(err, "openpgp: cannot hash the text to sign");
    if (rc == 0)
        rc = sign_digest(k, dg, dglen, &mpis, err);
    if (rc == 0) {
        unsigned char un[4] = {0, 10, 9, 16};
        sb_add(&body, un, 4);
        sb_add(&body, k->keyid, 8);
        sb_add(&body, dg, 2);
        sb_add(&body, mpis.buf, mpis.len);
        size_t n = body.len;
        unsigned char hdr[6] = {0xc2, 0xff, (unsigned char)(n >> 24), (unsigned char)(n >> 16),
                                (unsigned char)(n >> 8), (unsigned char)n};
        if (n < 192) {
            hdr[1] = (unsigned char)n;
            sb_add(out, hdr, 2);
        } else if (n < 8384) {
            unsigned char h2[3] = {0xc2, (unsigned char)(((n - 192) >> 8) + 192), (unsigned char)(n - 192)};
            sb_add(out, h2, 3);
        } else {
            sb_add(out, hdr, 6);
        }
        sb_add(out, body.buf, body.len);
    }
    sb_release(&body);
    sb_release(&mpis);
    return rc;
}
