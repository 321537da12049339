/* fn_util.c — Sprig's shared conversions: strval, spf13/cast, Go's strconv
 * parsers, and the reflect-style slice access Sprig's list functions use. */
#include "renderer/funcs/fn_util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/gofmt.h"

/* ---- strings ----------------------------------------------------------- */

void fn_strval(strbuf *out, const cval *v)
{
    switch (v->kind) {
    case CV_STRING:
    case CV_BYTES:
        sb_add(out, v->u.str.s, v->u.str.len);
        return;
    case CV_INVALID:
    case CV_NIL:
        sb_adds(out, "<nil>");
        return;
    default:
        gofmt_value(out, v);
    }
}

const char *fn_strval_a(arena *a, const cval *v, size_t *len)
{
    if (v->kind == CV_STRING || v->kind == CV_BYTES) {
        if (len)
            *len = v->u.str.len;
        if (v->kind == CV_STRING)
            return v->u.str.s;
        return arena_strndup(a, v->u.str.s, v->u.str.len);
    }
    strbuf sb = STRBUF_INIT;
    fn_strval(&sb, v);
    size_t n;
    char *s = gofmt_arena_text(a, &sb, &n);
    if (len)
        *len = n;
    return s;
}

cval *fn_tostring(arena *a, const cval *v)
{
    if (v->kind == CV_STRING && !v->gotype)
        return (cval *)v;
    size_t n;
    const char *s = fn_strval_a(a, v, &n);
    return cv_string_ref(a, s, n);
}

/* ---- strconv ----------------------------------------------------------- */

static int lower(int c) { return c | ('x' - 'X'); }

int fn_parse_uint(const char *s, size_t n, int base, uint64_t *out)
{
    *out = 0;
    if (n == 0)
        return FN_PARSE_SYNTAX;
    const char *s0 = s;
    size_t n0 = n;
    bool base0 = base == 0;
    if (base == 0) {
        base = 10;
        if (s[0] == '0') {
            if (n >= 3 && lower(s[1]) == 'b') {
                base = 2;
                s += 2;
                n -= 2;
            } else if (n >= 3 && lower(s[1]) == 'o') {
                base = 8;
                s += 2;
                n -= 2;
            } else if (n >= 3 && lower(s[1]) == 'x') {
                base = 16;
                s += 2;
                n -= 2;
            } else {
                base = 8;
                s++;
                n--;
            }
        }
    }
    if (base < 2 || base > 36)
        return FN_PARSE_SYNTAX;
    uint64_t v = 0;
    bool underscores = false, range = false;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)s[i], d;
        if (c == '_' && base0) {
            underscores = true;
            continue;
        } else if (c >= '0' && c <= '9') {
            d = c - '0';
        } else if (lower(c) >= 'a' && lower(c) <= 'z') {
            d = lower(c) - 'a' + 10;
        } else {
            return FN_PARSE_SYNTAX;
        }
        if (d >= base) {
            *out = 0;
            return FN_PARSE_SYNTAX;
        }
        if (range)
            continue;
        if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base) {
            range = true;
            v = UINT64_MAX;
            continue;
        }
        v = v * (uint64_t)base + (uint64_t)d;
    }
    if (underscores && !gofmt_underscore_ok(s0, n0))
        return FN_PARSE_SYNTAX;
    *out = v;
    return range ? FN_PARSE_RANGE : FN_PARSE_OK;
}

int fn_parse_int(const char *s, size_t n, int base, int64_t *out)
{
    *out = 0;
    if (n == 0)
        return FN_PARSE_SYNTAX;
    bool neg = false;
    if (s[0] == '+' || s[0] == '-') {
        neg = s[0] == '-';
        s++;
        n--;
    }
    uint64_t u;
    int rc = fn_parse_uint(s, n, base, &u);
    if (rc == FN_PARSE_SYNTAX)
        return rc;
    uint64_t cutoff = (uint64_t)1 << 63;
    if (rc == FN_PARSE_RANGE || (!neg && u >= cutoff) || (neg && u > cutoff)) {
        *out = neg ? INT64_MIN : INT64_MAX;
        return FN_PARSE_RANGE;
    }
    *out = neg ? (int64_t)(0 - u) : (int64_t)u;
    return FN_PARSE_OK;
}

