/* pgp_packet.c — OpenPGP packets and binary keyrings (pgp.h): packet headers
 * (old and new format), key packets (public, secret, and their subkeys), user
 * IDs, plain secret MPIs and their checksum; the entities of a keyring as Go's openpgp.ReadKeyRing groups them, and
 * helm's choice of a signing key by name. */
#include "core/pgp.h"
#include "core/pgp_int.h"
#include "core/digest.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

int pgp_invalid(cap_err *err, const char *what)
{
    return cap_err_set(err, "openpgp: invalid data: %s", what);
}

int pgp_secret_plain(pgp_key *k, const unsigned char *data, size_t len, bool sha1, cap_err *err)
{
    size_t tail = sha1 ? 20 : 2;
    if (len < tail)
        return pgp_invalid(err, "secret key packet truncated");
    size_t n = len - tail;
    if (sha1) {
        unsigned char d[20];
        digest_bytes(DIGEST_SHA1, data, n, d);
        if (memcmp(d, data + n, 20) != 0)
            return pgp_invalid(err, "private key checksum failure");
    } else {
        unsigned sum = 0;
        for (size_t i = 0; i < n; i++)
            sum += data[i];
        if ((sum & 0xffff) != ((unsigned)data[n] << 8 | data[n + 1]))
            return pgp_invalid(err, "private key checksum failure");
    }
    k->plain = xmalloc(n ? n : 1);
    memcpy(k->plain, data, n);
    k->plain_len = n;
    return 0;
}

int pgp_packet_next(pgp_reader *rd, pgp_packet *p, cap_err *err)
{
    if (rd->pos >= rd->len)
        return 0;
    const unsigned char *b = rd->data;
    unsigned char tag = b[rd->pos++];
    if (!(tag & 0x80))
        return pgp_invalid(err, "tag byte does not have MSB set");
    size_t avail = rd->len - rd->pos, n = 0, hl;
    if (tag & 0x40) { /* new format */
        p->tag = tag & 0x3f;
        if (avail < 1)
            return pgp_invalid(err, "packet header truncated");
        unsigned o = b[rd->pos];
        if (o < 192) {
            n = o, hl = 1;
        } else if (o < 224) {
            if (avail < 2)
                return pgp_invalid(err, "packet header truncated");
            n = ((size_t)(o - 192) << 8) + b[rd->pos + 1] + 192, hl = 2;
        } else if (o == 255) {
            if (avail < 5)
                return pgp_invalid(err, "packet header truncated");
            n = pgp_be32(b + rd->pos + 1), hl = 5;
        } else {
            return cap_err_set(err, "openpgp: unsupported feature: partial body length in a key or signature");
        }
    } else {
        p->tag = (tag >> 2) & 0x0f;
        unsigned lt = tag & 3;
        hl = lt == 0 ? 1 : lt == 1 ? 2 : lt == 2 ? 4 : 0;
        if (avail < hl)
            return pgp_invalid(err, "packet header truncated");
        if (lt == 3)
            n = avail;
        else
            for (size_t i = 0; i < hl; i++)
                n = (n << 8) | b[rd->pos + i];
    }
    rd->pos += hl;
    if (n > rd->len - rd->pos)
        return cap_err_set(err, "unexpected EOF");
    p->body = b + rd->pos;
    p->len = n;
    rd->pos += n;
    return 1;
}

/* The length of an MPI at p (n bytes available), header included; 0 when truncated. */
size_t pgp_mpi_len(const unsigned char *p, size_t n)
{
    if (n < 2)
        return 0;
    size_t bytes = (((size_t)p[0] << 8 | p[1]) + 7) / 8;
    return 2 + bytes <= n ? 2 + bytes : 0;
}

/* The length of the public fields of algo at p: 0 when truncated or unknown. */
static size_t public_fields_len(int algo, const unsigned char *p, size_t n)
{
    int mpis;
    size_t off = 0;
    switch (algo) {
    case 1: case 2: case 3: mpis = 2; break;     /* RSA: n, e */
    case 16: mpis = 3; break;                    /* Elgamal: p, g, y */
    case 17: mpis = 4; break;                    /* DSA: p, q, g, y */
    case 18: case 19: case 22:                   /* ECDH, ECDSA, EdDSA: OID, point */
        if (n < 1 || p[0] == 0 || p[0] == 0xff || (size_t)p[0] + 1 > n)
            return 0;
        off = 1 + p[0];
        mpis = 1;
        break;
    default: return 0;
    }
    for (int i = 0; i < mpis; i++) {
        size_t m = pgp_mpi_len(p + off, n - off);
        if (!m)
            return 0;
        off += m;
    }
    if (algo == 18) { /* KDF parameters */
        if (off >= n || (size_t)p[off] + 1 > n - off)
            return 0;
        off += 1 + p[off];
    }
    return off;
}

/* A key packet (public or secret, primary or sub) into k. 1: a v4 key read; 0: a
 * key of another version or algorithm, skipped (Go's ReadKeyRing skips them). */
