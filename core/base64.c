/* base64.c — see base64.h; follows Go's encoding/base64 decoder, including where
 * it reports corrupt input. */
#include "core/base64.h"

#include <string.h>

static const char std_alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char url_alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void base64_encode(strbuf *out, const void *p, size_t n, int flags)
{
    const unsigned char *s = p;
    const char *alpha = (flags & B64_URL) ? url_alpha : std_alpha;
    bool pad = !(flags & B64_RAW);
    sb_grow(out, (n + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        unsigned v = (unsigned)s[i] << 16 | (unsigned)s[i + 1] << 8 | s[i + 2];
        char q[4] = {alpha[v >> 18 & 63], alpha[v >> 12 & 63], alpha[v >> 6 & 63], alpha[v & 63]};
        sb_add(out, q, 4);
    }
    size_t rem = n - i;
    if (rem) {
        unsigned v = (unsigned)s[i] << 16 | (rem == 2 ? (unsigned)s[i + 1] << 8 : 0);
        sb_addc(out, alpha[v >> 18 & 63]);
        sb_addc(out, alpha[v >> 12 & 63]);
        if (rem == 2)
            sb_addc(out, alpha[v >> 6 & 63]);
        else if (pad)
            sb_addc(out, '=');
        if (pad)
            sb_addc(out, '=');
    }
}

static int value_of(char c, int flags)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (flags & B64_URL)
        return c == '-' ? 62 : c == '_' ? 63 : -1;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Go's decoder works in quanta of four characters, skipping newlines. */
int base64_decode(strbuf *out, const char *s, size_t n, int flags, size_t *bad_at)
{
    bool pad = !(flags & B64_RAW);
    size_t si = 0;
    while (si < n) {
        int vals[4];
        size_t j = 0;
        while (j < 4) {
            if (si == n) {
                if (j == 0)
                    return 0;
                if (j == 1 || pad) {
                    if (bad_at)
                        *bad_at = si - j;
                    return -1;
                }
                break;
            }
            char c = s[si++];
            if (c == '\n' || c == '\r') {
                continue;
            }
            if (c == '=' && pad) {
                /* padding: only in positions 2 and 3 of a quantum */
                switch (j) {
                case 0:
                case 1:
                    if (bad_at)
                        *bad_at = si - 1;
                    return -1;
                case 2:
                    /* skip newlines, expect a second '=' */
                    while (si < n && (s[si] == '\n' || s[si] == '\r'))
                        si++;
                    if (si == n || s[si] != '=') {
                        if (bad_at) /* Go: not enough padding at the end; wrong padding before it */
                            *bad_at = si == n ? n : si - 1;
                        return -1;
                    }
                    si++;
                    break;
                }
                while (si < n && (s[si] == '\n' || s[si] == '\r'))
                    si++;
                if (si < n) {
                    if (bad_at)
                        *bad_at = si;
                    return -1;
                }
                break;
            }
            int v = value_of(c, flags);
            if (v < 0) {
                if (bad_at)
                    *bad_at = si - 1;
                return -1;
            }
            vals[j++] = v;
        }
        if (j == 1) {
            if (bad_at)
                *bad_at = si;
            return -1;
        }
        unsigned v = (unsigned)vals[0] << 18 | (unsigned)vals[1] << 12 |
                     (j > 2 ? (unsigned)vals[2] << 6 : 0) | (j > 3 ? (unsigned)vals[3] : 0);
        sb_addc(out, (char)(v >> 16));
        if (j > 2)
            sb_addc(out, (char)(v >> 8 & 0xff));
        if (j > 3)
            sb_addc(out, (char)(v & 0xff));
        if (j < 4)
            return 0;
    }
    return 0;
}
