/* fn_unicode.c — UTF-8 and the Unicode classes and case mappings of Go's
 * unicode package, from tables generated out of Go itself. */
#include "renderer/funcs/fn_util.h"

#include <stdlib.h>

#include "renderer/funcs/fn_unicode_tab.h"
#include "core/xalloc.h"

uint32_t fn_utf8_decode(const char *s, size_t n, size_t *size)
{
    const unsigned char *p = (const unsigned char *)s;
    *size = 1;
    if (n == 0)
        return FN_RUNE_ERROR;
    unsigned c = p[0];
    if (c < 0x80)
        return c;
    size_t need;
    uint32_t r, min;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2; r = c & 0x1F; min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3; r = c & 0x0F; min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4; r = c & 0x07; min = 0x10000;
    } else {
        return FN_RUNE_ERROR;
    }
    if (n < need)
        return FN_RUNE_ERROR;
    for (size_t i = 1; i < need; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return FN_RUNE_ERROR;
        r = (r << 6) | (p[i] & 0x3F);
    }
    if (r < min || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))
        return FN_RUNE_ERROR;
    *size = need;
    return r;
}

void fn_utf8_put(strbuf *out, uint32_t r)
{
    if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))
        r = FN_RUNE_ERROR;
    char b[4];
    if (r < 0x80) {
        sb_addc(out, (char)r);
    } else if (r < 0x800) {
        b[0] = (char)(0xC0 | (r >> 6));
        b[1] = (char)(0x80 | (r & 0x3F));
        sb_add(out, b, 2);
    } else if (r < 0x10000) {
        b[0] = (char)(0xE0 | (r >> 12));
        b[1] = (char)(0x80 | ((r >> 6) & 0x3F));
        b[2] = (char)(0x80 | (r & 0x3F));
        sb_add(out, b, 3);
    } else {
        b[0] = (char)(0xF0 | (r >> 18));
        b[1] = (char)(0x80 | ((r >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((r >> 6) & 0x3F));
        b[3] = (char)(0x80 | (r & 0x3F));
        sb_add(out, b, 4);
    }
}

uint32_t *fn_utf8_runes(const char *s, size_t n, size_t *count)
{
    uint32_t *rs = xmalloc((n + 1) * sizeof *rs);
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        size_t sz;
        rs[k++] = fn_utf8_decode(s + i, n - i, &sz);
        i += sz;
    }
    *count = k;
    return rs;
}

static bool in_ranges(const uint32_t (*t)[2], size_t n, uint32_t r)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (r < t[mid][0])
            hi = mid;
        else if (r > t[mid][1])
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

#define IN(tab, r) in_ranges(tab, sizeof tab / sizeof *tab, r)

bool fn_is_upper(uint32_t r) { return IN(uni_upper, r); }
bool fn_is_lower(uint32_t r) { return IN(uni_lower, r); }
bool fn_is_title(uint32_t r) { return IN(uni_title, r); }
bool fn_is_letter(uint32_t r) { return IN(uni_letter, r); }
bool fn_is_number(uint32_t r) { return IN(uni_number, r); }
bool fn_is_punct(uint32_t r) { return IN(uni_punct, r); }
bool fn_is_space(uint32_t r) { return IN(uni_space, r); }

static const uint32_t *case_row(uint32_t r)
{
    size_t lo = 0, hi = sizeof uni_case / sizeof *uni_case;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (r < uni_case[mid][0])
            hi = mid;
        else if (r > uni_case[mid][0])
            lo = mid + 1;
        else
            return uni_case[mid];
    }
    return NULL;
}

uint32_t fn_to_upper(uint32_t r)
{
    if (r < 0x80)
        return r >= 'a' && r <= 'z' ? r - 32 : r;
    const uint32_t *row = case_row(r);
    return row ? row[1] : r;
}

uint32_t fn_to_lower(uint32_t r)
{
    if (r < 0x80)
        return r >= 'A' && r <= 'Z' ? r + 32 : r;
    const uint32_t *row = case_row(r);
    return row ? row[2] : r;
}

uint32_t fn_to_title(uint32_t r)
{
    if (r < 0x80)
        return r >= 'a' && r <= 'z' ? r - 32 : r;
    const uint32_t *row = case_row(r);
    return row ? row[3] : r;
}

uint32_t fn_utf8_decode_last(const char *s, size_t n, size_t *size)
{
    *size = 1;
    if (n == 0)
        return FN_RUNE_ERROR;
    const unsigned char *p = (const unsigned char *)s;
    if (p[n - 1] < 0x80)
        return p[n - 1];
    size_t lim = n >= 4 ? n - 4 : 0, start = n - 1;
    while (start > lim && (p[start] & 0xC0) == 0x80)
        start--;
    size_t sz;
    uint32_t r = fn_utf8_decode(s + start, n - start, &sz);
    if (start + sz != n)
        return FN_RUNE_ERROR;
    *size = sz;
    return r;
}
