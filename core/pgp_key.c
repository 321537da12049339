/* pgp_key.c — unlocking a secret key protected by a passphrase as gpg
 * exports it (pgp.h: S2K simple, salted or iterated and salted; AES in
 * OpenPGP's CFB mode; SHA-1 or two-byte checksum), and the names of the
 * algorithms and hashes the signatures use. */
#include "core/pgp.h"
#include "core/pgp_int.h"
#include "core/xalloc.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *pgp_algo_name(int algo, char buf[16])
{
    switch (algo) {
    case 1: case 2: case 3: return "RSA";
    case 16: return "ElGamal";
    case 17: return "DSA";
    case 18: return "ECDH";
    case 19: return "ECDSA";
    case 22: return "EdDSA";
    default: snprintf(buf, 16, "%d", algo); return buf;
    }
}

const EVP_MD *pgp_hash_md(int id)
{
    switch (id) {
    case 2: return EVP_sha1();
    case 8: return EVP_sha256();
    case 9: return EVP_sha384();
    case 10: return EVP_sha512();
    case 11: return EVP_sha224();
    default: return NULL;
    }
}

static const EVP_CIPHER *cipher_of(int id)
{
    switch (id) {
    case 7: return EVP_aes_128_cfb128();
    case 8: return EVP_aes_192_cfb128();
    case 9: return EVP_aes_256_cfb128();
    default: return NULL;
    }
}

/* The S2K specifier at s (n bytes): its length, hash, salt and count; 0 when bad. */
static size_t s2k_spec(const unsigned char *s, size_t n, int *hash, const unsigned char **salt, unsigned long *count)
{
    if (n < 2)
        return 0;
    *hash = s[1];
    *salt = NULL;
    *count = 0;
    switch (s[0]) {
    case 0: return 2;
    case 1: if (n < 10) return 0; *salt = s + 2; return 10;
    case 3:
        if (n < 11)
            return 0;
        *salt = s + 2;
        *count = (16ul + (s[10] & 15)) << ((s[10] >> 4) + 6);
        return 11;
    default: return 0;
    }
}

/* The key of size klen from the passphrase (RFC 4880 3.7.1). */
static int s2k_derive(const EVP_MD *md, const unsigned char *salt, unsigned long count, const char *pass, size_t plen,
                      unsigned char *key, size_t klen)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    size_t mdlen = (size_t)EVP_MD_get_size(md), done = 0;
    static const unsigned char zeros[16];
    size_t unit = (salt ? 8 : 0) + plen;
    int ok = ctx != NULL;
    for (size_t round = 0; ok && done < klen && round < sizeof zeros; round++) {
        ok = EVP_DigestInit_ex(ctx, md, NULL) && EVP_DigestUpdate(ctx, zeros, round);
        unsigned long left = count > unit ? count : unit;
        while (ok && left > 0) {
            if (salt) {
                size_t take = left < 8 ? left : 8;
                ok = EVP_DigestUpdate(ctx, salt, take);
                left -= take;
            }
            size_t take = left < plen ? left : plen;
            ok = ok && EVP_DigestUpdate(ctx, pass, take);
            left -= take;
            if (!count)
                break;
        }
        unsigned char d[EVP_MAX_MD_SIZE];
        ok = ok && EVP_DigestFinal_ex(ctx, d, NULL);
        size_t take = klen - done < mdlen ? klen - done : mdlen;
        memcpy(key + done, d, take);
        done += take;
    }
    EVP_MD_CTX_free(ctx);
    return ok && done == klen ? 0 : -1;
}

int pgp_key_unlock(pgp_key *k, const char *pass, size_t plen, cap_err *err)
{
    if (!k->locked)
        return 0;
    const unsigned char *s = k->sec;
    size_t n = k->sec_len;
    int usage = s[0];
    if (usage != 254 && usage != 255)
        return cap_err_set(err, "openpgp: unsupported feature: secret key protection %d", usage);
    if (n < 2)
        return pgp_invalid(err, "secret key packet truncated");
    const EVP_CIPHER *c = cipher_of(s[1]);
    if (!c)
        return cap_err_set(err, "openpgp: unsupported feature: secret key cipher %d (capstan decrypts AES only)", s[1]);
    int hash;
    const unsigned char *salt;
    unsigned long count;
    size_t sl = s2k_spec(s + 2, n - 2, &hash, &salt, &count);
    if (!sl)
        return cap_err_set(err, "openpgp: unsupported feature: S2K type %d", n > 2 ? s[2] : -1);
    const EVP_MD *md = pgp_hash_md(hash);
    if (!md)
        return cap_err_set(err, "openpgp: unsupported feature: S2K hash %d", hash);
    size_t ivlen = (size_t)EVP_CIPHER_get_iv_length(c), klen = (size_t)EVP_CIPHER_get_key_length(c);
    size_t off = 2 + sl;
    if (n < off + ivlen)
        return pgp_invalid(err, "secret key packet truncated");
    unsigned char key[32];
    if (s2k_derive(md, salt, count, pass, plen, key, klen) != 0)
        return cap_err_set(err, "openpgp: cannot derive the key from the passphrase");
    size_t clen = n - off - ivlen;
    unsigned char *out = xmalloc(clen + 16);
    EVP_CIPHER_CTX *cx = EVP_CIPHER_CTX_new();
    int l1 = 0, l2 = 0;
    int ok = cx && EVP_DecryptInit_ex(cx, c, NULL, key, s + off) &&
             EVP_DecryptUpdate(cx, out, &l1, s + off + ivlen, (int)clen) && EVP_DecryptFinal_ex(cx, out + l1, &l2);
    EVP_CIPHER_CTX_free(cx);
    memset(key, 0, sizeof key);
    int rc = ok ? pgp_secret_plain(k, out, (size_t)(l1 + l2), usage == 254, err)
                : cap_err_set(err, "openpgp: cannot decrypt the secret key");
    memset(out, 0, clen + 16);
    free(out);
    if (rc == 0)
        k->locked = false;
    return rc;
}
