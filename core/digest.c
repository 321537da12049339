/* digest.c — SHA digests through OpenSSL's low-level functions (see digest.h). */

/* The low-level SHA functions are deprecated in OpenSSL 3 in favour of EVP,
 * but they are still there and need no library initialisation. */
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include "core/digest.h"

#include <assert.h>
#include <string.h>

#include <openssl/sha.h>

_Static_assert(sizeof(SHA256_CTX) <= sizeof(((digest_sha256_ctx *)0)->state), "digest_sha256_ctx too small");

size_t digest_size(digest_kind kind)
{
    switch (kind) {
    case DIGEST_SHA1: return SHA_DIGEST_LENGTH;
    case DIGEST_SHA256: return SHA256_DIGEST_LENGTH;
    case DIGEST_SHA512: return SHA512_DIGEST_LENGTH;
    }
    return 0;
}

void digest_bytes(digest_kind kind, const void *data, size_t len, unsigned char *out)
{
    switch (kind) {
    case DIGEST_SHA1: {
        SHA_CTX c;
        SHA1_Init(&c);
        SHA1_Update(&c, data, len);
        SHA1_Final(out, &c);
        break;
    }
    case DIGEST_SHA256: {
        SHA256_CTX c;
        SHA256_Init(&c);
        SHA256_Update(&c, data, len);
        SHA256_Final(out, &c);
        break;
    }
    case DIGEST_SHA512: {
        SHA512_CTX c;
        SHA512_Init(&c);
        SHA512_Update(&c, data, len);
        SHA512_Final(out, &c);
        break;
    }
    }
}

void digest_to_hex(const unsigned char *bin, size_t n, char *hex)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        hex[2 * i] = digits[bin[i] >> 4];
        hex[2 * i + 1] = digits[bin[i] & 15];
    }
    hex[2 * n] = '\0';
}

void digest_hex(digest_kind kind, const void *data, size_t len, char *out)
{
    unsigned char bin[DIGEST_MAX_SIZE];
    digest_bytes(kind, data, len, bin);
    digest_to_hex(bin, digest_size(kind), out);
}

void digest_sha256_init(digest_sha256_ctx *ctx)
{
    SHA256_Init((SHA256_CTX *)(void *)ctx->state);
}

void digest_sha256_update(digest_sha256_ctx *ctx, const void *data, size_t len)
{
    SHA256_Update((SHA256_CTX *)(void *)ctx->state, data, len);
}

void digest_sha256_final(digest_sha256_ctx *ctx, unsigned char *out)
{
    SHA256_Final(out, (SHA256_CTX *)(void *)ctx->state);
}
