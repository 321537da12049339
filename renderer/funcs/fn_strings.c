/* fn_strings.c — Sprig's string functions (sprig v3.3.0 strings.go and the
 * goutils/xstrings helpers it calls), byte for byte as Helm v4.1.4 runs them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "renderer/funcs/fn_sprig.h"
#include "renderer/funcs/fn_util.h"
#include "core/gofmt.h"
#include "core/xalloc.h"

#define SA(k) (argv[k]->u.str.s)
#define NA(k) (argv[k]->u.str.len)
#define IA(k) (argv[k]->u.i)

static cval *ret_sb(cv_call *c, strbuf *sb)
{
    cval *v = cv_string(c->a, sb_str(sb), sb->len);
    sb_release(sb);
    return v;
}

static cval *ret_str(cv_call *c, const char *s, size_t n)
{
    return cv_string(c->a, s, n);
}

/* ---- trimming ---------------------------------------------------------- */

static bool cutset_has(const char *cut, size_t cn, uint32_t r)
{
    for (size_t i = 0; i < cn;) {
        size_t sz;
        uint32_t q = fn_utf8_decode(cut + i, cn - i, &sz);
        if (q == r)
            return true;
        i += sz;
    }
    return false;
}

/* strings.Trim / TrimSpace: runes in the set (or spaces when cut is NULL). */
static void trim_bounds(const char *s, size_t n, const char *cut, size_t cn, size_t *lo, size_t *hi)
{
    size_t a = 0, b = n;
    while (a < b) {
        size_t sz;
        uint32_t r = fn_utf8_decode(s + a, b - a, &sz);
        if (cut ? !cutset_has(cut, cn, r) : !fn_is_space(r))
            break;
        a += sz;
    }
    while (b > a) {
        size_t sz;
        uint32_t r = fn_utf8_decode_last(s + a, b - a, &sz);
        if (cut ? !cutset_has(cut, cn, r) : !fn_is_space(r))
            break;
        b -= sz;
    }
    *lo = a;
    *hi = b;
}

static cval *f_trim(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    size_t lo, hi;
    trim_bounds(SA(0), NA(0), NULL, 0, &lo, &hi);
    return ret_str(c, SA(0) + lo, hi - lo);
}

static cval *f_trim_all(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    if (NA(0) == 0)
        return argv[1];
    size_t lo, hi;
    trim_bounds(SA(1), NA(1), SA(0), NA(0), &lo, &hi);
    return ret_str(c, SA(1) + lo, hi - lo);
}

static cval *f_trim_suffix(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    if (NA(1) >= NA(0) && !memcmp(SA(1) + NA(1) - NA(0), SA(0), NA(0)))
        return ret_str(c, SA(1), NA(1) - NA(0));
    return argv[1];
}

static cval *f_trim_prefix(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    if (NA(1) >= NA(0) && !memcmp(SA(1), SA(0), NA(0)))
        return ret_str(c, SA(1) + NA(0), NA(1) - NA(0));
    return argv[1];
}

/* ---- case -------------------------------------------------------------- */

static bool is_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

/* strings.Map(f, s): invalid bytes become U+FFFD. */
static void map_runes(strbuf *out, const char *s, size_t n, uint32_t (*f)(uint32_t))
{
    for (size_t i = 0; i < n;) {
        size_t sz;
        uint32_t r = fn_utf8_decode(s + i, n - i, &sz);
        fn_utf8_put(out, f(r));
        i += sz;
    }
}

static cval *case_map(cv_call *c, cval **argv, uint32_t (*f)(uint32_t), bool upper)
{
    strbuf sb = STRBUF_INIT;
    if (is_ascii(SA(0), NA(0))) {
        sb_add(&sb, SA(0), NA(0));
        for (size_t i = 0; i < sb.len; i++) {
            char ch = sb.buf[i];
            if (upper && ch >= 'a' && ch <= 'z')
                sb.buf[i] = (char)(ch - 32);
            else if (!upper && ch >= 'A' && ch <= 'Z')
                sb.buf[i] = (char)(ch + 32);
        }
    } else {
        map_runes(&sb, SA(0), NA(0), f);
    }
    return ret_sb(c, &sb);
}

static cval *f_upper(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    return case_map(c, argv, fn_to_upper, true);
}

