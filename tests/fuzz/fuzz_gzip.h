/* fuzz_gzip.h — gzip an input in memory, for targets whose reader expects
 * gzip around what the fuzzer should mutate (tar headers, JSON). */
#ifndef CAPSTAN_FUZZ_GZIP_H
#define CAPSTAN_FUZZ_GZIP_H

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* data gzipped at level 1, malloc'd; *outlen its length. */
static unsigned char *fuzz_gzip(const uint8_t *data, size_t size, size_t *outlen)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 1, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        abort();
    size_t cap = deflateBound(&z, size) + 32;
    unsigned char *out = malloc(cap);
    z.next_in = (unsigned char *)data;
    z.avail_in = (uInt)size;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END)
        abort();
    *outlen = cap - z.avail_out;
    deflateEnd(&z);
    return out;
}

#endif
