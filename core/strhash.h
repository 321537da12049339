/* strhash.h — the hash of a byte string that the engine's tables index by
 * (the keys of values' maps, template names, function names): eight bytes a
 * step, a multiply and a shift each, where FNV-1a took a multiply per byte.
 * Only for tables in memory: not stable across versions, not for storage. */
#ifndef CAPSTAN_STRHASH_H
#define CAPSTAN_STRHASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint32_t strhash(const char *s, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15u ^ n, w;
    size_t len = n;
    for (; n >= 8; s += 8, n -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDu;
        h ^= h >> 32;
    }
    if (n) {
        if (len >= 8) { /* the last eight bytes, less those already taken */
            memcpy(&w, s + n - 8, 8);
            w >>= 8 * (8 - n);
        } else {
            w = 0;
            for (size_t i = 0; i < n; i++)
                w |= (uint64_t)(unsigned char)s[i] << (8 * i);
        }
        h = (h ^ w) * 0xFF51AFD7ED558CCDu;
    }
    h ^= h >> 29;
    h *= 0xC4CEB9FE1A85EC53u;
    return (uint32_t)(h >> 32);
}

#endif