static cval *f_lower(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    return case_map(c, argv, fn_to_lower, false);
}

/* strings.Title's isSeparator. */
static bool title_sep(uint32_t r)
{
    if (r <= 0x7F) {
        if ((r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r == '_')
            return false;
        return true;
    }
    if (fn_is_letter(r) || fn_is_number(r))
        return false;
    return fn_is_space(r);
}

static cval *f_title(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    strbuf sb = STRBUF_INIT;
    uint32_t prev = ' ';
    for (size_t i = 0; i < NA(0);) {
        size_t sz;
        uint32_t r = fn_utf8_decode(SA(0) + i, NA(0) - i, &sz);
        fn_utf8_put(&sb, title_sep(prev) ? fn_to_title(r) : r);
        prev = r;
        i += sz;
    }
    return ret_sb(c, &sb);
}

static void put_runes(strbuf *sb, const uint32_t *rs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fn_utf8_put(sb, rs[i]);
}

/* goutils.Uncapitalize: the first rune of each space-separated word lowered. */
static cval *f_untitle(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    if (NA(0) == 0)
        return argv[0];
    size_t n;
    uint32_t *rs = fn_utf8_runes(SA(0), NA(0), &n);
    bool next = true;
    for (size_t i = 0; i < n; i++) {
        if (fn_is_space(rs[i])) {
            next = true;
        } else if (next) {
            rs[i] = fn_to_lower(rs[i]);
            next = false;
        }
    }
    strbuf sb = STRBUF_INIT;
    put_runes(&sb, rs, n);
    free(rs);
    return ret_sb(c, &sb);
}

/* goutils.SwapCase. */
static cval *f_swapcase(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    if (NA(0) == 0)
        return argv[0];
    size_t n;
    uint32_t *rs = fn_utf8_runes(SA(0), NA(0), &n);
    bool ws = true;
    for (size_t i = 0; i < n; i++) {
        uint32_t r = rs[i];
        if (fn_is_upper(r) || fn_is_title(r)) {
            rs[i] = fn_to_lower(r);
            ws = false;
        } else if (fn_is_lower(r)) {
            rs[i] = ws ? fn_to_title(r) : fn_to_upper(r);
            ws = false;
        } else {
            ws = fn_is_space(r);
        }
    }
    strbuf sb = STRBUF_INIT;
    put_runes(&sb, rs, n);
    free(rs);
    return ret_sb(c, &sb);
}

/* ---- xstrings: snakecase, kebabcase, camelcase (ToPascalCase) ---------- */

static bool is_connector(uint32_t r)
{
    return r == '-' || r == '_' || fn_is_space(r);
}

/* xstrings' isAlphabet: letters, except the common CJK ideographs. */
static bool is_alphabet(uint32_t r)
{
    if (!fn_is_letter(r))
        return false;
    if (r < 0x2E80)
        return true;
    if ((r >= 0x4E00 && r <= 0x9FCC) || (r >= 0x3400 && r <= 0x4DB5) ||
        (r >= 0x20000 && r <= 0x2A6D6) || (r >= 0x2A700 && r <= 0x2B734) ||
        (r >= 0x2B740 && r <= 0x2B81D) || (r >= 0x2B820 && r <= 0x2CEAF) ||
        (r >= 0x2CEB0 && r <= 0x2EBE0) || (r >= 0xF900 && r <= 0xFAFF) ||
        (r >= 0x2F800 && r <= 0x2FA1F))
        return false;
    return true;
}

static cval *f_camelcase(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    const char *s = SA(0);
    size_t n = NA(0), i = 0, size = 0;
    if (n == 0)
        return argv[0];
    strbuf sb = STRBUF_INIT;
    bool first_upper = false;
    uint32_t r0 = 0, r1;
    while (i < n) {
        r0 = fn_utf8_decode(s + i, n - i, &size);
        i += size;
        if (!is_connector(r0)) {
            first_upper = fn_is_upper(r0);
            r0 = fn_to_upper(r0);
            break;
        }
        fn_utf8_put(&sb, r0);
    }
    if (i >= n) {
        if (size != 0)
            fn_utf8_put(&sb, r0);
        return ret_sb(c, &sb);
    }
    while (i < n) {
        r1 = r0;
        r0 = fn_utf8_decode(s + i, n - i, &size);
        i += size;
        if (is_connector(r0) && is_connector(r1)) {
            fn_utf8_put(&sb, r1);
            continue;
        }
        if (is_connector(r1)) {
            first_upper = fn_is_upper(r0);
            r0 = fn_to_upper(r0);
        } else {
            if (first_upper) {
                if (fn_is_upper(r0))
                    r0 = fn_to_lower(r0);
                else
                    first_upper = false;
            }
            fn_utf8_put(&sb, r1);
        }
    }
    fn_utf8_put(&sb, r0);
    return ret_sb(c, &sb);
}

enum { W_INVALID, W_NUMBER, W_UPPER, W_ALPHA, W_CONNECTOR, W_PUNCT, W_OTHER };

typedef struct { const char *s; size_t n; } span;

/* xstrings' nextValidRune: skips invalid runes; at the end returns prev. */
static uint32_t next_valid(span str, uint32_t prev, size_t *size)
{
    *size = 0;
    size_t i = 0;
    while (i < str.n) {
        size_t sz;
        uint32_t r = fn_utf8_decode(str.s + i, str.n - i, &sz);
        *size += sz;
        if (r != FN_RUNE_ERROR)
            return r;
        i += sz;
    }
    return prev;
}

static int next_word(span str, span *word, span *rem)
{
    int wt = W_INVALID;
    word->s = str.s;
    word->n = 0;
    *rem = str;
    if (str.n == 0)
        return W_INVALID;
    size_t off = 0, size;
    uint32_t r = next_valid(*rem, FN_RUNE_ERROR, &size);
    off += size;
#define ADV(k) (rem->s += (k), rem->n -= (k))
    if (r == FN_RUNE_ERROR) {
        word->n = off;
        rem->s = str.s + off;
        rem->n = str.n - off;
        return W_INVALID;
    }
    if (is_connector(r)) {
        wt = W_CONNECTOR;
        ADV(size);
        while (rem->n > 0) {
            r = next_valid(*rem, r, &size);
            if (!is_connector(r))
                break;
            off += size;
            ADV(size);
        }
    } else if (fn_is_punct(r)) {
        wt = W_PUNCT;
        ADV(size);
        while (rem->n > 0) {
            r = next_valid(*rem, r, &size);
            if (!fn_is_punct(r))
                break;
            off += size;
            ADV(size);
        }
    } else if (fn_is_upper(r)) {
        wt = W_UPPER;
        ADV(size);
        if (rem->n > 0) {
            r = next_valid(*rem, r, &size);
            if (fn_is_upper(r)) {
                size_t prev_size = size;
                off += size;
                ADV(size);
                while (rem->n > 0) {
                    r = next_valid(*rem, r, &size);
                    if (!fn_is_upper(r))
                        break;
                    prev_size = size;
                    off += size;
                    ADV(size);
                }
                if (rem->n > 0 && is_alphabet(r)) {
                    off -= prev_size;
                    rem->s = str.s + off;
                    rem->n = str.n - off;
                }
            } else if (is_alphabet(r)) {
                off += size;
                ADV(size);
                while (rem->n > 0) {
                    r = next_valid(*rem, r, &size);
                    if (!is_alphabet(r) || fn_is_upper(r))
                        break;
                    off += size;
                    ADV(size);
                }
            }
        }
    } else if (is_alphabet(r)) {
        wt = W_ALPHA;
        ADV(size);
        while (rem->n > 0) {
            r = next_valid(*rem, r, &size);
            if (!is_alphabet(r) || fn_is_upper(r))
                break;
            off += size;
            ADV(size);
        }
    } else if (fn_is_number(r)) {
        wt = W_NUMBER;
        ADV(size);
        while (rem->n > 0) {
            r = next_valid(*rem, r, &size);
            if (!fn_is_number(r))
                break;
            off += size;
            ADV(size);
        }
    } else {
        wt = W_OTHER;
        ADV(size);
        while (rem->n > 0) {
            r = next_valid(*rem, r, &size);
            if (size == 0 || is_connector(r) || is_alphabet(r) || fn_is_number(r) || fn_is_punct(r))
                break;
            off += size;
            ADV(size);
        }
    }
#undef ADV
    word->n = off;
    return wt;
}

static void to_lower_word(strbuf *sb, int wt, span w, char conn)
{
    if (wt != W_UPPER && wt != W_CONNECTOR) {
        sb_add(sb, w.s, w.n);
        return;
    }
    for (size_t i = 0; i < w.n;) {
        size_t sz;
        uint32_t r = fn_utf8_decode(w.s + i, w.n - i, &sz);
        i += sz;
        if (is_connector(r))
            sb_addc(sb, conn);
        else if (fn_is_upper(r))
            fn_utf8_put(sb, fn_to_lower(r));
        else
            fn_utf8_put(sb, r);
    }
}

static cval *camel_to_lower(cv_call *c, cval *arg, char conn)
{
    if (arg->u.str.len == 0)
        return arg;
    strbuf sb = STRBUF_INIT;
    span str = {arg->u.str.s, arg->u.str.len}, word, rem;
    int wt = next_word(str, &word, &rem);
    while (rem.n > 0) {
        if (wt != W_CONNECTOR)
            to_lower_word(&sb, wt, word, conn);
        int prev = wt;
        span last = word;
        wt = next_word(rem, &word, &rem);
        switch (prev) {
        case W_NUMBER:
            while (wt == W_ALPHA || wt == W_NUMBER) {
                to_lower_word(&sb, wt, word, conn);
                wt = next_word(rem, &word, &rem);
            }
            if (wt != W_INVALID && wt != W_PUNCT && wt != W_CONNECTOR)
                sb_addc(&sb, conn);
            break;
        case W_CONNECTOR:
            to_lower_word(&sb, prev, last, conn);
            break;
        case W_PUNCT:
            break;
        default:
            if (wt != W_NUMBER) {
                if (wt != W_CONNECTOR && wt != W_PUNCT)
                    sb_addc(&sb, conn);
                break;
            }
            if (rem.n == 0)
                break;
            last = word;
            wt = next_word(rem, &word, &rem);
            if (wt != W_ALPHA) {
                to_lower_word(&sb, W_NUMBER, last, conn);
                if (wt != W_CONNECTOR && wt != W_PUNCT)
                    sb_addc(&sb, conn);
                break;
            }
            sb_addc(&sb, conn);
            to_lower_word(&sb, W_NUMBER, last, conn);
            while (wt == W_ALPHA || wt == W_NUMBER) {
                to_lower_word(&sb, wt, word, conn);
                wt = next_word(rem, &word, &rem);
            }
            if (wt != W_INVALID && wt != W_CONNECTOR && wt != W_PUNCT)
                sb_addc(&sb, conn);
        }
    }
    to_lower_word(&sb, wt, word, conn);
    return ret_sb(c, &sb);
}

static cval *f_snakecase(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    return camel_to_lower(c, argv[0], '_');
}

static cval *f_kebabcase(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    return camel_to_lower(c, argv[0], '-');
}

/* ---- slicing and shaping ----------------------------------------------- */

static cval *bounds_fail(cv_call *c, const char *fmt, long long x, long long y)
{
    char msg[128];
    snprintf(msg, sizeof msg, fmt, x, y);
    return cv_call_fail(c, "runtime error: slice bounds out of range %s", msg);
}

static cval *f_substr(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    int64_t start = IA(0), end = IA(1), len = (int64_t)NA(2);
    if (start < 0) {
        if (end < 0)
            return bounds_fail(c, "[:%lld]%.0lld", end, 0);
        if (end > len)
            return bounds_fail(c, "[:%lld] with length %lld", end, len);
        return ret_str(c, SA(2), (size_t)end);
    }
    if (end < 0 || end > len) {
        if (start > len)
            return bounds_fail(c, "[%lld:%lld]", start, len);
        return ret_str(c, SA(2) + start, (size_t)(len - start));
    }
    if (start > end)
        return bounds_fail(c, "[%lld:%lld]", start, end);
    return ret_str(c, SA(2) + start, (size_t)(end - start));
}

static cval *repeat(cv_call *c, const char *s, size_t n, int64_t count)
{
    if (count < 0)
        return cv_call_fail(c, "strings: negative Repeat count");
    if (n && (uint64_t)count > (uint64_t)INT64_MAX / n)
        return cv_call_fail(c, "strings: Repeat output length overflow");
    if ((uint64_t)count * n > ((size_t)1 << 28))
        return cv_call_fail(c, "capstan: Repeat output of %llu bytes is too large",
                            (unsigned long long)((uint64_t)count * n));
    strbuf sb = STRBUF_INIT;
    sb_grow(&sb, (size_t)count * n);
    for (int64_t i = 0; i < count; i++)
        sb_add(&sb, s, n);
    return ret_sb(c, &sb);
}

static cval *f_repeat(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    return repeat(c, SA(1), NA(1), IA(0));
}

/* goutils.DeleteWhiteSpace: bytes taken as runes (non-ASCII bytes come out as
 * Latin-1 characters, and 0x85, 0xA0 count as spaces) — unless nothing goes. */
static cval *f_nospace(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    strbuf sb = STRBUF_INIT;
    size_t kept = 0;
    for (size_t i = 0; i < NA(0); i++) {
        uint32_t r = (unsigned char)SA(0)[i];
        if (!fn_is_space(r)) {
            fn_utf8_put(&sb, r);
            kept++;
        }
    }
    if (kept == NA(0)) {
        sb_release(&sb);
        return argv[0];
    }
    return ret_sb(c, &sb);
}

static cval *f_trunc(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    int64_t n = IA(0), len = (int64_t)NA(1);
    if (n < 0 && len + n > 0)
        return ret_str(c, SA(1) + len + n, (size_t)-n);
    if (n >= 0 && len > n)
        return ret_str(c, SA(1), (size_t)n);
    return argv[1];
}

/* goutils.AbbreviateFull; returns false for its errors (the result is then ""). */
static bool abbreviate(strbuf *out, const char *s, size_t n, int64_t offset, int64_t width)
{
    if (n == 0)
        return true;
    if (width < 4)
        return false;
    int64_t len = (int64_t)n;
    if (len <= width) {
        sb_add(out, s, n);
        return true;
    }
    if (offset > len)
        offset = len;
    if (len - offset < width - 3)
        offset = len - (width - 3);
    if (offset <= 4) {
        sb_add(out, s, (size_t)(width - 3));
        sb_adds(out, "...");
        return true;
    }
    if (width < 7)
        return false;
    if (offset + width - 3 < len) {
        strbuf tmp = STRBUF_INIT;
        bool ok = abbreviate(&tmp, s + offset, (size_t)(len - offset), 0, width - 3);
        sb_adds(out, "...");
        if (ok)
            sb_add(out, sb_str(&tmp), tmp.len);
        sb_release(&tmp);
        return true;
    }
    sb_adds(out, "...");
    sb_add(out, s + len - (width - 3), (size_t)(width - 3));
    return true;
}

static cval *f_abbrev(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    if (IA(0) < 4)
        return argv[1];
    strbuf sb = STRBUF_INIT;
    if (!abbreviate(&sb, SA(1), NA(1), 0, IA(0)))
        sb_reset(&sb);
    return ret_sb(c, &sb);
}

static cval *f_abbrevboth(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    int64_t left = IA(0), right = IA(1);
    if (right < 4 || (left > 0 && right < 7))
        return argv[2];
    strbuf sb = STRBUF_INIT;
    if (!abbreviate(&sb, SA(2), NA(2), left, right))
        sb_reset(&sb);
    return ret_sb(c, &sb);
}

/* goutils.Initials: bytes taken as runes, as DeleteWhiteSpace does. */
static cval *f_initials(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    strbuf sb = STRBUF_INIT;
    bool gap = true;
    for (size_t i = 0; i < NA(0); i++) {
        uint32_t r = (unsigned char)SA(0)[i];
        if (fn_is_space(r)) {
            gap = true;
        } else if (gap) {
            fn_utf8_put(&sb, r);
            gap = false;
        }
    }
    return ret_sb(c, &sb);
}

/* goutils.WrapCustom. */
static void wrap_custom(strbuf *out, const char *s, size_t n, int64_t width, const char *nl, size_t nln,
                        bool long_words)
{
    if (n == 0)
        return;
    if (nln == 0) {
        nl = "\n";
        nln = 1;
    }
    if (width < 1)
        width = 1;
    size_t w = (size_t)width > n ? n + 1 : (size_t)width;
    size_t off = 0;
    while (n - off > w) {
        if (s[off] == ' ') {
            off++;
            continue;
        }
        size_t end = w + off + 1;
        long sp = -1;
        for (size_t k = end; k > off; k--)
            if (s[k - 1] == ' ') {
                sp = (long)(k - 1);
                break;
            }
        if (sp >= (long)off) {
            sb_add(out, s + off, (size_t)sp - off);
            sb_add(out, nl, nln);
            off = (size_t)sp + 1;
        } else if (long_words) {
            sb_add(out, s + off, w);
            sb_add(out, nl, nln);
            off += w;
        } else {
            size_t e = w + off;
            const char *q = memchr(s + e, ' ', n - e);
            if (!q) {
                sb_add(out, s + off, n - off);
                off = n;
            } else {
                size_t at = (size_t)(q - s);
                sb_add(out, s + off, at - off);
                sb_add(out, nl, nln);
                off = at + 1;
            }
        }
    }
    sb_add(out, s + off, n - off);
}

static cval *f_wrap(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    strbuf sb = STRBUF_INIT;
    wrap_custom(&sb, SA(1), NA(1), IA(0), "", 0, false);
    return ret_sb(c, &sb);
}

static cval *f_wrap_with(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    strbuf sb = STRBUF_INIT;
    wrap_custom(&sb, SA(2), NA(2), IA(0), SA(1), NA(1), true);
    return ret_sb(c, &sb);
}

/* ---- tests ------------------------------------------------------------- */

static bool contains(const char *h, size_t hn, const char *nd, size_t nn)
{
    if (nn == 0)
        return true;
    return nn <= hn && memmem(h, hn, nd, nn) != NULL;
}

static cval *f_contains(cv_call *c, int argc, cval **argv)
{
    (void)c; (void)argc;
    return cv_bool(contains(SA(1), NA(1), SA(0), NA(0)));
}

static cval *f_has_prefix(cv_call *c, int argc, cval **argv)
{
    (void)c; (void)argc;
    return cv_bool(NA(1) >= NA(0) && !memcmp(SA(1), SA(0), NA(0)));
}

static cval *f_has_suffix(cv_call *c, int argc, cval **argv)
{
    (void)c; (void)argc;
    return cv_bool(NA(1) >= NA(0) && !memcmp(SA(1) + NA(1) - NA(0), SA(0), NA(0)));
}

/* ---- quoting and joining ----------------------------------------------- */

static cval *f_quote(cv_call *c, int argc, cval **argv)
{
    strbuf sb = STRBUF_INIT;
    bool first = true;
    for (int i = 0; i < argc; i++) {
        if (cv_is_nil(argv[i]))
            continue;
        if (!first)
            sb_addc(&sb, ' ');
        first = false;
        size_t n;
        const char *s = fn_strval_a(c->a, argv[i], &n);
        gofmt_quote(&sb, s, n);
    }
    return ret_sb(c, &sb);
}

static cval *f_squote(cv_call *c, int argc, cval **argv)
{
    strbuf sb = STRBUF_INIT;
    bool first = true;
    for (int i = 0; i < argc; i++) {
        if (cv_is_nil(argv[i]))
            continue;
        if (!first)
            sb_addc(&sb, ' ');
        first = false;
        sb_addc(&sb, '\'');
        gofmt_value(&sb, argv[i]);
        sb_addc(&sb, '\'');
    }
    return ret_sb(c, &sb);
}

static cval *f_cat(cv_call *c, int argc, cval **argv)
{
    strbuf sb = STRBUF_INIT;
    bool first = true;
    for (int i = 0; i < argc; i++) {
        if (cv_is_nil(argv[i]))
            continue;
        if (!first)
            sb_addc(&sb, ' ');
        first = false;
        gofmt_value(&sb, argv[i]);
    }
    return ret_sb(c, &sb);
}

static cval *indent_str(cv_call *c, int64_t spaces, cval *str, bool newline)
{
    if (spaces < 0)
        return cv_call_fail(c, "strings: negative Repeat count");
    const char *s = str->u.str.s;
    size_t n = str->u.str.len, lines = 1;
    for (size_t i = 0; i < n; i++)
        lines += s[i] == '\n';
    if ((uint64_t)spaces * lines > ((size_t)1 << 28))
        return cv_call_fail(c, "capstan: indent output is too large");
    /* the size is known: written once, into the arena */
    size_t pad = (size_t)spaces, total = (newline ? 1 : 0) + pad * lines + n;
    char *out = arena_alloc(c->a, total + 1), *w = out;
    if (newline)
        *w++ = '\n';
    memset(w, ' ', pad);
    w += pad;
    for (const char *p = s, *end = s + n; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t seg = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
        memcpy(w, p, seg);
        w += seg;
        p += seg;
        if (nl) {
            memset(w, ' ', pad);
            w += pad;
        }
    }
    *w = '\0';
    return cv_string_ref(c->a, out, total);
}

static cval *f_indent(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    return indent_str(c, IA(0), argv[1], false);
}

static cval *f_nindent(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    return indent_str(c, IA(0), argv[1], true);
}

/* strings.Replace(src, old, new, -1); an empty old inserts new around every rune. */
static cval *f_replace(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    const char *old = SA(0), *nw = SA(1), *s = SA(2);
    size_t on = NA(0), nn = NA(1), n = NA(2);
    strbuf sb = STRBUF_INIT;
    if (on == 0) {
        sb_add(&sb, nw, nn);
        for (size_t i = 0; i < n;) {
            size_t sz;
            fn_utf8_decode(s + i, n - i, &sz);
            sb_add(&sb, s + i, sz);
            sb_add(&sb, nw, nn);
            i += sz;
        }
        return ret_sb(c, &sb);
    }
    size_t i = 0;
    while (i < n) {
        const char *p = n - i >= on ? memmem(s + i, n - i, old, on) : NULL;
        if (!p)
            break;
        sb_add(&sb, s + i, (size_t)(p - (s + i)));
        sb_add(&sb, nw, nn);
        i = (size_t)(p - s) + on;
    }
    sb_add(&sb, s + i, n - i);
    return ret_sb(c, &sb);
}

static cval *f_plural(cv_call *c, int argc, cval **argv)
{
    (void)c; (void)argc;
    return IA(2) == 1 ? argv[0] : argv[1];
}

static cval *f_to_string(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    return fn_tostring(c->a, argv[0]);
}

static cval *f_to_strings(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    return fn_strslice(c->a, argv[0]);
}

static cval *f_join(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    cval *l = fn_strslice(c->a, argv[1]);
    strbuf sb = STRBUF_INIT;
    size_t n = cv_list_len(l);
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_add(&sb, SA(0), NA(0));
        cval *e = cv_list_get(l, i);
        sb_add(&sb, e->u.str.s, e->u.str.len);
    }
    return ret_sb(c, &sb);
}

