/* gofmt_quote.c — UTF-8 as Go's unicode/utf8 reads it, and strconv's quoting. */
#include "core/gofmt.h"

#include "core/gofmt_printtab.h"

#define RUNE_ERROR 0xFFFD
#define MAX_RUNE 0x10FFFF

int gofmt_decode_rune(const char *s, size_t len, int32_t *r)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned c = p[0];
    if (c < 0x80) {
        *r = (int32_t)c;
        return 1;
    }
    int n;
    uint32_t v, min;
    unsigned lo = 0x80, hi = 0xBF; /* the range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2; v = c & 0x1F; min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3; v = c & 0x0F; min = 0x800;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4; v = c & 0x07; min = 0x10000;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        *r = RUNE_ERROR;
        return 1;
    }
    (void)min;
    if (len < (size_t)n || p[1] < lo || p[1] > hi) {
        *r = RUNE_ERROR;
        return 1;
    }
    v = (v << 6) | (p[1] & 0x3F);
    for (int i = 2; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *r = RUNE_ERROR;
            return 1;
        }
        v = (v << 6) | (p[i] & 0x3F);
    }
    *r = (int32_t)v;
    return n;
}

static bool valid_rune(int32_t r)
{
    return (r >= 0 && r < 0xD800) || (r > 0xDFFF && r <= MAX_RUNE);
}

void gofmt_add_rune(strbuf *out, int32_t r)
{
    if (!valid_rune(r))
        r = RUNE_ERROR;
    uint32_t u = (uint32_t)r;
    if (u < 0x80) {
        sb_addc(out, (char)u);
    } else if (u < 0x800) {
        sb_addc(out, (char)(0xC0 | (u >> 6)));
        sb_addc(out, (char)(0x80 | (u & 0x3F)));
    } else if (u < 0x10000) {
        sb_addc(out, (char)(0xE0 | (u >> 12)));
        sb_addc(out, (char)(0x80 | ((u >> 6) & 0x3F)));
        sb_addc(out, (char)(0x80 | (u & 0x3F)));
    } else {
        sb_addc(out, (char)(0xF0 | (u >> 18)));
        sb_addc(out, (char)(0x80 | ((u >> 12) & 0x3F)));
        sb_addc(out, (char)(0x80 | ((u >> 6) & 0x3F)));
        sb_addc(out, (char)(0x80 | (u & 0x3F)));
    }
}

size_t gofmt_rune_count(const char *s, size_t len)
{
    size_t n = 0;
    int32_t r;
    for (size_t i = 0; i < len; n++)
        i += (unsigned char)s[i] < 0x80 ? 1 : (size_t)gofmt_decode_rune(s + i, len - i, &r);
    return n;
}

bool gofmt_isprint(int32_t r)
{
    if (r < 0 || r > MAX_RUNE)
        return false;
    size_t lo = 0, hi = sizeof print_ranges / sizeof print_ranges[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if ((uint32_t)r < print_ranges[mid][0])
            hi = mid;
        else if ((uint32_t)r > print_ranges[mid][1])
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

static const char lowerhex[] = "0123456789abcdef";

static void add_escaped_rune(strbuf *out, int32_t r, char quote, bool ascii)
{
    if (r == quote || r == '\\') {
        sb_addc(out, '\\');
        sb_addc(out, (char)r);
        return;
    }
    if (ascii) {
        if (r < 0x80 && gofmt_isprint(r)) {
            sb_addc(out, (char)r);
            return;
        }
    } else if (gofmt_isprint(r)) {
        gofmt_add_rune(out, r);
        return;
    }
    switch (r) {
    case '\a': sb_adds(out, "\\a"); return;
    case '\b': sb_adds(out, "\\b"); return;
    case '\f': sb_adds(out, "\\f"); return;
    case '\n': sb_adds(out, "\\n"); return;
    case '\r': sb_adds(out, "\\r"); return;
    case '\t': sb_adds(out, "\\t"); return;
    case '\v': sb_adds(out, "\\v"); return;
    }
    if (r < ' ' || r == 0x7f) {
        sb_adds(out, "\\x");
        sb_addc(out, lowerhex[(r >> 4) & 0xF]);
        sb_addc(out, lowerhex[r & 0xF]);
        return;
    }
    if (!valid_rune(r))
        r = RUNE_ERROR;
    if (r < 0x10000) {
        sb_adds(out, "\\u");
        for (int s = 12; s >= 0; s -= 4)
            sb_addc(out, lowerhex[(r >> s) & 0xF]);
    } else {
        sb_adds(out, "\\U");
        for (int s = 28; s >= 0; s -= 4)
            sb_addc(out, lowerhex[(r >> s) & 0xF]);
    }
}

static void quote_with(strbuf *out, const char *s, size_t len, bool ascii)
{
    sb_addc(out, '"');
    for (size_t i = 0; i < len;) {
        int32_t r = (unsigned char)s[i];
        int w = 1;
        if (r >= 0x80)
            w = gofmt_decode_rune(s + i, len - i, &r);
        if (w == 1 && r == RUNE_ERROR) {
            sb_adds(out, "\\x");
            sb_addc(out, lowerhex[(unsigned char)s[i] >> 4]);
            sb_addc(out, lowerhex[(unsigned char)s[i] & 0xF]);
            i++;
            continue;
        }
        add_escaped_rune(out, r, '"', ascii);
        i += (size_t)w;
    }
    sb_addc(out, '"');
}

void gofmt_quote(strbuf *out, const char *s, size_t len)
{
    quote_with(out, s, len, false);
}

void gofmt_quote_ascii(strbuf *out, const char *s, size_t len)
{
    quote_with(out, s, len, true);
}

void gofmt_quote_rune(strbuf *out, int32_t r, bool ascii)
{
    if (!valid_rune(r))
        r = RUNE_ERROR;
    sb_addc(out, '\'');
    add_escaped_rune(out, r, '\'', ascii);
    sb_addc(out, '\'');
}

bool gofmt_can_backquote(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if ((c < ' ' && c != '\t') || c == '`' || c == 0x7f)
                return false;
            i++;
            continue;
        }
        int32_t r;
        int w = gofmt_decode_rune(s + i, len - i, &r);
        if (w == 1 || r == 0xFEFF)
            return false;
        i += (size_t)w;
    }
    return true;
}
