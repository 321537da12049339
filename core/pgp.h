/* pgp.h — the OpenPGP that helm's provenance files use (RFC 4880, as the Go
 * openpgp package helm links reads and writes it): binary keyrings (public and
 * secret keys, as `gpg --export` and `gpg --export-secret-keys` write them),
 * v4 signatures over canonical text, and clear-signed documents.
 *
 * Keys: RSA (sign, verify), EdDSA Ed25519 (sign, verify), ECDSA P-256, P-384
 * and P-521 (verify). A key of another algorithm is kept (its fingerprint and
 * identities are known) and named in the error when it signed or would sign.
 * Secret keys protected by a passphrase (S2K iterated and salted, AES-128/192/256)
 * are unlocked with pgp_key_unlock.
 *
 * Errors carry Go openpgp's words ("openpgp: signature made by unknown entity",
 * "openpgp: invalid data: ..."), which helm prints.
 *
 * Ownership: a pgp_keyring is malloc'd and freed with pgp_keyring_free; every
 * key, identity and byte in it belongs to it. Nothing else allocates beyond
 * the caller's strbufs. No global state: OpenSSL's objects live for one call.
 */
#ifndef CAPSTAN_PGP_H
#define CAPSTAN_PGP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "core/strbuf.h"

enum { PGP_RSA = 1, PGP_RSA_SIGN = 3, PGP_ECDSA = 19, PGP_EDDSA = 22 };

typedef struct pgp_key {
    int algo;                      /* the public-key algorithm number */
    unsigned char fpr[20];         /* v4 fingerprint: SHA-1 of 0x99, length, body */
    unsigned char keyid[8];        /* its last 8 bytes */
    unsigned char *pub;            /* the public key packet's body */
    size_t pub_len;
    bool secret;                   /* read from a secret key packet */
    bool locked;                   /* secret, still protected by a passphrase */
    unsigned char *sec;            /* secret: the bytes after the public part (as stored) */
    size_t sec_len;
    unsigned char *plain;          /* secret and unlocked: the secret MPIs */
    size_t plain_len;
} pgp_key;

typedef struct pgp_entity {
    pgp_key primary;
    pgp_key *subkeys;
    size_t nsubkeys;
    char **ids;                    /* user IDs, in packet order */
    size_t nids;
} pgp_entity;

typedef struct pgp_keyring {
    pgp_entity *v;
    size_t n;
} pgp_keyring;

/* Every key of a binary keyring (Go's openpgp.ReadKeyRing; keys of other
 * versions are skipped). An empty file is an empty keyring; an armored or
 * otherwise non-binary file fails with "openpgp: invalid data: tag byte does
 * not have MSB set", one that does not start with a key with "openpgp: invalid
 * data: first packet was not a public/private key", as helm's do. */
int pgp_keyring_parse(const void *data, size_t len, pgp_keyring **out, cap_err *err);
void pgp_keyring_free(pgp_keyring *r);

/* helm's NewFromKeyring: the entity with an identity equal to id, else the
 * one whose identity contains it (*out NULL when none; an error when more
 * than one: "more than one key contain the id \"ID\""). */
int pgp_keyring_find(const pgp_keyring *r, const char *id, pgp_entity **out, cap_err *err);

/* Decrypt a locked secret key with the passphrase (wrong one: "openpgp:
 * invalid data: private key checksum failure"). An unlocked key: no-op. */
int pgp_key_unlock(pgp_key *k, const char *pass, size_t len, cap_err *err);

/* The key that made the detached v4 signature sig over data (text: data is
 * already canonical), found by its issuer in r and checked: *by is its entity. */
int pgp_verify(const pgp_keyring *r, const void *data, size_t len, const void *sig, size_t siglen,
               const pgp_entity **by, cap_err *err);

/* A v4 binary-text (0x01) signature packet over data by the secret key k
 * (unlocked), hash SHA-512, made at time created (Unix seconds), appended to sig. */
int pgp_sign(const pgp_key *k, const void *data, size_t len, long long created, strbuf *sig, cap_err *err);

/* ---- clear-signed documents (pgp_armor.c) ---- */

/* Split a clear-signed document: the text as shown (dash-escapes removed,
 * lines joined by \n), the bytes the signature covers (trailing blanks cut,
 * lines joined by \r\n) and the signature's packets (armor decoded, CRC
 * checked). -1 (no message) when doc holds no complete clear-signed block. */
int pgp_clearsign_decode(const char *doc, size_t len, strbuf *text, strbuf *canon, strbuf *sig);

/* Clear-sign text with the secret key k as Go's clearsign.Encode writes it
 * (Hash: SHA512, the text, a newline, the armored signature, no newline at the end). */
int pgp_clearsign(const pgp_key *k, const char *text, size_t len, long long created, strbuf *out, cap_err *err);

/* The canonical form of text as a clear signature covers it. */
void pgp_canonical_text(const char *text, size_t len, strbuf *out);

#endif