/* strings.SplitN(s, sep, n) as a list of strings in arena a. */
static cval *split_n(arena *a, const char *s, size_t n, const char *sep, size_t sn, int64_t max)
{
    cval *l = cv_list_new(a, 4);
    l->gotype = "[]string";
    if (max == 0)
        return cv_nil(); /* Go returns a nil slice */
    if (sn == 0) {
        /* explode into UTF-8 sequences, invalid bytes one by one */
        size_t i = 0;
        int64_t k = 0;
        while (i < n) {
            if (max > 0 && k == max - 1) {
                cv_list_push(l, cv_string(a, s + i, n - i));
                return l;
            }
            size_t sz;
            fn_utf8_decode(s + i, n - i, &sz);
            cv_list_push(l, cv_string(a, s + i, sz));
            i += sz;
            k++;
        }
        return l;
    }
    size_t i = 0;
    int64_t k = 0;
    while (max < 0 || k < max - 1) {
        const char *p = n - i >= sn ? memmem(s + i, n - i, sep, sn) : NULL;
        if (!p)
            break;
        cv_list_push(l, cv_string(a, s + i, (size_t)(p - (s + i))));
        i = (size_t)(p - s) + sn;
        k++;
    }
    cv_list_push(l, cv_string(a, s + i, n - i));
    return l;
}

