/* yaml_resolve.c — go-yaml v2's resolve() for plain scalars, Go's integer and
 * float parsing as resolve uses it, Go's float formatting, and Go's UTF-8
 * rules. See yaml_int.h. */
#include "core/yaml_int.h"
#include "core/gofmt.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- UTF-8 as Go's unicode/utf8 sees it --------------------------------- */

int yaml_utf8_decode(const unsigned char *s, size_t n, uint32_t *r)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *r = c;
        return 1;
    }
    int need;
    uint32_t v;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        v = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        v = c & 0x07;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        *r = 0xFFFD;
        return 1;
    }
    if (n < (size_t)need + 1) {
        *r = 0xFFFD;
        return 1;
    }
    for (int i = 1; i <= need; i++) {
        unsigned b = s[i];
        if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) {
            *r = 0xFFFD;
            return 1;
        }
        v = (v << 6) | (b & 0x3F);
    }
    *r = v;
    return need + 1;
}

bool yaml_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        /* ASCII eight bytes a step */
        while (n - i >= 8) {
            uint64_t w8;
            memcpy(&w8, p + i, 8);
            if (w8 & 0x8080808080808080ULL)
                break;
            i += 8;
        }
        if (i >= n)
            break;
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t r;
        int w = yaml_utf8_decode(p + i, n - i, &r);
        if (r == 0xFFFD && w == 1)
            return false;
        i += (size_t)w;
    }
    return true;
}

void yaml_utf8_fix(strbuf *out, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (p[i] < 0x80) {
            sb_addc(out, (char)p[i]);
            i++;
            continue;
        }
        uint32_t r;
        int w = yaml_utf8_decode(p + i, n - i, &r);
        if (r == 0xFFFD && w == 1)
            sb_add(out, "\xEF\xBF\xBD", 3);
        else
            sb_add(out, p + i, (size_t)w);
        i += (size_t)w;
    }
}

/* ---- Go's integer parsing (strconv.ParseInt/ParseUint with base 0) ------- */

/* The magnitude of an unsigned Go integer literal without sign or
 * underscores: 0x.., 0o.., 0b.., 0.. (octal) or decimal. */
static bool parse_mag(const char *s, size_t n, uint64_t *out)
{
    unsigned base = 10;
    size_t i = 0;
    if (n == 0)
        return false;
    if (s[0] == '0' && n > 1) {
        char c = (char)(s[1] | 0x20);
        if (c == 'x') {
            base = 16;
            i = 2;
        } else if (c == 'o') {
            base = 8;
            i = 2;
        } else if (c == 'b') {
            base = 2;
            i = 2;
        } else {
            base = 8;
            i = 1;
        }
        if (i == 2 && n == 2)
            return false;
    }
    uint64_t v = 0;
    for (; i < n; i++) {
        unsigned d;
        char c = s[i];
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
            d = (unsigned)((c | 0x20) - 'a' + 10);
        else
            return false;
        if (d >= base)
            return false;
        if (v > (UINT64_MAX - d) / base)
            return false; /* range */
        v = v * base + d;
    }
    *out = v;
    return true;
}

bool yaml_go_parse_uint(const char *s, size_t n, uint64_t *out)
{
    return parse_mag(s, n, out);
}

bool yaml_go_parse_int(const char *s, size_t n, int64_t *out)
{
    bool neg = false;
    if (n && (s[0] == '+' || s[0] == '-')) {
        neg = s[0] == '-';
        s++;
        n--;
    }
    uint64_t m;
    if (!parse_mag(s, n, &m))
        return false;
    if (neg) {
        if (m > (uint64_t)INT64_MAX + 1)
            return false;
        *out = m == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)m;
    } else {
        if (m > (uint64_t)INT64_MAX)
            return false;
        *out = (int64_t)m;
    }
    return true;
}

/* ---- floats ------------------------------------------------------------- */

/* ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ */
static bool yaml_style_float(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    if (i < n && s[i] == '.') {
        i++;
        size_t d = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            return false;
    } else {
        size_t d = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            return false;
        if (i < n && s[i] == '.') {
            i++;
            while (i < n && s[i] >= '0' && s[i] <= '9')
                i++;
        }
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t d = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            return false;
    }
    return i == n;
}

/* strtod on a string already known to be a plain decimal float; false on
 * overflow (Go's ErrRange gives ±Inf and an error). */
static bool decimal_float(const char *s, size_t n, double *out)
{
    char tmp[128];
    char *buf = n < sizeof tmp ? tmp : malloc(n + 1);
    if (!buf)
        return false;
    memcpy(buf, s, n);
    buf[n] = 0;
    errno = 0;
    double f = strtod(buf, NULL);
    if (buf != tmp)
        free(buf);
    if (isinf(f))
        return false;
    *out = f;
    return true;
}


/* strconv.ParseFloat(s, 64) for s starting with '.': Go accepts the decimal
 * forms .5, .5e3, with underscores between digits. */
static bool dot_float(const char *s, size_t n, double *out)
{
    char tmp[128];
    if (n >= sizeof tmp)
        return false;
    size_t m = 0;
    bool us = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '_')
            us = true;
        else
            tmp[m++] = s[i];
    }
    tmp[m] = 0;
    if (us && !gofmt_underscore_ok(s, n))
        return false;
    if (!yaml_style_float(tmp, m))
        return false;
    return decimal_float(tmp, m, out);
}

/* ---- timestamps (go-yaml's allowedTimestampFormats through time.Parse) --- */

static bool num(const char *s, size_t n, size_t *i, int min, int max, int *out)
{
    size_t st = *i;
    int v = 0;
    while (*i < n && *i - st < (size_t)max && s[*i] >= '0' && s[*i] <= '9')
        v = v * 10 + (s[(*i)++] - '0');
    if (*i - st < (size_t)min)
        return false;
    *out = v;
    return true;
}

static int days_in(int m, int y)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

static bool is_timestamp(const char *s, size_t n)
{
    size_t i = 0;
    int y, mo, d, h, mi, se;
    if (!num(s, n, &i, 4, 4, &y) || i >= n || s[i] != '-')
        return false;
    i++;
    if (!num(s, n, &i, 1, 2, &mo) || i >= n || s[i] != '-')
        return false;
    i++;
    if (!num(s, n, &i, 1, 2, &d))
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > days_in(mo, y))
        return false;
    if (i == n)
        return true;
    bool zone = s[i] == 'T' || s[i] == 't';
    if (!zone && s[i] != ' ')
        return false;
    i++;
    if (!num(s, n, &i, 1, 2, &h) || i >= n || s[i] != ':')
        return false;
    i++;
    if (!num(s, n, &i, 1, 2, &mi) || i >= n || s[i] != ':')
        return false;
    i++;
    if (!num(s, n, &i, 1, 2, &se))
        return false;
    if (h > 23 || mi > 59 || se > 59)
        return false;
    if (i + 1 < n && (s[i] == '.' || s[i] == ',') && s[i + 1] >= '0' && s[i + 1] <= '9') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (!zone)
        return i == n;
    if (i < n && s[i] == 'Z')
        return i + 1 == n;
    if (n - i != 6 || (s[i] != '+' && s[i] != '-') || s[i + 3] != ':')
        return false;
    for (size_t k = i + 1; k < n; k++)
        if (k != i + 3 && (s[k] < '0' || s[k] > '9'))
            return false;
    int zh = (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
    int zm = (s[i + 4] - '0') * 10 + (s[i + 5] - '0');
    return zh <= 24 && zm <= 60;
}

/* ---- resolve ------------------------------------------------------------ */

static bool eq(const char *s, size_t n, const char *w)
{
    for (size_t i = 0; i < n; i++)
        if (!w[i] || w[i] != s[i])
            return false;
    return w[n] == 0;
}

static bool in_list(const char *s, size_t n, const char *const *l)
{
    for (; *l; l++)
        if (eq(s, n, *l))
            return true;
    return false;
}