static size_t prefix_icase(const char *s, size_t n, const char *word)
{
    size_t i = 0;
    while (i < n && word[i] && lower((unsigned char)s[i]) == word[i])
        i++;
    return i;
}

/* Go's special(): inf, infinity, nan. Returns the length consumed or 0. */
static size_t float_special(const char *s, size_t n, double *out)
{
    if (n == 0)
        return 0;
    int sign = 1;
    size_t nsign = 0;
    const char *p = s;
    size_t m = n;
    if (p[0] == '+' || p[0] == '-') {
        sign = p[0] == '-' ? -1 : 1;
        nsign = 1;
        p++;
        m--;
    } else if (lower((unsigned char)p[0]) == 'n') {
        if (prefix_icase(p, m, "nan") == 3) {
            *out = NAN;
            return 3;
        }
        return 0;
    }
    if (m > 0 && lower((unsigned char)p[0]) == 'i') {
        size_t k = prefix_icase(p, m, "infinity");
        if (k > 3 && k < 8)
            k = 3;
        if (k == 3 || k == 8) {
            *out = sign * INFINITY;
            return nsign + k;
        }
    }
    return 0;
}

int fn_parse_float(const char *s, size_t n, double *out)
{
    *out = 0;
    if (n == 0)
        return FN_PARSE_SYNTAX;
    double sp;
    size_t k = float_special(s, n, &sp);
    if (k) {
        if (k != n)
            return FN_PARSE_SYNTAX;
        *out = sp;
        return FN_PARSE_OK;
    }
    /* Go's readFloat, as a syntax check; strtod does the arithmetic. */
    size_t i = 0;
    if (s[i] == '+' || s[i] == '-')
        i++;
    int base = 10;
    char expc = 'e';
    if (i + 2 < n && s[i] == '0' && lower((unsigned char)s[i + 1]) == 'x') {
        base = 16;
        expc = 'p';
        i += 2;
    }
    bool underscores = false, sawdot = false, sawdigits = false;
    for (; i < n; i++) {
        int c = (unsigned char)s[i];
        if (c == '_') {
            underscores = true;
        } else if (c == '.') {
            if (sawdot)
                break;
            sawdot = true;
        } else if (c >= '0' && c <= '9') {
            sawdigits = true;
        } else if (base == 16 && lower(c) >= 'a' && lower(c) <= 'f') {
            sawdigits = true;
        } else {
            break;
        }
    }
    if (!sawdigits)
        return FN_PARSE_SYNTAX;
    if (i < n && lower((unsigned char)s[i]) == expc) {
        i++;
        if (i >= n)
            return FN_PARSE_SYNTAX;
        if (s[i] == '+' || s[i] == '-')
            i++;
        if (i >= n || s[i] < '0' || s[i] > '9')
            return FN_PARSE_SYNTAX;
        for (; i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_'); i++)
            if (s[i] == '_')
                underscores = true;
    } else if (base == 16) {
        return FN_PARSE_SYNTAX;
    }
    if (underscores && !gofmt_underscore_ok(s, i))
        return FN_PARSE_SYNTAX;
    if (i != n)
        return FN_PARSE_SYNTAX;
    /* Strip the underscores and let strtod (correctly rounded) do the rest. */
    char small[128];
    char *buf = n < sizeof small ? small : malloc(n + 1);
    if (!buf)
        return FN_PARSE_SYNTAX;
    size_t j = 0;
    for (i = 0; i < n; i++)
        if (s[i] != '_')
            buf[j++] = s[i];
    buf[j] = '\0';
    errno = 0;
    double f = strtod(buf, NULL);
    if (buf != small)
        free(buf);
    *out = f;
    if (isinf(f))
        return FN_PARSE_RANGE;
    return FN_PARSE_OK;
}

/* ---- cast -------------------------------------------------------------- */

int64_t fn_float_to_int64(double f)
{
    if (isnan(f) || f >= 9223372036854775808.0 || f < -9223372036854775808.0)
        return INT64_MIN;
    return (int64_t)f;
}

/* The integer and float types cast's type switch names exactly. */
static bool plain_int(const cval *v)
{
    const char *t = v->gotype;
    return !t || !strcmp(t, "int") || !strcmp(t, "int64") || !strcmp(t, "int32") ||
           !strcmp(t, "int16") || !strcmp(t, "int8") || !strcmp(t, "time.Weekday") ||
           !strcmp(t, "time.Month");
}

static bool plain_uint(const cval *v)
{
    const char *t = v->gotype;
    return !t || !strcmp(t, "uint") || !strcmp(t, "uint64") || !strcmp(t, "uint32") ||
           !strcmp(t, "uint16") || !strcmp(t, "uint8");
}

static bool plain(const cval *v, const char *name)
{
    return !v->gotype || !strcmp(v->gotype, name);
}

/* cast's trimZeroDecimal: "3.00" -> "3"; anything else unchanged. */
static size_t trim_zero_decimal(const char *s, size_t n)
{
    bool zero = false;
    for (size_t i = n; i > 0; i--) {
        switch (s[i - 1]) {
        case '.':
            if (zero)
                return i - 1;
            break;
        case '0':
            zero = true;
            break;
        default:
            return n;
        }
    }
    return n;
}

/* spf13/cast's ToInt64E and ToFloat64E, one switch: the number v holds as
 * an int64 (*i, with to_float false) or a float64 (*f, with to_float true). */
static int cast_number(const cval *v, bool to_float, int64_t *i, double *f)
{
    *i = 0;
    *f = 0;
    switch (v->kind) {
    case CV_INVALID:
    case CV_NIL:
        return 0;
    case CV_BOOL:
        *i = v->u.b;
        *f = v->u.b;
        return 0;
    case CV_INT:
        if (!plain_int(v))
            return -1;
        *i = v->u.i;
        *f = (double)v->u.i;
        return 0;
    case CV_UINT:
        if (!plain_uint(v))
            return -1;
        *i = (int64_t)v->u.u;
        *f = (double)v->u.u;
        return 0;
    case CV_FLOAT:
        if (!plain(v, "float64") && strcmp(v->gotype, "float32"))
            return -1;
        *f = v->u.f;
        if (!to_float)
            *i = fn_float_to_int64(v->u.f);
        return 0;
    case CV_STRING: {
        if (!plain(v, "string") && strcmp(v->gotype, "json.Number"))
            return -1;
        int64_t r;
        double d;
        if (to_float ? fn_parse_float(v->u.str.s, v->u.str.len, &d) != FN_PARSE_OK
                     : fn_parse_int(v->u.str.s, trim_zero_decimal(v->u.str.s, v->u.str.len), 0, &r) != FN_PARSE_OK)
            return -1;
        if (to_float)
            *f = d;
        else
            *i = r;
        return 0;
    }
    default:
        return -1;
    }
}

int fn_cast_int64(const cval *v, int64_t *out)
{
    double unused;
    return cast_number(v, false, out, &unused);
}

int fn_cast_float64(const cval *v, double *out)
{
    int64_t unused;
    return cast_number(v, true, &unused, out);
}

int fn_cast_string(arena *a, const cval *v, const char **out, size_t *len)
{
    strbuf sb = STRBUF_INIT;
    int rc = 0;
    switch (v->kind) {
    case CV_INVALID:
    case CV_NIL:
        break;
    case CV_STRING:
    case CV_BYTES:
        *out = v->kind == CV_STRING ? v->u.str.s : arena_strndup(a, v->u.str.s, v->u.str.len);
        *len = v->u.str.len;
        return 0;
    case CV_BOOL:
        sb_adds(&sb, v->u.b ? "true" : "false");
        break;
    case CV_INT:
        sb_addf(&sb, "%lld", (long long)v->u.i);
        break;
    case CV_UINT:
        sb_addf(&sb, "%llu", (unsigned long long)v->u.u);
        break;
    case CV_FLOAT:
        gofmt_float(&sb, v->u.f, 'f', -1);
        break;
    default:
        rc = -1;
    }
    *out = arena_strndup(a, sb_str(&sb), sb.len);
    *len = sb.len;
    sb_release(&sb);
    return rc;
}

const char *fn_cast_errmsg(arena *a, const cval *v, const char *type)
{
    strbuf sb = STRBUF_INIT;
    sb_adds(&sb, "unable to cast ");
    cval *arg = (cval *)v;
    gofmt_sprintf(&sb, "%#v", 3, 1, &arg);
    sb_addf(&sb, " of type %s to %s", cv_is_nil(v) ? "<nil>" : cv_gotype(v), type);
    const char *s = arena_strndup(a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return s;
}

int64_t fn_to_int64(const cval *v)
{
    int64_t i;
    fn_cast_int64(v, &i);
    return i;
}

int64_t fn_to_int(const cval *v) { return fn_to_int64(v); }

double fn_to_float64(const cval *v)
{
    double f;
    fn_cast_float64(v, &f);
    return f;
}

/* ---- lists ------------------------------------------------------------- */

bool fn_is_slice(const cval *v)
{
    return v->kind == CV_LIST || v->kind == CV_BYTES;
}

size_t fn_slice_len(const cval *v)
{
    return v->kind == CV_BYTES ? v->u.str.len : cv_list_len(v);
}

cval *fn_slice_at(arena *a, const cval *v, size_t i)
{
    if (v->kind == CV_BYTES)
        return cv_uint(a, (unsigned char)v->u.str.s[i], "uint8");
    return cv_list_get(v, i);
}

cval *fn_object_slice(arena *a, cval *v)
{
    if (!cv_is(v, CV_OBJECT) || strcmp(cv_gokind(v), "slice") != 0)
        return v;
    cval *l = cv_object_elements(a, NULL, v);
    return l ? l : v;
}

cval *fn_list(arena *a, size_t cap)
{
    return cv_list_new(a, cap);
}

cval *fn_to_raw_list(arena *a, const cval *v)
{
    size_t n = fn_slice_len(v);
    cval *l = cv_list_new(a, n);
    for (size_t i = 0; i < n; i++)
        cv_list_push(l, fn_slice_at(a, v, i));
    return l;
}

cval *fn_strslice(arena *a, const cval *v)
{
    cval *out;
    v = fn_object_slice(a, (cval *)v);
    if (cv_is_nil(v)) {
        out = cv_list_new(a, 0);
    } else if (fn_is_slice(v)) {
        size_t n = fn_slice_len(v);
        out = cv_list_new(a, n);
        bool strs = v->kind == CV_LIST && v->gotype && !strcmp(v->gotype, "[]string");
        for (size_t i = 0; i < n; i++) {
            cval *e = fn_slice_at(a, v, i);
            if (!strs && cv_is_nil(e))
                continue;
            size_t len;
            const char *s = fn_strval_a(a, e, &len);
            cv_list_push(out, cv_string_ref(a, s, len));
        }
    } else {
        out = cv_list_new(a, 1);
        size_t len;
        const char *s = fn_strval_a(a, v, &len);
        cv_list_push(out, cv_string_ref(a, s, len));
    }
    out->gotype = "[]string";
    return out;
}

cval *fn_string_list(arena *a, size_t n, const char *const *items)
{
    cval *l = cv_list_new(a, n);
    for (size_t i = 0; i < n; i++)
        cv_list_push(l, cv_cstring(a, items[i]));
    l->gotype = "[]string";
    return l;
}

const char *fn_kind_name(const cval *v)
{
    return cv_gokind(v);
}