static cval *parts_map(cv_call *c, cval *parts)
{
    cval *m = cv_map_new(c->a);
    m->gotype = "map[string]string";
    if (parts->kind != CV_LIST)
        return m;
    size_t n = cv_list_len(parts);
    for (size_t i = 0; i < n; i++) {
        char key[32];
        snprintf(key, sizeof key, "_%zu", i);
        cv_map_set(m, key, cv_list_get(parts, i));
    }
    return m;
}

static cval *f_split(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    return parts_map(c, split_n(c->a, SA(1), NA(1), SA(0), NA(0), -1));
}

static cval *f_split_list(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    return split_n(c->a, SA(1), NA(1), SA(0), NA(0), -1);
}

static cval *f_splitn(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    return parts_map(c, split_n(c->a, SA(2), NA(2), SA(0), NA(0), IA(1)));
}

static int cmp_str(const void *x, const void *y)
{
    const cval *a = *(cval *const *)x, *b = *(cval *const *)y;
    size_t n = a->u.str.len < b->u.str.len ? a->u.str.len : b->u.str.len;
    int r = memcmp(a->u.str.s, b->u.str.s, n);
    if (r)
        return r;
    return a->u.str.len < b->u.str.len ? -1 : a->u.str.len > b->u.str.len;
}

/* sortAlpha: slices through strslice, sorted bytewise; anything else (nil
 * included) as a one-element list of its strval. A []string argument is
 * sorted in place, as Go's sort.StringSlice does. */