/* s (n bytes, 1 to 5) is the word w (lower case) as YAML 1.1 spells it:
 * lower case, Capitalized or UPPER CASE. */
static bool cased(const char *s, size_t n, const char *w)
{
    if (w[n] != '\0')
        return false;
    bool up = s[0] == w[0] - 32;
    if (!up && s[0] != w[0])
        return false;
    if (n == 1)
        return true;
    bool all_up = up && s[1] == w[1] - 32; /* "TRUE" (not "tRUE") */
    for (size_t i = 1; i < n; i++)
        if (s[i] != (all_up ? w[i] - 32 : w[i]))
            return false;
    return true;
}

/* The words of 1 to 5 letters starting with one of "yYnNtTfFoO~": 1 true,
 * 0 false, 2 null, -1 none (a string). The lists of yaml_resolve_plain,
 * by length. */
static int short_word(const char *s, size_t n)
{
    switch (n) {
    case 1:
        return s[0] == 'y' || s[0] == 'Y' ? 1 : s[0] == 'n' || s[0] == 'N' ? 0 : s[0] == '~' ? 2 : -1;
    case 2: return cased(s, 2, "on") ? 1 : cased(s, 2, "no") ? 0 : -1;
    case 3: return cased(s, 3, "yes") ? 1 : cased(s, 3, "off") ? 0 : -1;
    case 4: return cased(s, 4, "true") ? 1 : cased(s, 4, "null") ? 2 : -1;
    case 5: return cased(s, 5, "false") ? 0 : -1;
    default: return -1;
    }
}

yres yaml_resolve_plain(const char *s, size_t n)
{
    static const char *const yes[] = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE",
                                      "on", "On", "ON", NULL};
    static const char *const no[] = {"n", "N", "no", "No", "NO", "false", "False", "FALSE",
                                     "off", "Off", "OFF", NULL};
    static const char *const nul[] = {"", "~", "null", "Null", "NULL", NULL};
    static const char *const nan[] = {".nan", ".NaN", ".NAN", NULL};
    static const char *const pinf[] = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", NULL};
    static const char *const ninf[] = {"-.inf", "-.Inf", "-.INF", NULL};
    yres r = {YRES_STR, {0}};

    char hint = 'N';
    if (n) {
        unsigned char c = (unsigned char)s[0];
        if (c == '+' || c == '-')
            hint = 'S';
        else if (c >= '0' && c <= '9')
            hint = 'D';
        else if (strchr("yYnNtTfFoO~", c) && c)
            hint = n <= 5 ? 'M' : 0; /* the longest of the words is "false" */
        else if (c == '.')
            hint = '.';
        else
            return r;
        if (!hint)
            return r;
        if (hint == 'M') { /* a word, or a string */
            int w = short_word(s, n);
            if (w == 2)
                r.kind = YRES_NULL;
            else if (w >= 0) {
                r.kind = YRES_BOOL;
                r.u.b = w == 1;
            }
            return r;
        }
    }
    /* the words: none starts with a digit */
    if (hint != 'D' && in_list(s, n, yes)) {
        r.kind = YRES_BOOL;
        r.u.b = true;
        return r;
    }
    if (hint != 'D' && in_list(s, n, no)) {
        r.kind = YRES_BOOL;
        r.u.b = false;
        return r;
    }
    if (hint != 'D' && in_list(s, n, nul)) {
        r.kind = YRES_NULL;
        return r;
    }
    if (hint != 'D' && in_list(s, n, nan)) {
        r.kind = YRES_FLOAT;
        r.u.f = NAN;
        return r;
    }
    if (hint != 'D' && (in_list(s, n, pinf) || in_list(s, n, ninf))) {
        r.kind = YRES_FLOAT;
        r.u.f = in_list(s, n, pinf) ? INFINITY : -INFINITY;
        return r;
    }
    if (eq(s, n, "<<")) {
        r.kind = YRES_MERGE;
        return r;
    }
    if (hint == '.') {
        double f;
        if (dot_float(s, n, &f)) {
            r.kind = YRES_FLOAT;
            r.u.f = f;
        }
        return r;
    }
    if (hint != 'D' && hint != 'S')
        return r;
    if (is_timestamp(s, n)) {
        r.kind = YRES_TIMESTAMP;
        return r;
    }
    /* plain := strings.Replace(in, "_", "", -1) */
    char tmp[128];
    char *plain = n < sizeof tmp ? tmp : malloc(n + 1);
    if (!plain)
        return r;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] != '_')
            plain[m++] = s[i];
    plain[m] = 0;
    int64_t iv;
    uint64_t uv;
    double f;
    if (yaml_go_parse_int(plain, m, &iv)) {
        r.kind = YRES_INT;
        r.u.i = iv;
    } else if (yaml_go_parse_uint(plain, m, &uv)) {
        r.kind = YRES_UINT;
        r.u.u = uv;
    } else if (yaml_style_float(plain, m) && decimal_float(plain, m, &f)) {
        r.kind = YRES_FLOAT;
        r.u.f = f;
    }
    /* go-yaml's own 0b / -0b branches are covered by ParseInt's base 0. */
    if (plain != tmp)
        free(plain);
    return r;
}