static int read_key(const pgp_packet *p, bool secret, pgp_key *k, cap_err *err)
{
    memset(k, 0, sizeof *k);
    if (p->len < 6)
        return pgp_invalid(err, "key packet truncated");
    if (p->body[0] != 4)
        return 0;
    static const unsigned char known[] = {1, 2, 3, 16, 17, 18, 19, 22};
    size_t f = public_fields_len(p->body[5], p->body + 6, p->len - 6);
    if (!f && memchr(known, p->body[5], sizeof known)) /* a known algorithm cut short */
        return pgp_invalid(err, "key packet truncated");
    if (!f && secret) /* another algorithm: its secret part cannot be told apart */
        return 0;
    if (!f)
        f = p->len - 6;
    size_t publen = 6 + f;
    k->algo = p->body[5];
    k->pub = xmalloc(publen);
    memcpy(k->pub, p->body, publen);
    k->pub_len = publen;
    unsigned char head[3] = {0x99, (unsigned char)(publen >> 8), (unsigned char)publen};
    strbuf sb = STRBUF_INIT;
    sb_add(&sb, head, 3);
    sb_add(&sb, k->pub, publen);
    digest_bytes(DIGEST_SHA1, sb.buf, sb.len, k->fpr);
    sb_release(&sb);
    memcpy(k->keyid, k->fpr + 12, 8);
    if (!secret)
        return 1;
    k->secret = true;
    k->sec_len = p->len - publen;
    k->sec = xmalloc(k->sec_len ? k->sec_len : 1);
    memcpy(k->sec, p->body + publen, k->sec_len);
    if (k->sec_len < 1)
        return pgp_invalid(err, "secret key packet truncated");
    if (k->sec[0] != 0) {
        k->locked = true;
        return 1;
    }
    return pgp_secret_plain(k, k->sec + 1, k->sec_len - 1, false, err) == 0 ? 1 : -1;
}

static void key_release(pgp_key *k)
{
    free(k->pub);
    free(k->sec);
    if (k->plain)
        memset(k->plain, 0, k->plain_len);
    free(k->plain);
}

static void entity_release(pgp_entity *e)
{
    key_release(&e->primary);
    for (size_t i = 0; i < e->nsubkeys; i++)
        key_release(&e->subkeys[i]);
    free(e->subkeys);
    for (size_t i = 0; i < e->nids; i++)
        free(e->ids[i]);
    free(e->ids);
}

void pgp_keyring_free(pgp_keyring *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        entity_release(&r->v[i]);
    free(r->v);
    free(r);
}

enum { TAG_SIG = 2, TAG_SECKEY = 5, TAG_PUBKEY = 6, TAG_SECSUB = 7, TAG_USERID = 13, TAG_PUBSUB = 14 };

int pgp_keyring_parse(const void *data, size_t len, pgp_keyring **out, cap_err *err)
{
    pgp_keyring *r = xcalloc(1, sizeof *r);
    pgp_reader rd = {data, len, 0};
    pgp_packet p;
    pgp_entity *cur = NULL; /* NULL: skipping an entity whose primary key is not read */
    size_t cap = 0;
    int got;
    bool first = true;
    while ((got = pgp_packet_next(&rd, &p, err)) == 1) {
        bool key = p.tag == TAG_PUBKEY || p.tag == TAG_SECKEY;
        if (first && !key) {
            pgp_invalid(err, "first packet was not a public/private key");
            goto fail;
        }
        first = false;
        if (key) {
            pgp_key k;
            int rk = read_key(&p, p.tag == TAG_SECKEY, &k, err);
            if (rk < 0) {
                key_release(&k);
                goto fail;
            }
            cur = NULL;
            if (rk == 0) {
                key_release(&k);
                continue;
            }
            if (r->n == cap) {
                cap = cap ? 2 * cap : 4;
                r->v = xrealloc(r->v, cap * sizeof *r->v);
            }
            cur = &r->v[r->n++];
            memset(cur, 0, sizeof *cur);
            cur->primary = k;
        } else if (!cur) {
            continue;
        } else if (p.tag == TAG_USERID) {
            cur->ids = xrealloc(cur->ids, (cur->nids + 1) * sizeof *cur->ids);
            cur->ids[cur->nids++] = xstrndup((const char *)p.body, p.len);
        } else if (p.tag == TAG_PUBSUB || p.tag == TAG_SECSUB) {
            pgp_key k;
            int rk = read_key(&p, p.tag == TAG_SECSUB, &k, err);
            if (rk <= 0) {
                key_release(&k);
                if (rk < 0)
                    goto fail;
                continue;
            }
            cur->subkeys = xrealloc(cur->subkeys, (cur->nsubkeys + 1) * sizeof *cur->subkeys);
            cur->subkeys[cur->nsubkeys++] = k;
        }
    }
    if (got < 0)
        goto fail;
    *out = r; /* empty when the file is: nothing verifies, nothing signs (as helm's) */
    return 0;
fail:
    pgp_keyring_free(r);
    *out = NULL;
    return -1;
}

int pgp_keyring_find(const pgp_keyring *r, const char *id, pgp_entity **out, cap_err *err)
{
    pgp_entity *cand = NULL;
    bool vague = false;
    *out = NULL;
    for (size_t i = 0; i < r->n; i++)
        for (size_t j = 0; j < r->v[i].nids; j++) {
            if (strcmp(r->v[i].ids[j], id) == 0) {
                *out = &r->v[i];
                return 0;
            }
            if (strstr(r->v[i].ids[j], id)) {
                vague = vague || cand != NULL;
                cand = &r->v[i];
            }
        }
    if (vague)
        return cap_err_set(err, "more than one key contain the id \"%s\"", id);
    *out = cand;
    return 0;
}
