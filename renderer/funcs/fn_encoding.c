/* fn_encoding.c — Sprig's b64enc/b64dec/b32enc/b32dec: Go's StdEncoding of
 * encoding/base64 and encoding/base32. Decoding errors are returned as the
 * result text, as Sprig does: "illegal base64 data at input byte N". */
#include <string.h>

#include "renderer/funcs/fn_sprig.h"
#include "renderer/funcs/fn_util.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

static int b64val(unsigned char ch)
{
    const char *p = ch ? strchr(b64, ch) : NULL;
    return p ? (int)(p - b64) : -1;
}

static int b32val(unsigned char ch)
{
    const char *p = ch ? strchr(b32, ch) : NULL;
    return p ? (int)(p - b32) : -1;
}

static cval *ret_sb(cv_call *c, strbuf *sb)
{
    cval *v = cv_string(c->a, sb_str(sb), sb->len);
    sb_release(sb);
    return v;
}

static cval *f_b64enc(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    const unsigned char *s = (const unsigned char *)argv[0]->u.str.s;
    size_t n = argv[0]->u.str.len;
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)s[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)s[i + 1] << 8;
        if (i + 2 < n)
            v |= s[i + 2];
        sb_addc(&sb, b64[(v >> 18) & 63]);
        sb_addc(&sb, b64[(v >> 12) & 63]);
        sb_addc(&sb, i + 1 < n ? b64[(v >> 6) & 63] : '=');
        sb_addc(&sb, i + 2 < n ? b64[v & 63] : '=');
    }
    return ret_sb(c, &sb);
}

/* Go's decodeQuantum, looped; returns -1 (ok) or the corrupt byte offset. */
static long b64_decode(strbuf *out, const unsigned char *src, size_t len)
{
    size_t si = 0;
    while (si < len) {
        int dbuf[4] = {0, 0, 0, 0};
        size_t dlen = 4;
        long err = -1;
        for (size_t j = 0; j < 4; j++) {
            if (si == len) {
                if (j == 0)
                    return -1;
                return (long)(si - j);
            }
            unsigned char in = src[si++];
            int v = b64val(in);
            if (v >= 0) {
                dbuf[j] = v;
                continue;
            }
            if (in == '\n' || in == '\r') {
                j--;
                continue;
            }
            if (in != '=')
                return (long)(si - 1);
            if (j < 2)
                return (long)(si - 1);
            if (j == 2) {
                while (si < len && (src[si] == '\n' || src[si] == '\r'))
                    si++;
                if (si == len)
                    return (long)len;
                if (src[si] != '=')
                    return (long)(si - 1);
                si++;
            }
            while (si < len && (src[si] == '\n' || src[si] == '\r'))
                si++;
            if (si < len)
                err = (long)si;
            dlen = j;
            break;
        }
        unsigned val = (unsigned)dbuf[0] << 18 | (unsigned)dbuf[1] << 12 | (unsigned)dbuf[2] << 6 | (unsigned)dbuf[3];
        unsigned char b[3] = {(unsigned char)(val >> 16), (unsigned char)(val >> 8), (unsigned char)val};
        sb_add(out, b, dlen - 1);
        if (err >= 0)
            return err;
        if (dlen < 4)
            return -1;
    }
    return -1;
}

static cval *f_b64dec(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    strbuf sb = STRBUF_INIT;
    long bad = b64_decode(&sb, (const unsigned char *)argv[0]->u.str.s, argv[0]->u.str.len);
    if (bad >= 0) {
        sb_reset(&sb);
        sb_addf(&sb, "illegal base64 data at input byte %ld", bad);
    }
    return ret_sb(c, &sb);
}

static cval *f_b32enc(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    const unsigned char *s = (const unsigned char *)argv[0]->u.str.s;
    size_t n = argv[0]->u.str.len;
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < n; i += 5) {
        size_t k = n - i < 5 ? n - i : 5;
        uint64_t v = 0;
        for (size_t j = 0; j < 5; j++)
            v = v << 8 | (j < k ? s[i + j] : 0);
        static const size_t chars[] = {0, 2, 4, 5, 7, 8};
        for (size_t j = 0; j < 8; j++)
            sb_addc(&sb, j < chars[k] ? b32[(v >> (35 - 5 * j)) & 31] : '=');
    }
    return ret_sb(c, &sb);
}

/* Go's base32 decode after stripNewlines; -1 ok, else the corrupt offset. */
static long b32_decode(strbuf *out, const unsigned char *src, size_t olen)
{
    size_t len = olen;
    bool end = false;
    while (len > 0 && !end) {
        unsigned char dbuf[8] = {0};
        size_t dlen = 8;
        for (size_t j = 0; j < 8;) {
            if (len == 0)
                return (long)(olen - len - j);
            unsigned char in = *src++;
            len--;
            if (in == '=' && j >= 2 && len < 8) {
                if (len + j < 8 - 1)
                    return (long)olen;
                for (size_t k = 0; k < 8 - 1 - j; k++)
                    if (len > k && src[k] != '=')
                        return (long)(olen - len + k - 1);
                dlen = j;
                end = true;
                if (dlen == 1 || dlen == 3 || dlen == 6)
                    return (long)(olen - len - 1);
                break;
            }
            int v = b32val(in);
            if (v < 0)
                return (long)(olen - len - 1);
            dbuf[j++] = (unsigned char)v;
        }
        unsigned char b[5];
        b[4] = (unsigned char)(dbuf[6] << 5 | dbuf[7]);
        b[3] = (unsigned char)(dbuf[4] << 7 | dbuf[5] << 2 | dbuf[6] >> 3);
        b[2] = (unsigned char)(dbuf[3] << 4 | dbuf[4] >> 1);
        b[1] = (unsigned char)(dbuf[1] << 6 | dbuf[2] << 1 | dbuf[3] >> 4);
        b[0] = (unsigned char)(dbuf[0] << 3 | dbuf[1] >> 2);
        static const size_t nbytes[] = {0, 0, 1, 0, 2, 3, 0, 4, 5};
        sb_add(out, b, nbytes[dlen]);
    }
    return -1;
}

static cval *f_b32dec(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    size_t n = argv[0]->u.str.len, k = 0;
    unsigned char *buf = arena_alloc(c->a, n + 1);
    for (size_t i = 0; i < n; i++)
        if (argv[0]->u.str.s[i] != '\r' && argv[0]->u.str.s[i] != '\n')
            buf[k++] = (unsigned char)argv[0]->u.str.s[i];
    strbuf sb = STRBUF_INIT;
    long bad = b32_decode(&sb, buf, k);
    if (bad >= 0) {
        sb_reset(&sb);
        sb_addf(&sb, "illegal base32 data at input byte %ld", bad);
    }
    return ret_sb(c, &sb);
}

const cv_fnreg fn_encoding_table[] = {
    {"b64enc", f_b64enc, "s"},
    {"b64dec", f_b64dec, "s"},
    {"b32enc", f_b32enc, "s"},
    {"b32dec", f_b32dec, "s"},
    {NULL, NULL, NULL},
};