/* ---- Go's float formatting ---------------------------------------------- */

/* The shortest decimal digits that read back as f (f finite, > 0):
 * digits in d (no dot), and the decimal exponent: value = 0.d * 10^dp. */
static int shortest(double f, char *d, int *dp, bool f32)
{
    char buf[40];
    for (int p = 0; p < 17; p++) {
        snprintf(buf, sizeof buf, "%.*e", p, f);
        double back = strtod(buf, NULL);
        if (f32 ? (float)back == (float)f : back == f)
            break;
    }
    /* buf: D.DDDDe[+-]XX */
    int nd = 0;
    char *p = buf;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            d[nd++] = *p;
    int e = atoi(p + 1);
    while (nd > 1 && d[nd - 1] == '0')
        nd--;
    d[nd] = 0;
    *dp = e + 1;
    return nd;
}

static void fmt_e(strbuf *out, const char *d, int nd, int dp, bool json)
{
    sb_addc(out, d[0]);
    if (nd > 1) {
        sb_addc(out, '.');
        sb_add(out, d + 1, (size_t)nd - 1);
    }
    int e = dp - 1;
    sb_addc(out, 'e');
    sb_addc(out, e < 0 ? '-' : '+');
    if (e < 0)
        e = -e;
    if (e < 10 && !json)
        sb_addc(out, '0');
    sb_addf(out, "%d", e);
}

static void fmt_f(strbuf *out, const char *d, int nd, int dp)
{
    if (dp <= 0) {
        sb_adds(out, "0.");
        sb_addrep(out, '0', (size_t)-dp);
        sb_add(out, d, (size_t)nd);
    } else if (dp >= nd) {
        sb_add(out, d, (size_t)nd);
        sb_addrep(out, '0', (size_t)(dp - nd));
    } else {
        sb_add(out, d, (size_t)dp);
        sb_addc(out, '.');
        sb_add(out, d + dp, (size_t)(nd - dp));
    }
}

static void go_float(strbuf *out, double f, char fmt, bool f32)
{
    if (isnan(f)) {
        sb_adds(out, "NaN");
        return;
    }
    if (isinf(f)) {
        sb_adds(out, f > 0 ? "+Inf" : "-Inf");
        return;
    }
    if (signbit(f))
        sb_addc(out, '-');
    f = fabs(f);
    char d[40];
    int dp, nd;
    if (f == 0) {
        d[0] = '0';
        d[1] = 0;
        nd = 1;
        dp = 1;
    } else {
        nd = shortest(f, d, &dp, f32);
    }
    switch (fmt) {
    case 'e':
        fmt_e(out, d, nd, dp, false);
        break;
    case 'f':
        fmt_f(out, d, nd, dp);
        break;
    case 'j': { /* encoding/json: 'f' unless < 1e-6 or >= 1e21, then 'e' with e-7 */
        double a = f;
        if (a != 0 && (a < 1e-6 || a >= 1e21))
            fmt_e(out, d, nd, dp, true);
        else
            fmt_f(out, d, nd, dp);
        break;
    }
    default: { /* 'g' with shortest precision: %e when exp < -4 || exp >= 6 */
        int exp = f == 0 ? 0 : dp - 1;
        if (exp < -4 || exp >= 6)
            fmt_e(out, d, nd, dp, false);
        else
            fmt_f(out, d, nd, dp);
    }
    }
}