static cval *f_sort_alpha(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    cval *v = fn_object_slice(c->a, argv[0]);
    if (!fn_is_slice(v)) {
        const char *s = fn_strval_a(c->a, v, NULL);
        return fn_string_list(c->a, 1, &s);
    }
    cval *l = fn_strslice(c->a, v);
    if (v->kind == CV_LIST && v->gotype && !strcmp(v->gotype, "[]string"))
        l = v;
    size_t n = cv_list_len(l);
    if (n > 1)
        qsort(cv_list_items(l), n, sizeof(cval *), cmp_str);
    return l;
}

/* xstrings.Shuffle: a random permutation of the runes. */
static cval *f_shuffle(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    if (NA(0) == 0)
        return argv[0];
    size_t n;
    uint32_t *rs = fn_utf8_runes(SA(0), NA(0), &n);
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = (size_t)fn_rand_below(c, (uint64_t)i + 1);
        uint32_t t = rs[i];
        rs[i] = rs[j];
        rs[j] = t;
    }
    strbuf sb = STRBUF_INIT;
    put_runes(&sb, rs, n);
    free(rs);
    return ret_sb(c, &sb);
}

static cval *f_hello(cv_call *c, int argc, cval **argv)
{
    (void)argc; (void)argv;
    return cv_string(c->a, "Hello!", 6);
}

