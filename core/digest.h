/* digest.h — SHA-1, SHA-256 and SHA-512 of a byte string, in binary or hex.
 *
 * Through OpenSSL's direct (low-level) hash functions rather than EVP: an
 * EVP digest first initialises OpenSSL, reads its configuration file and
 * loads its providers, which costs more than rendering a whole chart. The
 * output buffers are the caller's; nothing is allocated.
 */
#ifndef CAPSTAN_DIGEST_H
#define CAPSTAN_DIGEST_H

#include <stddef.h>

typedef enum { DIGEST_SHA1, DIGEST_SHA256, DIGEST_SHA512 } digest_kind;

#define DIGEST_MAX_SIZE 64

/* The size of kind's digest in bytes (20, 32 or 64). */
size_t digest_size(digest_kind kind);

/* out receives digest_size(kind) bytes. */
void digest_bytes(digest_kind kind, const void *data, size_t len, unsigned char *out);

/* out receives 2 * digest_size(kind) lowercase hex digits and a NUL. */
void digest_hex(digest_kind kind, const void *data, size_t len, char *out);

/* Incremental SHA-256, for data that arrives in pieces (archives, blobs). */
typedef struct digest_sha256_ctx {
    unsigned char state[128]; /* OpenSSL's SHA256_CTX, opaque here */
} digest_sha256_ctx;
void digest_sha256_init(digest_sha256_ctx *ctx);
void digest_sha256_update(digest_sha256_ctx *ctx, const void *data, size_t len);
/* out: 32 bytes. */
void digest_sha256_final(digest_sha256_ctx *ctx, unsigned char *out);

/* hex: 2 * n lowercase hex digits and a NUL. */
void digest_to_hex(const unsigned char *bin, size_t n, char *hex);

#endif
