/* base64.h — Go's encoding/base64 (StdEncoding, URLEncoding, and their Raw
 * forms without padding). Output goes to a strbuf the caller owns. */
#ifndef CAPSTAN_BASE64_H
#define CAPSTAN_BASE64_H

#include <stdbool.h>
#include <stddef.h>

#include "core/strbuf.h"

enum { B64_STD = 0, B64_URL = 1, B64_RAW = 2 /* no padding; or it with the alphabet */ };

void base64_encode(strbuf *out, const void *p, size_t n, int flags);

/* Decode; on bad input returns -1 and sets *bad_at to the offset Go's
 * CorruptInputError reports ("illegal base64 data at input byte N"). Padded
 * decoding accepts (and Go's decoder skips) '\r' and '\n'. */
int base64_decode(strbuf *out, const char *s, size_t n, int flags, size_t *bad_at);

#endif