void yaml_go_float(strbuf *out, double f, char fmt)
{
    go_float(out, f, fmt, false);
}

void yaml_go_float32(strbuf *out, double f)
{
    go_float(out, (double)(float)f, 'g', true);
}

/* ---- go-yaml's double-quoted writer when the value starts with a BOM ---- */

bool yaml_starts_with_bom(const char *s, size_t n)
{
    return n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF;
}

void yaml_bom_double_quoted(strbuf *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *b = (const unsigned char *)s;
    sb_addc(out, '"');
    for (size_t i = 0; i < n;) {
        /* go-yaml decodes by the lead byte's pattern, trusting the rest */
        unsigned c = b[i];
        int w = (c & 0x80) == 0 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
        uint32_t v = w == 1 ? c : w == 2 ? c & 0x1F : w == 3 ? c & 0x0F : c & 0x07;
        for (int k = 1; k < w && i + (size_t)k < n; k++)
            v = v << 6 | (b[i + (size_t)k] & 0x3F);
        i += (size_t)w;
        const char *named = NULL;
        switch (v) {
        case 0x00: named = "0"; break;
        case 0x07: named = "a"; break;
        case 0x08: named = "b"; break;
        case 0x09: named = "t"; break;
        case 0x0A: named = "n"; break;
        case 0x0B: named = "v"; break;
        case 0x0C: named = "f"; break;
        case 0x0D: named = "r"; break;
        case 0x1B: named = "e"; break;
        case 0x22: named = "\""; break;
        case 0x5C: named = "\\"; break;
        case 0x85: named = "N"; break;
        case 0xA0: named = "_"; break;
        case 0x2028: named = "L"; break;
        case 0x2029: named = "P"; break;
        }
        sb_addc(out, '\\');
        if (named) {
            sb_adds(out, named);
            continue;
        }
        int digits;
        if (v <= 0xFF) {
            sb_addc(out, 'x');
            digits = 2;
        } else if (v <= 0xFFFF) {
            sb_addc(out, 'u');
            digits = 4;
        } else {
            sb_addc(out, 'U');
            digits = 8;
        }
        for (int k = (digits - 1) * 4; k >= 0; k -= 4)
            sb_addc(out, hex[(v >> k) & 0x0F]);
    }
    sb_addc(out, '"');
}

/* ---- go-yaml's key order ------------------------------------------------ */

/* unicode.IsLetter, closely enough: ASCII exactly, and beyond it the letter
 * blocks of the common scripts (symbols, punctuation and emoji are not
 * letters). */
static bool key_is_letter(uint32_t c)
{
    static const uint32_t ranges[][2] = {
        {0x41, 0x5A}, {0x61, 0x7A}, {0xAA, 0xAA}, {0xB5, 0xB5}, {0xBA, 0xBA}, {0xC0, 0xD6},
        {0xD8, 0xF6}, {0xF8, 0x2C1}, {0x2C6, 0x2D1}, {0x2E0, 0x2E4}, {0x370, 0x374}, {0x376, 0x37D},
        {0x37F, 0x37F}, {0x386, 0x386}, {0x388, 0x3F5}, {0x3F7, 0x481}, {0x48A, 0x52F}, {0x531, 0x556},
        {0x561, 0x587}, {0x5D0, 0x5EA}, {0x620, 0x64A}, {0x671, 0x6D3}, {0x904, 0x939}, {0x985, 0x9B9},
        {0xE01, 0xE30}, {0x10A0, 0x10FF}, {0x1100, 0x11FF}, {0x1E00, 0x1FBC}, {0x2C00, 0x2CE4},
        {0x3041, 0x3096}, {0x30A1, 0x30FA}, {0x3105, 0x312F}, {0x3131, 0x318E}, {0x3400, 0x4DBF},
        {0x4E00, 0x9FFF}, {0xA000, 0xA48C}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFF21, 0xFF3A},
        {0xFF41, 0xFF5A}, {0xFF66, 0xFFDC}, {0x20000, 0x2FA1D},
    };
    for (size_t i = 0; i < sizeof ranges / sizeof *ranges; i++)
        if (c >= ranges[i][0] && c <= ranges[i][1])
            return true;
    return false;
}