const cv_fnreg fn_strings_table[] = {
    {"hello", f_hello, ""},
    {"trim", f_trim, "s"},
    {"trimAll", f_trim_all, "ss"},
    {"trimall", f_trim_all, "ss"},
    {"trimSuffix", f_trim_suffix, "ss"},
    {"trimPrefix", f_trim_prefix, "ss"},
    {"upper", f_upper, "s"},
    {"lower", f_lower, "s"},
    {"title", f_title, "s"},
    {"untitle", f_untitle, "s"},
    {"substr", f_substr, "iis"},
    {"repeat", f_repeat, "is"},
    {"nospace", f_nospace, "s"},
    {"trunc", f_trunc, "is"},
    {"abbrev", f_abbrev, "is"},
    {"abbrevboth", f_abbrevboth, "iis"},
    {"initials", f_initials, "s"},
    {"wrap", f_wrap, "is"},
    {"wrapWith", f_wrap_with, "iss"},
    {"contains", f_contains, "ss"},
    {"hasPrefix", f_has_prefix, "ss"},
    {"hasSuffix", f_has_suffix, "ss"},
    {"quote", f_quote, "v*"},
    {"squote", f_squote, "v*"},
    {"cat", f_cat, "v*"},
    {"indent", f_indent, "is"},
    {"nindent", f_nindent, "is"},
    {"replace", f_replace, "sss"},
    {"plural", f_plural, "ssi"},
    {"snakecase", f_snakecase, "s"},
    {"camelcase", f_camelcase, "s"},
    {"kebabcase", f_kebabcase, "s"},
    {"swapcase", f_swapcase, "s"},
    {"shuffle", f_shuffle, "s"},
    {"toString", f_to_string, "v"},
    {"toStrings", f_to_strings, "v"},
    {"join", f_join, "sv"},
    {"split", f_split, "ss"},
    {"splitList", f_split_list, "ss"},
    {"splitn", f_splitn, "sis"},
    {"sortAlpha", f_sort_alpha, "v"},
    {NULL, NULL, NULL},
};