static bool key_is_digit(uint32_t c) { return c >= '0' && c <= '9'; }

typedef struct skey {
    uint32_t *r;
    size_t n;
    const cv_entry *e;
} skey;

/* sorter.go's keyList.Less on strings: runs of digits compare as numbers.
 * v3 differs in one rule: after equal digits, a letter sorts after a digit. */
static bool key_less(const skey *a, const skey *b, bool v3)
{
    const uint32_t *ar = a->r, *br = b->r;
    bool digits = false;
    for (size_t i = 0; i < a->n && i < b->n; i++) {
        if (ar[i] == br[i]) {
            digits = key_is_digit(ar[i]);
            continue;
        }
        bool al = key_is_letter(ar[i]), bl = key_is_letter(br[i]);
        if (al && bl)
            return ar[i] < br[i];
        if (al || bl)
            return v3 && digits ? al : bl;
        int64_t an = 0, bn = 0;
        size_t ai, bi;
        if (ar[i] == '0' || br[i] == '0') {
            for (size_t j = i; j-- > 0 && key_is_digit(ar[j]);) {
                if (ar[j] != '0') {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        for (ai = i; ai < a->n && key_is_digit(ar[ai]); ai++)
            an = (int64_t)((uint64_t)an * 10 + (ar[ai] - '0'));
        for (bi = i; bi < b->n && key_is_digit(br[bi]); bi++)
            bn = (int64_t)((uint64_t)bn * 10 + (br[bi] - '0'));
        if (an != bn)
            return an < bn;
        if (ai != bi)
            return ai < bi;
        return ar[i] < br[i];
    }
    return a->n < b->n;
}

/* Stable merge sort with key_less. */
static void sort_keys(skey *k, skey *tmp, size_t n, bool v3)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    sort_keys(k, tmp, h, v3);
    sort_keys(k + h, tmp, n - h, v3);
    size_t i = 0, j = h, o = 0;
    while (i < h && j < n)
        tmp[o++] = key_less(&k[j], &k[i], v3) ? k[j++] : k[i++];
    while (i < h)
        tmp[o++] = k[i++];
    while (j < n)
        tmp[o++] = k[j++];
    memcpy(k, tmp, n * sizeof *k);
}

const cv_entry **yaml_sorted_entries(const cval *map, bool v3, size_t *nout)
{
    size_t n;
    const cv_entry *e = cv_map_sorted(map, &n);
    skey *k = calloc(n ? n : 1, sizeof *k), *tmp = calloc(n ? n : 1, sizeof *k);
    for (size_t i = 0; i < n; i++) {
        k[i].r = malloc((e[i].keylen + 1) * sizeof *k[i].r);
        k[i].e = &e[i];
        for (size_t j = 0; j < e[i].keylen;) {
            uint32_t c;
            j += (size_t)yaml_utf8_decode((const unsigned char *)e[i].key + j, e[i].keylen - j, &c);
            k[i].r[k[i].n++] = c;
        }
    }
    sort_keys(k, tmp, n, v3);
    const cv_entry **out = malloc((n ? n : 1) * sizeof *out);
    for (size_t i = 0; i < n; i++) {
        out[i] = k[i].e;
        free(k[i].r);
    }
    free(k);
    free(tmp);
    *nout = n;
    return out;
}
