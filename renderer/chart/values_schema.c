/* values_schema.c — values.schema.json validation as Helm 4 does it
 * (pkg/chart/common/util/jsonschema.go over santhosh-tekuri/jsonschema v6):
 * drafts 4, 6, 7, 2019-09 and 2020-12 chosen by "$schema" (2020-12 when
 * absent), local "$ref"s, formats asserted only before 2019-09, and the
 * library's error tree printed as it prints it (numbers as golang.org/x/text
 * formats them: 1,000.5 and 1×10²¹). Object properties are checked in sorted
 * order where Go's map order is random. */
#include "renderer/chart/values.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "renderer/funcs/funcs.h"
#include "core/gofmt.h"
#include "core/json.h"

#define SCHEMA_MAX_DEPTH 256
#define JSON_NUMBER "json.Number"

/* ---- JSON with numbers kept as written (Decoder.UseNumber) ------------------------- */

typedef struct jp {
    arena *a;
    const char *s, *end;
    int depth;
    bool bad; /* not JSON: json_parse will say why */
} jp;

static void jp_ws(jp *p)
{
    while (p->s < p->end && (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r'))
        p->s++;
}

static int jp_hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
}

/* four hex digits at s (within end), or -1 */
static long jp_hex4(const char *s, const char *end)
{
    if (end - s < 4)
        return -1;
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int h = jp_hexval(s[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

static cval *jp_fail(jp *p)
{
    p->bad = true;
    p->s = p->end;
    return cv_nil();
}

static bool jp_digits(jp *p)
{
    const char *b = p->s;
    while (p->s < p->end && *p->s >= '0' && *p->s <= '9')
        p->s++;
    return p->s > b;
}

/* A string at p->s (its opening quote). */
static cval *jp_string(jp *p)
{
    p->s++;
    /* plain text up to the closing quote: the string is the text itself */
    const char *b = p->s, *q = b;
    while (q < p->end && *q != '"' && *q != '\\' && (unsigned char)*q >= 0x20)
        q++;
    if (q < p->end && *q == '"') {
        p->s = q + 1;
        return cv_string(p->a, b, (size_t)(q - b));
    }
    strbuf sb = STRBUF_INIT;
    sb_add(&sb, b, (size_t)(q - b));
    p->s = q;
    for (;;) {
        if (p->s >= p->end || (unsigned char)*p->s < 0x20) {
            sb_release(&sb);
            return jp_fail(p);
        }
        if (*p->s == '"')
            break;
        if (*p->s != '\\') {
            sb_addc(&sb, *p->s++);
            continue;
        }
        char e = p->s + 1 < p->end ? p->s[1] : 0;
        p->s += 2;
        switch (e) {
        case 'b': sb_addc(&sb, '\b'); break;
        case 'f': sb_addc(&sb, '\f'); break;
        case 'n': sb_addc(&sb, '\n'); break;
        case 'r': sb_addc(&sb, '\r'); break;
        case 't': sb_addc(&sb, '\t'); break;
        case '"': case '\\': case '/': sb_addc(&sb, e); break;
        case 'u': {
            long u = jp_hex4(p->s, p->end);
            if (u < 0) {
                sb_release(&sb);
                return jp_fail(p);
            }
            p->s += 4;
            if (u >= 0xD800 && u < 0xDC00 && p->end - p->s >= 6 && p->s[0] == '\\' && p->s[1] == 'u') {
                long lo = jp_hex4(p->s + 2, p->end);
                if (lo >= 0xDC00 && lo < 0xE000) {
                    u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                    p->s += 6;
                }
            }
            if (u >= 0xD800 && u < 0xE000)
                u = 0xFFFD;
            gofmt_add_rune(&sb, (int32_t)u);
            break;
        }
        default:
            sb_release(&sb);
            return jp_fail(p);
        }
    }
    p->s++;
    cval *r = cv_string(p->a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return r;
}

/* A JSON value, strictly: anything that is not JSON sets p->bad. */
static cval *jp_value(jp *p)
{
    jp_ws(p);
    if (p->s >= p->end || ++p->depth > JSON_MAX_DEPTH)
        return jp_fail(p);
    cval *r;
    char c = *p->s;
    if (c == '{' || c == '[') {
        bool obj = c == '{';
        char close = obj ? '}' : ']';
        r = obj ? cv_map_new(p->a) : cv_list_new(p->a, 4);
        p->s++;
        jp_ws(p);
        if (p->s < p->end && *p->s == close) {
            p->s++;
        } else {
            for (;;) {
                if (obj) {
                    jp_ws(p);
                    if (p->s >= p->end || *p->s != '"')
                        return jp_fail(p);
                    cval *k = jp_string(p);
                    jp_ws(p);
                    if (p->bad || p->s >= p->end || *p->s != ':')
                        return jp_fail(p);
                    p->s++;
                    cval *v = jp_value(p);
                    if (p->bad)
                        return r;
                    cv_map_setn(r, k->u.str.s, k->u.str.len, v);
                } else {
                    cval *v = jp_value(p);
                    if (p->bad)
                        return r;
                    cv_list_push(r, v);
                }
                jp_ws(p);
                if (p->s < p->end && *p->s == ',') {
                    p->s++;
                    continue;
                }
                if (p->s < p->end && *p->s == close) {
                    p->s++;
                    break;
                }
                return jp_fail(p);
            }
        }
    } else if (c == '"') {
        r = jp_string(p);
    } else if (c == 't' || c == 'f' || c == 'n') {
        const char *w = c == 't' ? "true" : c == 'f' ? "false" : "null";
        size_t n = strlen(w);
        if ((size_t)(p->end - p->s) < n || memcmp(p->s, w, n) != 0)
            return jp_fail(p);
        r = c == 't' ? cv_true() : c == 'f' ? cv_false() : cv_nil();
        p->s += n;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        /* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, kept as written */
        const char *b = p->s;
        if (*p->s == '-')
            p->s++;
        if (p->s < p->end && *p->s == '0')
            p->s++;
        else if (!jp_digits(p))
            return jp_fail(p);
        if (p->s < p->end && *p->s == '.') {
            p->s++;
            if (!jp_digits(p))
                return jp_fail(p);
        }
        if (p->s < p->end && (*p->s == 'e' || *p->s == 'E')) {
            p->s++;
            if (p->s < p->end && (*p->s == '+' || *p->s == '-'))
                p->s++;
            if (!jp_digits(p))
                return jp_fail(p);
        }
        r = cv_string(p->a, b, (size_t)(p->s - b));
        r->gotype = JSON_NUMBER;
    } else {
        return jp_fail(p);
    }
    p->depth--;
    return r;
}

/* jsonschema.UnmarshalJSON: a json.Decoder with UseNumber, then no trailing data. */
static int schema_parse(arena *a, const char *text, size_t len, cval **out, cap_err *err)
{
    jp p = {a, text, text + len, 0, false};
    *out = jp_value(&p);
    jp_ws(&p);
    if (!p.bad && p.s == p.end)
        return 0;
    /* not JSON: json_parse words the error as Go does */
    cval *tmp;
    cap_err e = CAP_ERR_INIT;
    if (json_parse(a, text, len, NULL, &tmp, &e) != 0) {
        bool blank = true;
        for (size_t i = 0; i < len; i++)
            if (!strchr(" \t\r\n", text[i]))
                blank = false;
        if (strstr(e.msg, "unexpected end of JSON input"))
            cap_err_set(err, "%s", blank ? "EOF" : "unexpected EOF");
        else if (strstr(e.msg, "after top-level value"))
            cap_err_set(err, "invalid character after top-level value");
        else
            cap_err_set(err, "%s", e.msg);
        cap_err_clear(&e);
        return -1;
    }
    /* json_parse took what this reader did not: say so rather than guess */
    return cap_err_set(err, "capstan: values.schema.json could not be read");
}

/* ---- numbers ------------------------------------------------------------------------- */

static bool is_num(const cval *v)
{
    return v && (v->kind == CV_INT || v->kind == CV_UINT || v->kind == CV_FLOAT ||
                 (v->kind == CV_STRING && v->gotype && strcmp(v->gotype, JSON_NUMBER) == 0));
}

static double num(const cval *v)
{
    switch (v->kind) {
    case CV_INT: return (double)v->u.i;
    case CV_UINT: return (double)v->u.u;
    case CV_FLOAT: return v->u.f;
    case CV_STRING: return strtod(v->u.str.s, NULL);
    default: return 0;
    }
}

/* The number's decimal digits and exponent, as fmt's %v then big.Rat see it:
 * value = digits × 10^exp, digits without sign. false when it will not fit. */
static bool num_decimal(const cval *v, bool *neg, uint64_t *digits, int *exp)
{
    strbuf sb = STRBUF_INIT;
    if (v->kind == CV_INT)
        gofmt_int(&sb, v->u.i);
    else if (v->kind == CV_UINT)
        gofmt_uint(&sb, v->u.u);
    else if (v->kind == CV_FLOAT)
        gofmt_float(&sb, v->u.f, 'e', -1);
    else
        sb_add(&sb, v->u.str.s, v->u.str.len);
    const char *s = sb_str(&sb);
    *neg = *s == '-';
    s += *s == '-' || *s == '+';
    uint64_t d = 0;
    int e = 0, nd = 0;
    bool frac = false, ok = true;
    for (; *s && *s != 'e' && *s != 'E'; s++) {
        if (*s == '.') {
            frac = true;
            continue;
        }
        if (d == 0 && *s == '0') {
            if (frac)
                e--;
            continue;
        }
        if (nd >= 18) {
            ok = ok && *s == '0';
            if (!frac)
                e++;
            continue;
        }
        d = d * 10 + (uint64_t)(*s - '0');
        nd++;
        if (frac)
            e--;
    }
    if (*s == 'e' || *s == 'E')
        e += atoi(s + 1);
    sb_release(&sb);
    while (d && d % 10 == 0) {
        d /= 10;
        e++;
    }
    *digits = d;
    *exp = d ? e : 0;
    return ok;
}

static bool num_is_integer(const cval *v)
{
    if (v->kind == CV_INT || v->kind == CV_UINT)
        return true;
    bool neg;
    uint64_t d;
    int e;
    if (!num_decimal(v, &neg, &d, &e))
        return floor(num(v)) == num(v);
    return e >= 0;
}

/* big.Rat(v) / big.Rat(m) is an integer */
static bool num_multiple(const cval *v, const cval *m)
{
    bool n1, n2;
    uint64_t d1, d2;
    int e1, e2;
    if (!num_decimal(v, &n1, &d1, &e1) || !num_decimal(m, &n2, &d2, &e2) || d2 == 0) {
        double q = num(v) / num(m);
        return isfinite(q) && floor(q) == q;
    }
    if (d1 == 0)
        return true;
    /* d1·10^e1 / (d2·10^e2) integer ⟺ d2 | d1·10^(e1-e2) */
    int k = e1 - e2;
    unsigned __int128 x = d1, y = d2;
    if (k >= 0) {
        for (int i = 0; i < k; i++) {
            if (x % y == 0)
                return true;
            x *= 10;
            if (x > ((unsigned __int128)1 << 120))
                return fmod(num(v), num(m)) == 0;
        }
        return x % y == 0;
    }
    for (int i = 0; i < -k; i++) {
        y *= 10;
        if (y > x)
            return false;
    }
    return x % y == 0;
}

static bool num_equal(const cval *x, const cval *y)
{
    if (x->kind == CV_INT && y->kind == CV_INT)
        return x->u.i == y->u.i;
    bool n1, n2;
    uint64_t d1, d2;
    int e1, e2;
    if (num_decimal(x, &n1, &d1, &e1) && num_decimal(y, &n2, &d2, &e2))
        return d1 == d2 && e1 == e2 && (n1 == n2 || d1 == 0);
    return num(x) == num(y);
}

/* golang.org/x/text/message's %d: digits grouped by three with ','. */
static void x_int(strbuf *out, long long v)
{
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%lld", v < 0 ? -v : v);
    if (v < 0)
        sb_addc(out, '-');
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            sb_addc(out, ',');
        sb_addc(out, buf[i]);
    }
}

/* golang.org/x/text/message's %v of a float64: the shortest digits; scientific
 * (1.5×10⁻⁰⁵) when the exponent is < -4 or >= 6 (its 'g' with ePrec 6), else
 * decimal with grouping. */
static void x_float(strbuf *out, double f)
{
    static const char *const sup[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
    if (isnan(f)) {
        sb_adds(out, "NaN");
        return;
    }
    if (isinf(f)) {
        sb_adds(out, f < 0 ? "-∞" : "∞");
        return;
    }
    strbuf e = STRBUF_INIT;
    gofmt_float(&e, f, 'e', -1); /* -1.2345e+06 */
    const char *s = sb_str(&e);
    if (*s == '-') {
        sb_addc(out, '-');
        s++;
    }
    char digits[32];
    int nd = 0;
    for (; *s && *s != 'e'; s++)
        if (*s != '.' && nd < 30)
            digits[nd++] = *s;
    int exp = atoi(s + 1);
    if (nd == 1 && digits[0] == '0')
        exp = 0;
    sb_release(&e);
    if (exp < -4 || exp >= 6) {
        sb_addc(out, digits[0]);
        if (nd > 1) {
            sb_addc(out, '.');
            sb_add(out, digits + 1, (size_t)nd - 1);
        }
        sb_adds(out, "×10");
        if (exp < 0)
            sb_adds(out, "⁻");
        int ae = exp < 0 ? -exp : exp;
        char eb[8];
        int en = snprintf(eb, sizeof eb, "%02d", ae);
        for (int i = 0; i < en; i++)
            sb_adds(out, sup[eb[i] - '0']);
        return;
    }
    /* decimal: integer part digits[0..exp], grouped */
    int intd = exp + 1;
    if (intd <= 0) {
        sb_adds(out, "0.");
        for (int i = 0; i < -intd; i++)
            sb_addc(out, '0');
        sb_add(out, digits, (size_t)nd);
        return;
    }
    for (int i = 0; i < intd; i++) {
        if (i && (intd - i) % 3 == 0)
            sb_addc(out, ',');
        sb_addc(out, i < nd ? digits[i] : '0');
    }
    if (nd > intd) {
        sb_addc(out, '.');
        sb_add(out, digits + intd, (size_t)(nd - intd));
    }
}

/* ---- messages ------------------------------------------------------------------------ */

/* kind.quote: Go's %q, with \" unescaped and ' escaped, in single quotes. */
static void squote(strbuf *out, const char *s, size_t len)
{
    strbuf q = STRBUF_INIT;
    gofmt_quote(&q, s, len);
    const char *p = sb_str(&q);
    sb_addc(out, '\'');
    for (size_t i = 1; i + 1 < q.len; i++) {
        if (p[i] == '\\' && p[i + 1] == '"' && i + 2 < q.len) {
            sb_addc(out, '"');
            i++;
        } else if (p[i] == '\\' && p[i + 1] == '\\') {
            sb_adds(out, "\\\\");
            i++;
        } else if (p[i] == '\'') {
            sb_adds(out, "\\'");
        } else {
            sb_addc(out, p[i]);
        }
    }
    sb_addc(out, '\'');
    sb_release(&q);
}

/* kind.display: strings quoted, composites "value", the rest with %v. */
static void display(strbuf *out, const cval *v)
{
    if (is_num(v) && v->kind == CV_STRING)
        sb_add(out, v->u.str.s, v->u.str.len);
    else if (cv_is(v, CV_STRING))
        squote(out, v->u.str.s, v->u.str.len);
    else if (cv_is(v, CV_LIST) || cv_is(v, CV_MAP))
        sb_adds(out, "value");
    else
        gofmt_value(out, v);
}

/* ---- the error tree (jsonschema.ValidationError) ------------------------------------ */

typedef enum { VE_LEAF, VE_GROUP, VE_REF } ve_kind;

typedef struct verr verr;
struct verr {
    ve_kind kind;
    const char *loc; /* JSON pointer of the instance */
    const char *msg;
    verr **causes;
    size_t ncauses;
};

typedef struct vlist {
    verr **v;
    size_t n, cap;
} vlist;

typedef struct vctx {
    arena *a;
    const cval *root;
    int draft; /* 4, 6, 7, 2019, 2020 */
    int depth;
    cap_err *fatal; /* set when validation cannot go on (regex errors, ...) */
    bool failed;
    void *rx_cache; /* the patterns compiled so far (funcs_regex_match) */
} vctx;

static void vl_push(arena *a, vlist *l, verr *e)
{
    if (!e)
        return;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 4;
        l->v = arena_realloc(a, l->v, l->cap * sizeof *l->v, nc * sizeof *l->v);
        l->cap = nc;
    }
    l->v[l->n++] = e;
}

static verr *mk(vctx *x, const char *loc, const char *msg)
{
    verr *e = arena_zalloc(x->a, sizeof *e);
    e->loc = loc;
    e->msg = msg;
    return e;
}

static void add(vctx *x, vlist *l, const char *loc, strbuf *msg)
{
    vl_push(x->a, l, mk(x, loc, arena_strndup(x->a, sb_str(msg), msg->len)));
    sb_reset(msg);
}

static verr *with_causes(vctx *x, const char *loc, const char *msg, vlist *causes)
{
    verr *e = mk(x, loc, msg);
    e->causes = causes->v;
    e->ncauses = causes->n;
    return e;
}

static const char *ptr_append(arena *a, const char *loc, const char *tok, size_t len)
{
    strbuf sb = STRBUF_INIT;
    sb_adds(&sb, loc);
    sb_addc(&sb, '/');
    for (size_t i = 0; i < len; i++) {
        if (tok[i] == '~')
            sb_adds(&sb, "~0");
        else if (tok[i] == '/')
            sb_adds(&sb, "~1");
        else
            sb_addc(&sb, tok[i]);
    }
    char *r = arena_strndup(a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return r;
}

static void display_err(strbuf *sb, const verr *e, int indent)
{
    bool skip = e->kind == VE_REF && e->ncauses == 1;
    if (!skip) {
        if (indent > 0) {
            sb_addc(sb, '\n');
            for (int i = 0; i < indent - 1; i++)
                sb_adds(sb, "  ");
            sb_adds(sb, "- ");
        }
        indent++;
        sb_adds(sb, "at ");
        squote(sb, e->loc, strlen(e->loc));
        sb_adds(sb, ": ");
        sb_adds(sb, e->msg);
    }
    for (size_t i = 0; i < e->ncauses; i++)
        display_err(sb, e->causes[i], indent);
}

/* ---- the validator ------------------------------------------------------------------- */

static const char *type_name(const cval *v)
{
    if (!v || v->kind == CV_NIL || v->kind == CV_INVALID)
        return "null";
    if (is_num(v))
        return "number";
    switch (v->kind) {
    case CV_BOOL: return "boolean";
    case CV_STRING: case CV_BYTES: return "string";
    case CV_LIST: return "array";
    case CV_MAP: return "object";
    default: return NULL;
    }
}

static bool json_equal(const cval *x, const cval *y)
{
    const char *tx = type_name(x), *ty = type_name(y);
    if (!tx || !ty || strcmp(tx, ty) != 0)
        return false;
    if (strcmp(tx, "null") == 0)
        return true;
    if (strcmp(tx, "number") == 0)
        return num_equal(x, y);
    switch (x->kind) {
    case CV_BOOL: return x->u.b == y->u.b;
    case CV_STRING: case CV_BYTES:
        return x->u.str.len == y->u.str.len && memcmp(x->u.str.s, y->u.str.s, x->u.str.len) == 0;
    case CV_LIST: {
        size_t n = cv_list_len(x);
        if (n != cv_list_len(y))
            return false;
        for (size_t i = 0; i < n; i++)
            if (!json_equal(cv_list_get(x, i), cv_list_get(y, i)))
                return false;
        return true;
    }
    case CV_MAP: {
        size_t n, m;
        const cv_entry *ex = cv_map_sorted(x, &n);
        cv_map_sorted(y, &m);
        if (n != m)
            return false;
        for (size_t i = 0; i < n; i++) {
            cval *o = cv_map_getn(y, ex[i].key, ex[i].keylen);
            if (!o || !json_equal(ex[i].val, o))
                return false;
            ex = cv_map_sorted(x, &n);
        }
        return true;
    }
    default: return false;
    }
}

static bool regex_match(vctx *x, const char *pat, size_t plen, const char *s, size_t slen, bool *ok)
{
    *ok = true;
    cv_call c = {x->a, NULL, NULL, "mustRegexMatch", NULL};
    cval *r = funcs_regex_match(&c, &x->rx_cache, cv_string(x->a, pat, plen), cv_string(x->a, s, slen));
    if (!r) {
        *ok = false;
        if (x->fatal && !x->failed) {
            strbuf q = STRBUF_INIT;
            squote(&q, pat, plen);
            const char *msg = c.errmsg ? c.errmsg : "error";
            if (strncmp(msg, "error parsing regexp", 20) == 0)
                cap_err_set(x->fatal, "%s is not valid regex: %s", sb_str(&q), msg);
            else /* a valid pattern that could not be matched (memory, a limit) */
                cap_err_set(x->fatal, "pattern %s: %s", sb_str(&q), msg);
            sb_release(&q);
            x->failed = true;
        }
        return false;
    }
    return cv_truth(r);
}

static verr *validate(vctx *x, const cval *sch, const cval *v, const char *loc);

static const cval *resolve_ref(vctx *x, const char *ref)
{
    if (ref[0] != '#')
        return NULL;
    const cval *cur = x->root;
    const char *p = ref + 1;
    if (!*p)
        return cur;
    if (*p != '/')
        return NULL;
    while (*p == '/') {
        p++;
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        strbuf tok = STRBUF_INIT;
        for (size_t i = 0; i < n; i++) {
            if (p[i] == '~' && i + 1 < n && (p[i + 1] == '0' || p[i + 1] == '1')) {
                sb_addc(&tok, p[i + 1] == '0' ? '~' : '/');
                i++;
            } else if (p[i] == '%' && i + 2 < n) {
                char h[3] = {p[i + 1], p[i + 2], 0};
                sb_addc(&tok, (char)strtol(h, NULL, 16));
                i += 2;
            } else {
                sb_addc(&tok, p[i]);
            }
        }
        if (cv_is(cur, CV_MAP)) {
            cur = cv_map_getn(cur, sb_str(&tok), tok.len);
        } else if (cv_is(cur, CV_LIST)) {
            char *end;
            long k = strtol(sb_str(&tok), &end, 10);
            cur = (*end || tok.len == 0 || k < 0 || (size_t)k >= cv_list_len(cur)) ? NULL : cv_list_get(cur, (size_t)k);
        } else {
            cur = NULL;
        }
        sb_release(&tok);
        if (!cur)
            return NULL;
        p += n;
    }
    return cur;
}

/* validateRef: the target's errors under a Reference error */
static verr *validate_ref(vctx *x, const cval *sch, const cval *v, const char *loc)
{
    const cval *ref = cv_map_getn(sch, "$ref", 4);
    if (!cv_is(ref, CV_STRING))
        return NULL;
    const cval *t = resolve_ref(x, ref->u.str.s);
    if (!t)
        return NULL; /* checked before validation */
    verr *e = validate(x, t, v, loc);
    if (!e)
        return NULL;
    verr *r = mk(x, loc, "validation failed");
    r->kind = VE_REF;
    if (e->kind == VE_GROUP) {
        r->causes = e->causes;
        r->ncauses = e->ncauses;
    } else {
        r->causes = arena_alloc(x->a, sizeof *r->causes);
        r->causes[0] = e;
        r->ncauses = 1;
    }
    return r;
}

static long ival(const cval *s, const char *key, bool *has)
{
    const cval *v = cv_map_get(s, key);
    *has = is_num(v);
    if (!*has)
        return 0;
    double d = num(v); /* a hostile schema's 1e48 or NaN: clamped, never an out-of-range cast */
    return d != d ? 0 : d >= 0x1p63 ? LONG_MAX : d <= -0x1p63 ? LONG_MIN : (long)d;
}

static void join_quoted(strbuf *sb, const char **names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_adds(sb, ", ");
        squote(sb, names[i], strlen(names[i]));
    }
}

/* names of `req` missing from obj */
static size_t find_missing(arena *a, const cval *obj, const cval *req, const char ***out)
{
    size_t n = 0, len = cv_list_len(req);
    *out = arena_alloc(a, (len + 1) * sizeof **out);
    for (size_t i = 0; i < len; i++) {
        cval *r = cv_list_get(req, i);
        if (cv_is(r, CV_STRING) && !cv_map_getn(obj, r->u.str.s, r->u.str.len))
            (*out)[n++] = r->u.str.s;
    }
    return n;
}

static void obj_validate(vctx *x, const cval *s, const cval *obj, const char *loc, vlist *errs)
{
    strbuf m = STRBUF_INIT;
    bool has;
    size_t nprops = cv_map_len(obj);
    long k = ival(s, "minProperties", &has);
    if (has && (long)nprops < k) {
        sb_adds(&m, "minProperties: got ");
        x_int(&m, (long long)nprops);
        sb_adds(&m, ", want ");
        x_int(&m, k);
        add(x, errs, loc, &m);
    }
    k = ival(s, "maxProperties", &has);
    if (has && (long)nprops > k) {
        sb_adds(&m, "maxProperties: got ");
        x_int(&m, (long long)nprops);
        sb_adds(&m, ", want ");
        x_int(&m, k);
        add(x, errs, loc, &m);
    }
    const cval *req = cv_map_getn(s, "required", 8);
    if (cv_is(req, CV_LIST)) {
        const char **miss;
        size_t n = find_missing(x->a, obj, req, &miss);
        if (n == 1) {
            sb_adds(&m, "missing property ");
            squote(&m, miss[0], strlen(miss[0]));
            add(x, errs, loc, &m);
        } else if (n > 1) {
            sb_adds(&m, "missing properties ");
            join_quoted(&m, miss, n);
            add(x, errs, loc, &m);
        }
    }
    const cval *deps = x->draft < 2019 ? cv_map_getn(s, "dependencies", 12) : NULL;
    if (cv_is(deps, CV_MAP)) {
        size_t nd;
        const cv_entry *de = cv_map_sorted(deps, &nd);
        for (size_t i = 0; i < nd; i++) {
            if (!cv_map_getn(obj, de[i].key, de[i].keylen))
                continue;
            if (cv_is(de[i].val, CV_LIST)) {
                const char **miss;
                size_t n = find_missing(x->a, obj, de[i].val, &miss);
                if (n) {
                    sb_adds(&m, "properties ");
                    join_quoted(&m, miss, n);
                    sb_adds(&m, " required, if ");
                    squote(&m, de[i].key, de[i].keylen);
                    sb_adds(&m, " exists");
                    add(x, errs, loc, &m);
                }
            } else {
                vl_push(x->a, errs, validate(x, de[i].val, obj, loc));
            }
        }
    }
    const cval *props = cv_map_getn(s, "properties", 10);
    const cval *pprops = cv_map_getn(s, "patternProperties", 17);
    const cval *addl = cv_map_getn(s, "additionalProperties", 20);
    const char **extra = arena_alloc(x->a, (nprops + 1) * sizeof *extra);
    size_t nextra = 0;
    size_t n;
    const cv_entry *ent = cv_map_sorted(obj, &n);
    cv_entry *items = arena_alloc(x->a, (n + 1) * sizeof *items);
    if (n)
        memcpy(items, ent, n * sizeof *items);
    for (size_t i = 0; i < n && !x->failed; i++) {
        bool evaluated = false;
        const char *ploc = NULL;
        const cval *ps = cv_is(props, CV_MAP) ? cv_map_getn(props, items[i].key, items[i].keylen) : NULL;
        if (ps) {
            evaluated = true;
            ploc = ptr_append(x->a, loc, items[i].key, items[i].keylen);
            vl_push(x->a, errs, validate(x, ps, items[i].val, ploc));
        }
        if (cv_is(pprops, CV_MAP)) {
            size_t np;
            const cv_entry *pe = cv_map_sorted(pprops, &np);
            for (size_t j = 0; j < np; j++) {
                bool ok;
                if (!regex_match(x, pe[j].key, pe[j].keylen, items[i].key, items[i].keylen, &ok))
                    continue;
                evaluated = true;
                if (!ploc)
                    ploc = ptr_append(x->a, loc, items[i].key, items[i].keylen);
                vl_push(x->a, errs, validate(x, pe[j].val, items[i].val, ploc));
                pe = cv_map_sorted(pprops, &np);
            }
        }
        if (!evaluated && addl) {
            if (cv_is(addl, CV_BOOL)) {
                if (!addl->u.b)
                    extra[nextra++] = items[i].key;
            } else {
                vl_push(x->a, errs, validate(x, addl, items[i].val, ptr_append(x->a, loc, items[i].key, items[i].keylen)));
            }
        }
    }
    if (nextra) {
        sb_adds(&m, "additional properties ");
        join_quoted(&m, extra, nextra);
        sb_adds(&m, " not allowed");
        add(x, errs, loc, &m);
    }
    if (x->draft == 4)
        goto out;
    const cval *pn = cv_map_getn(s, "propertyNames", 13);
    if (pn) {
        for (size_t i = 0; i < n; i++) {
            cval *name = cv_string(x->a, items[i].key, items[i].keylen);
            verr *e = validate(x, pn, name, "");
            if (e) {
                sb_adds(&m, "invalid propertyName ");
                squote(&m, items[i].key, items[i].keylen);
                verr *r = mk(x, "", arena_strndup(x->a, sb_str(&m), m.len));
                sb_reset(&m);
                r->causes = e->kind == VE_GROUP ? e->causes : arena_alloc(x->a, sizeof *r->causes);
                r->ncauses = e->kind == VE_GROUP ? e->ncauses : 1;
                if (e->kind != VE_GROUP)
                    r->causes[0] = e;
                vl_push(x->a, errs, r);
            }
        }
    }
    if (x->draft == 6)
        goto out;
    if (x->draft >= 2019) {
        const cval *ds = cv_map_getn(s, "dependentSchemas", 16);
        if (cv_is(ds, CV_MAP)) {
            size_t nd;
            const cv_entry *de = cv_map_sorted(ds, &nd);
            for (size_t i = 0; i < nd; i++)
                if (cv_map_getn(obj, de[i].key, de[i].keylen)) {
                    vl_push(x->a, errs, validate(x, de[i].val, obj, loc));
                    de = cv_map_sorted(ds, &nd);
                }
        }
        const cval *dr = cv_map_getn(s, "dependentRequired", 17);
        if (cv_is(dr, CV_MAP)) {
            size_t nd;
            const cv_entry *de = cv_map_sorted(dr, &nd);
            for (size_t i = 0; i < nd; i++) {
                if (!cv_map_getn(obj, de[i].key, de[i].keylen) || !cv_is(de[i].val, CV_LIST))
                    continue;
                const char **miss;
                size_t nm = find_missing(x->a, obj, de[i].val, &miss);
                if (nm) {
                    sb_adds(&m, "properties ");
                    join_quoted(&m, miss, nm);
                    sb_adds(&m, " required, if ");
                    squote(&m, de[i].key, de[i].keylen);
                    sb_adds(&m, " exists");
                    add(x, errs, loc, &m);
                }
            }
        }
    }
out:
    sb_release(&m);
}

static const char *idx_loc(vctx *x, const char *loc, size_t i)
{
    char b[32];
    int n = snprintf(b, sizeof b, "%zu", i);
    return ptr_append(x->a, loc, b, (size_t)n);
}

static void arr_validate(vctx *x, const cval *s, const cval *arr, const char *loc, vlist *errs)
{
    strbuf m = STRBUF_INIT;
    bool has;
    size_t len = cv_list_len(arr);
    long k = ival(s, "minItems", &has);
    if (has && (long)len < k) {
        sb_adds(&m, "minItems: got ");
        x_int(&m, (long long)len);
        sb_adds(&m, ", want ");
        x_int(&m, k);
        add(x, errs, loc, &m);
    }
    k = ival(s, "maxItems", &has);
    if (has && (long)len > k) {
        sb_adds(&m, "maxItems: got ");
        x_int(&m, (long long)len);
        sb_adds(&m, ", want ");
        x_int(&m, k);
        add(x, errs, loc, &m);
    }
    const cval *u = cv_map_getn(s, "uniqueItems", 11);
    if (cv_is(u, CV_BOOL) && u->u.b && len > 1) {
        bool found = false;
        for (size_t i = 1; i < len && !found; i++)
            for (size_t j = 0; j < i && !found; j++)
                if (json_equal(cv_list_get(arr, i), cv_list_get(arr, j))) {
                    sb_addf(&m, "items at %zu and %zu are equal", j, i);
                    add(x, errs, loc, &m);
                    found = true;
                }
    }
    const cval *items = cv_map_getn(s, "items", 5);
    if (x->draft < 2020) {
        size_t evaluated = 0;
        if (cv_is(items, CV_LIST)) {
            size_t ni = cv_list_len(items);
            for (size_t i = 0; i < len && i < ni; i++)
                vl_push(x->a, errs, validate(x, cv_list_get(items, i), cv_list_get(arr, i), idx_loc(x, loc, i)));
            evaluated = ni < len ? ni : len;
        } else if (items) {
            for (size_t i = 0; i < len; i++)
                vl_push(x->a, errs, validate(x, items, cv_list_get(arr, i), idx_loc(x, loc, i)));
            evaluated = len;
        }
        const cval *ai = cv_is(items, CV_LIST) ? cv_map_getn(s, "additionalItems", 15) : NULL;
        if (cv_is(ai, CV_BOOL)) {
            if (!ai->u.b && evaluated != len) {
                sb_addf(&m, "last %zu additionalItem(s) not allowed", len - evaluated);
                add(x, errs, loc, &m);
            }
        } else if (ai) {
            for (size_t i = evaluated; i < len; i++)
                vl_push(x->a, errs, validate(x, ai, cv_list_get(arr, i), idx_loc(x, loc, i - evaluated)));
        }
    } else {
        const cval *pi = cv_map_getn(s, "prefixItems", 11);
        size_t np = cv_is(pi, CV_LIST) ? cv_list_len(pi) : 0;
        size_t ev = np < len ? np : len;
        for (size_t i = 0; i < ev; i++)
            vl_push(x->a, errs, validate(x, cv_list_get(pi, i), cv_list_get(arr, i), idx_loc(x, loc, i)));
        if (items)
            for (size_t i = ev; i < len; i++)
                vl_push(x->a, errs, validate(x, items, cv_list_get(arr, i), idx_loc(x, loc, i - ev)));
    }
    const cval *contains = x->draft >= 6 ? cv_map_getn(s, "contains", 8) : NULL;
    if (contains) {
        vlist ce = {0};
        size_t matched = 0;
        for (size_t i = 0; i < len; i++) {
            verr *e = validate(x, contains, cv_list_get(arr, i), idx_loc(x, loc, i));
            if (e)
                vl_push(x->a, &ce, e);
            else
                matched++;
        }
        long mc = x->draft >= 2019 ? ival(s, "minContains", &has) : (has = false, 0);
        if (has) {
            if ((long)matched < mc) {
                if (matched == 0) {
                    sb_adds(&m, "min ");
                    x_int(&m, mc);
                    sb_adds(&m, " items required to match contains schema, but none matched");
                } else {
                    sb_addf(&m, "min %ld items required to match contains schema, but matched %zu items", mc, matched);
                }
                vl_push(x->a, errs, with_causes(x, loc, arena_strndup(x->a, sb_str(&m), m.len), &ce));
                sb_reset(&m);
            }
        } else if (matched == 0) {
            vl_push(x->a, errs, with_causes(x, loc, "no items match contains schema", &ce));
        }
    }
    sb_release(&m);
}

static void str_validate(vctx *x, const cval *s, const cval *v, const char *loc, vlist *errs)
{
    strbuf m = STRBUF_INIT;
    bool hmin, hmax;
    long mn = ival(s, "minLength", &hmin), mx = ival(s, "maxLength", &hmax);
    if (hmin || hmax) {
        long n = (long)gofmt_rune_count(v->u.str.s, v->u.str.len);
        if (hmin && n < mn) {
            sb_adds(&m, "minLength: got ");
            x_int(&m, n);
            sb_adds(&m, ", want ");
            x_int(&m, mn);
            add(x, errs, loc, &m);
        }
        if (hmax && n > mx) {
            sb_adds(&m, "maxLength: got ");
            x_int(&m, n);
            sb_adds(&m, ", want ");
            x_int(&m, mx);
            add(x, errs, loc, &m);
        }
    }
    const cval *pat = cv_map_getn(s, "pattern", 7);
    if (cv_is(pat, CV_STRING)) {
        bool ok;
        if (!regex_match(x, pat->u.str.s, pat->u.str.len, v->u.str.s, v->u.str.len, &ok) && ok) {
            squote(&m, v->u.str.s, v->u.str.len);
            sb_adds(&m, " does not match pattern ");
            squote(&m, pat->u.str.s, pat->u.str.len);
            add(x, errs, loc, &m);
        }
    }
    sb_release(&m);
}

static void num_check(vctx *x, vlist *errs, const char *loc, const char *kw, const cval *want, const cval *v)
{
    strbuf m = STRBUF_INIT;
    sb_adds(&m, kw);
    sb_adds(&m, ": got ");
    x_float(&m, num(v));
    sb_adds(&m, ", want ");
    x_float(&m, num(want));
    add(x, errs, loc, &m);
    sb_release(&m);
}

static void num_validate(vctx *x, const cval *s, const cval *v, const char *loc, vlist *errs)
{
    double d = num(v);
    const cval *mn = cv_map_getn(s, "minimum", 7), *mx = cv_map_getn(s, "maximum", 7);
    const cval *emn = cv_map_getn(s, "exclusiveMinimum", 16), *emx = cv_map_getn(s, "exclusiveMaximum", 16);
    if (cv_is(emn, CV_BOOL)) {
        emn = emn->u.b ? mn : NULL;
        if (emn)
            mn = NULL;
    }
    if (cv_is(emx, CV_BOOL)) {
        emx = emx->u.b ? mx : NULL;
        if (emx)
            mx = NULL;
    }
    if (is_num(mn) && d < num(mn))
        num_check(x, errs, loc, "minimum", mn, v);
    if (is_num(mx) && d > num(mx))
        num_check(x, errs, loc, "maximum", mx, v);
    if (is_num(emn) && d <= num(emn))
        num_check(x, errs, loc, "exclusiveMinimum", emn, v);
    if (is_num(emx) && d >= num(emx))
        num_check(x, errs, loc, "exclusiveMaximum", emx, v);
    const cval *mo = cv_map_getn(s, "multipleOf", 10);
    if (is_num(mo) && num(mo) != 0 && !num_multiple(v, mo))
        num_check(x, errs, loc, "multipleOf", mo, v);
}

/* ---- formats (asserted before draft 2019-09) ---------------------------------------- */

static const char *fmt_ipv4(const char *s, strbuf *why)
{
    int groups = 1;
    for (const char *p = s; *p; p++)
        groups += *p == '.';
    if (groups != 4)
        return "expected four decimals";
    for (const char *p = s; *p;) {
        const char *e = strchr(p, '.');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n > 1 && p[0] == '0')
            return "leading zeros";
        long v = 0;
        bool ok = n > 0;
        for (size_t i = 0; i < n; i++) {
            if ((p[i] < '0' || p[i] > '9') && !(i == 0 && (p[i] == '+' || p[i] == '-') && n > 1))
                ok = false;
            else if (p[i] >= '0' && p[i] <= '9' && v < 100000)
                v = v * 10 + (p[i] - '0');
        }
        if (!ok) {
            sb_adds(why, "strconv.Atoi: parsing ");
            gofmt_quote(why, p, n);
            sb_adds(why, ": invalid syntax");
            return sb_str(why);
        }
        if (p[0] == '-' || v > 255)
            return "decimal must be between 0 and 255";
        p += n + (e ? 1 : 0);
        if (!e)
            break;
    }
    return NULL;
}

static const char *fmt_hostname(const char *s, strbuf *why)
{
    size_t len = strlen(s);
    if (len && s[len - 1] == '.')
        len--;
    if (len > 253)
        return "more than 253 characters long";
    size_t i = 0;
    for (;;) {
        size_t b = i;
        while (i < len && s[i] != '.')
            i++;
        size_t n = i - b;
        if (n < 1 || n > 63)
            return "label must be 1 to 63 characters long";
        if (s[b] == '-')
            return "label starts with hyphen";
        if (s[i - 1] == '-')
            return "label ends with hyphen";
        for (size_t j = b; j < i; j++) {
            unsigned char c = (unsigned char)s[j];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
                int32_t r;
                gofmt_decode_rune(s + j, len - j, &r);
                sb_adds(why, "invalid character ");
                gofmt_quote_rune(why, r, false);
                return sb_str(why);
            }
        }
        if (i >= len)
            return NULL;
        i++;
    }
}

static const char *fmt_uuid(const char *s, strbuf *why)
{
    static const int groups[] = {8, 4, 4, 4, 12};
    int ng = 1;
    for (const char *p = s; *p; p++)
        ng += *p == '-';
    if (ng != 5)
        return "must have 5 elements";
    const char *p = s;
    for (int g = 0; g < 5; g++) {
        const char *e = strchr(p, '-');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if ((int)n != groups[g]) {
            sb_addf(why, "element %d must be %d characters long", g + 1, groups[g]);
            return sb_str(why);
        }
        for (size_t i = 0; i < n; i++)
            if (!strchr("0123456789abcdefABCDEF", p[i])) {
                int32_t r;
                gofmt_decode_rune(p + i, strlen(p + i), &r);
                sb_adds(why, "non-hex character ");
                gofmt_quote_rune(why, r, false);
                return sb_str(why);
            }
        p += n + 1;
    }
    return NULL;
}

static void format_validate(vctx *x, const cval *s, const cval *v, const char *loc, vlist *errs)
{
    const cval *f = cv_map_getn(s, "format", 6);
    if (!cv_is(f, CV_STRING) || !cv_is(v, CV_STRING))
        return;
    strbuf why = STRBUF_INIT;
    const char *e = NULL;
    const char *str = v->u.str.s;
    if (strcmp(f->u.str.s, "ipv4") == 0)
        e = fmt_ipv4(str, &why);
    else if (strcmp(f->u.str.s, "hostname") == 0)
        e = fmt_hostname(str, &why);
    else if (strcmp(f->u.str.s, "uuid") == 0)
        e = fmt_uuid(str, &why);
    else if (strcmp(f->u.str.s, "email") == 0 && !strchr(str, '@'))
        e = "missing @";
    if (e) {
        strbuf m = STRBUF_INIT;
        display(&m, v);
        sb_addf(&m, " is not valid %s: %s", f->u.str.s, e);
        add(x, errs, loc, &m);
        sb_release(&m);
    }
    sb_release(&why);
}

/* ---- not, allOf, anyOf, oneOf, if ---------------------------------------------------- */

static void cond_validate(vctx *x, const cval *s, const cval *v, const char *loc, vlist *errs)
{
    const cval *not = cv_map_getn(s, "not", 3);
    if (not && !validate(x, not, v, loc))
        vl_push(x->a, errs, mk(x, loc, "'not' failed"));
    const cval *all = cv_map_getn(s, "allOf", 5);
    if (cv_is(all, CV_LIST) && cv_list_len(all)) {
        vlist ce = {0};
        for (size_t i = 0; i < cv_list_len(all); i++)
            vl_push(x->a, &ce, validate(x, cv_list_get(all, i), v, loc));
        if (ce.n)
            vl_push(x->a, errs, with_causes(x, loc, "'allOf' failed", &ce));
    }
    const cval *any = cv_map_getn(s, "anyOf", 5);
    if (cv_is(any, CV_LIST) && cv_list_len(any)) {
        vlist ce = {0};
        bool matched = false;
        for (size_t i = 0; i < cv_list_len(any) && !matched; i++) {
            verr *e = validate(x, cv_list_get(any, i), v, loc);
            if (e)
                vl_push(x->a, &ce, e);
            else
                matched = true;
        }
        if (!matched)
            vl_push(x->a, errs, with_causes(x, loc, "'anyOf' failed", &ce));
    }
    const cval *one = cv_map_getn(s, "oneOf", 5);
    if (cv_is(one, CV_LIST) && cv_list_len(one)) {
        vlist ce = {0};
        long matched = -1;
        for (size_t i = 0; i < cv_list_len(one); i++) {
            verr *e = validate(x, cv_list_get(one, i), v, loc);
            if (e) {
                if (matched == -1)
                    vl_push(x->a, &ce, e);
            } else if (matched == -1) {
                matched = (long)i;
            } else {
                vl_push(x->a, errs, mk(x, loc, arena_printf(x->a, "'oneOf' failed, subschemas %ld, %zu matched", matched, i)));
                break;
            }
        }
        if (matched == -1)
            vl_push(x->a, errs, with_causes(x, loc, "'oneOf' failed, none matched", &ce));
    }
    const cval *iff = x->draft >= 7 ? cv_map_getn(s, "if", 2) : NULL;
    if (iff) {
        bool ok = !validate(x, iff, v, loc);
        const cval *then = cv_map_getn(s, "then", 4), *els = cv_map_getn(s, "else", 4);
        if (ok && then)
            vl_push(x->a, errs, validate(x, then, v, loc));
        else if (!ok && els)
            vl_push(x->a, errs, validate(x, els, v, loc));
    }
}

static verr *validate(vctx *x, const cval *s, const cval *v, const char *loc)
{
    if (x->failed)
        return NULL;
    if (cv_is(s, CV_BOOL))
        return s->u.b ? NULL : mk(x, loc, "false schema");
    if (!cv_is(s, CV_MAP))
        return NULL;
    if (x->depth >= SCHEMA_MAX_DEPTH) {
        if (x->fatal && !x->failed)
            cap_err_set(x->fatal, "schema nesting deeper than %d (reference cycle?) at %s", SCHEMA_MAX_DEPTH,
                        *loc ? loc : "/");
        x->failed = true;
        return NULL;
    }
    x->depth++;
    vlist errs = {0};
    strbuf m = STRBUF_INIT;
    verr *ret = NULL;
    const char *t = type_name(v);
    if (!t) {
        sb_addf(&m, "invalid jsonType %s", cv_gotype(v));
        ret = mk(x, loc, arena_strndup(x->a, sb_str(&m), m.len));
        goto done;
    }
    if (x->draft < 2019 && cv_map_getn(s, "$ref", 4)) {
        ret = validate_ref(x, s, v, loc); /* before 2019-09 a $ref's siblings are ignored */
        goto done;
    }
    const cval *type = cv_map_getn(s, "type", 4);
    if (type) {
        static const char *const order[] = {"null", "boolean", "number", "integer", "string", "array", "object"};
        bool want[7] = {0}, any = false;
        size_t nt = cv_is(type, CV_LIST) ? cv_list_len(type) : 1;
        for (size_t i = 0; i < nt; i++) {
            const cval *ti = cv_is(type, CV_LIST) ? cv_list_get(type, i) : type;
            for (int k = 0; k < 7 && cv_is(ti, CV_STRING); k++)
                if (strcmp(ti->u.str.s, order[k]) == 0)
                    want[k] = any = true;
        }
        bool matched = false;
        for (int k = 0; k < 7; k++)
            if (want[k] && strcmp(order[k], t) == 0)
                matched = true;
        if (!matched && want[3] && strcmp(t, "number") == 0 && num_is_integer(v))
            matched = true;
        if (any && !matched) {
            sb_addf(&m, "got %s, want ", t);
            bool first = true;
            for (int k = 0; k < 7; k++)
                if (want[k]) {
                    sb_adds(&m, first ? "" : " or ");
                    sb_adds(&m, order[k]);
                    first = false;
                }
            ret = mk(x, loc, arena_strndup(x->a, sb_str(&m), m.len));
            goto done;
        }
    }
    const cval *cst = x->draft >= 6 ? cv_map_getn(s, "const", 5) : NULL;
    if (cst && !json_equal(v, cst)) {
        if (cv_is(cst, CV_LIST) || cv_is(cst, CV_MAP)) {
            sb_adds(&m, "'const' failed");
        } else {
            sb_adds(&m, "value must be ");
            display(&m, cst);
        }
        ret = mk(x, loc, arena_strndup(x->a, sb_str(&m), m.len));
        goto done;
    }
    const cval *en = cv_map_getn(s, "enum", 4);
    if (cv_is(en, CV_LIST)) {
        size_t n = cv_list_len(en);
        bool matched = false, prim = true;
        for (size_t i = 0; i < n; i++) {
            const cval *e = cv_list_get(en, i);
            matched = matched || json_equal(v, e);
            prim = prim && !cv_is(e, CV_LIST) && !cv_is(e, CV_MAP);
        }
        if (!matched) {
            if (!prim) {
                sb_adds(&m, "'enum' failed");
            } else if (n == 1) {
                sb_adds(&m, "value must be ");
                display(&m, cv_list_get(en, 0));
            } else {
                sb_adds(&m, "value must be one of ");
                for (size_t i = 0; i < n; i++) {
                    if (i)
                        sb_adds(&m, ", ");
                    display(&m, cv_list_get(en, i));
                }
            }
            ret = mk(x, loc, arena_strndup(x->a, sb_str(&m), m.len));
            goto done;
        }
    }
    if (x->draft < 2019) {
        format_validate(x, s, v, loc, &errs);
        if (errs.n) {
            ret = errs.v[0];
            goto done;
        }
    }
    if (cv_map_getn(s, "$ref", 4)) {
        verr *e = validate_ref(x, s, v, loc);
        if (x->draft < 2019) {
            ret = e;
            goto done;
        }
        vl_push(x->a, &errs, e);
    }
    if (cv_is(v, CV_MAP))
        obj_validate(x, s, v, loc, &errs);
    else if (cv_is(v, CV_LIST))
        arr_validate(x, s, v, loc, &errs);
    else if (cv_is(v, CV_STRING) && !is_num(v))
        str_validate(x, s, v, loc, &errs);
    else if (is_num(v))
        num_validate(x, s, v, loc, &errs);
    cond_validate(x, s, v, loc, &errs);
    if (errs.n == 1) {
        ret = errs.v[0];
    } else if (errs.n > 1) {
        ret = with_causes(x, loc, "validation failed", &errs);
        ret->kind = VE_GROUP;
    }
done:
    sb_release(&m);
    x->depth--;
    return x->failed ? NULL : ret;
}

/* ---- compiling: the parts of the metaschema check Helm users meet -------------------- */

static int draft_of(const cval *root)
{
    const cval *u = cv_is(root, CV_MAP) ? cv_map_getn(root, "$schema", 7) : NULL;
    if (!cv_is(u, CV_STRING))
        return 2020;
    const char *s = u->u.str.s;
    if (strncmp(s, "http://", 7) == 0)
        s += 7;
    else if (strncmp(s, "https://", 8) == 0)
        s += 8;
    size_t n = strlen(s);
    if (n && s[n - 1] == '#')
        n--;
    static const struct { const char *u; int d; } drafts[] = {
        {"json-schema.org/schema", 2020}, {"json-schema.org/draft/2020-12/schema", 2020},
        {"json-schema.org/draft/2019-09/schema", 2019}, {"json-schema.org/draft-07/schema", 7},
        {"json-schema.org/draft-06/schema", 6}, {"json-schema.org/draft-04/schema", 4},
    };
    for (size_t i = 0; i < sizeof drafts / sizeof *drafts; i++)
        if (strlen(drafts[i].u) == n && strncmp(s, drafts[i].u, n) == 0)
            return drafts[i].d;
    return 0;
}

static const char *draft_url(int d)
{
    switch (d) {
    case 4: return "http://json-schema.org/draft-04/schema#";
    case 6: return "http://json-schema.org/draft-06/schema#";
    case 7: return "http://json-schema.org/draft-07/schema#";
    case 2019: return "https://json-schema.org/draft/2019-09/schema#";
    default: return "https://json-schema.org/draft/2020-12/schema#";
    }
}

/* the metaschema error: 2019-09 and 2020-12 nest an "'allOf' failed" per schema level */
static int meta_fail(vctx *x, const char **chain, int nchain, const char *leafptr, const char *leaf, cap_err *err)
{
    strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "\"file:///values.schema.json#\" is not valid against metaschema: jsonschema validation failed with '%s'",
            draft_url(x->draft));
    int ind = 0;
    if (x->draft >= 2019)
        for (int i = 0; i < nchain; i++, ind++) {
            sb_addc(&sb, '\n');
            sb_addrep(&sb, ' ', 2 * (size_t)ind);
            sb_adds(&sb, "- at ");
            squote(&sb, chain[i], strlen(chain[i]));
            sb_adds(&sb, ": 'allOf' failed");
        }
    for (const char *l = leaf; l;) {
        const char *nl = strchr(l, '\n');
        sb_addc(&sb, '\n');
        sb_addrep(&sb, ' ', 2 * (size_t)ind);
        sb_adds(&sb, "- at ");
        squote(&sb, leafptr, strlen(leafptr));
        sb_adds(&sb, ": ");
        sb_add(&sb, l, nl ? (size_t)(nl - l) : strlen(l));
        if (l == leaf && nl)
            ind++;
        l = nl ? nl + 1 : NULL;
    }
    cap_err_set(err, "%s", sb_str(&sb));
    sb_release(&sb);
    return -1;
}

static bool valid_type_name(const cval *t)
{
    static const char *const names[] = {"array", "boolean", "integer", "null", "number", "object", "string"};
    if (!cv_is(t, CV_STRING))
        return false;
    for (size_t i = 0; i < 7; i++)
        if (strcmp(t->u.str.s, names[i]) == 0)
            return true;
    return false;
}

static int check_schema(vctx *x, const cval *s, const char *ptr, const char **chain, int nchain, cap_err *err);

static int check_sub(vctx *x, const cval *s, const char *ptr, const char *key, size_t klen, const char **chain,
                     int nchain, cap_err *err)
{
    return check_schema(x, s, ptr_append(x->a, ptr, key, klen), chain, nchain, err);
}

/* Every local $ref must resolve; every pattern must compile; types must be known. */
static int check_schema(vctx *x, const cval *s, const char *ptr, const char **chain, int nchain, cap_err *err)
{
    if (!cv_is(s, CV_MAP))
        return 0;
    if (nchain >= SCHEMA_MAX_DEPTH)
        return cap_err_set(err, "values.schema.json: nesting deeper than %d", SCHEMA_MAX_DEPTH);
    chain[nchain++] = ptr;
    const cval *ref = cv_map_getn(s, "$ref", 4);
    if (cv_is(ref, CV_STRING)) {
        const char *r = ref->u.str.s;
        if (r[0] == '#' && (r[1] == 0 || r[1] == '/')) {
            if (!resolve_ref(x, r))
                return cap_err_set(err, "json-pointer in \"file:///values.schema.json%s\" not found", r);
        } else if (strncmp(r, "urn:", 4) != 0) {
            return cap_err_set(err, "$ref %s: only references inside values.schema.json are supported", r);
        }
    }
    const cval *type = cv_map_getn(s, "type", 4);
    if (type) {
        bool ok = valid_type_name(type);
        if (cv_is(type, CV_LIST)) {
            ok = true;
            for (size_t i = 0; i < cv_list_len(type); i++)
                ok = ok && valid_type_name(cv_list_get(type, i));
        }
        if (!ok && !cv_is(type, CV_LIST)) {
            const char *tn = type_name(type);
            return meta_fail(x, chain, nchain, ptr_append(x->a, ptr, "type", 4),
                             arena_printf(x->a, "'anyOf' failed\nvalue must be one of 'array', 'boolean', 'integer', "
                                                "'null', 'number', 'object', 'string'\ngot %s, want array",
                                          tn ? tn : "null"),
                             err);
        }
    }
    const cval *pat = cv_map_getn(s, "pattern", 7);
    if (cv_is(pat, CV_STRING)) {
        bool ok;
        cap_err e = CAP_ERR_INIT;
        cap_err *save = x->fatal;
        x->fatal = &e;
        regex_match(x, pat->u.str.s, pat->u.str.len, "", 0, &ok);
        x->fatal = save;
        x->failed = false;
        if (!ok) {
            const char *m = arena_strdup(x->a, e.msg);
            cap_err_clear(&e);
            return meta_fail(x, chain, nchain, ptr_append(x->a, ptr, "pattern", 7), m, err);
        }
    }
#define KW(w) { w, sizeof w - 1 }
    static const struct { const char *k; size_t n; } one[] = {
        KW("additionalProperties"), KW("additionalItems"), KW("not"), KW("if"), KW("then"), KW("else"),
        KW("contains"), KW("propertyNames"), KW("unevaluatedProperties"), KW("unevaluatedItems"), KW("items"),
    }, arr[] = {
        KW("allOf"), KW("anyOf"), KW("oneOf"), KW("prefixItems"), KW("items"),
    }, map[] = {
        KW("properties"), KW("patternProperties"), KW("$defs"), KW("definitions"), KW("dependentSchemas"),
        KW("dependencies"),
    };
#undef KW
    for (size_t i = 0; i < sizeof one / sizeof *one; i++) {
        const cval *v = cv_map_getn(s, one[i].k, one[i].n);
        if (cv_is(v, CV_MAP) && check_sub(x, v, ptr, one[i].k, one[i].n, chain, nchain, err) != 0)
            return -1;
    }
    for (size_t i = 0; i < sizeof arr / sizeof *arr; i++) {
        const cval *v = cv_map_getn(s, arr[i].k, arr[i].n);
        if (!cv_is(v, CV_LIST))
            continue;
        const char *base = ptr_append(x->a, ptr, arr[i].k, arr[i].n);
        for (size_t k = 0; k < cv_list_len(v); k++) {
            char b[32];
            int n = snprintf(b, sizeof b, "%zu", k);
            if (check_sub(x, cv_list_get(v, k), base, b, (size_t)n, chain, nchain, err) != 0)
                return -1;
        }
    }
    for (size_t i = 0; i < sizeof map / sizeof *map; i++) {
        const cval *v = cv_map_getn(s, map[i].k, map[i].n);
        if (!cv_is(v, CV_MAP))
            continue;
        const char *base = ptr_append(x->a, ptr, map[i].k, map[i].n);
        size_t n;
        const cv_entry *es = cv_map_sorted(v, &n);
        for (size_t k = 0; k < n; k++) {
            if (check_sub(x, es[k].val, base, es[k].key, es[k].keylen, chain, nchain, err) != 0)
                return -1;
            es = cv_map_sorted(v, &n);
        }
    }
    return 0;
}

static int validate_schema(vctx *x, cval *vals, strbuf *problems, cap_err *err);

int values_validate_schema(arena *a, const char *schema, size_t len, const char *chartname, cval *vals,
                           strbuf *problems, cap_err *err)
{
    (void)chartname;
    cval *root;
    if (schema_parse(a, schema, len, &root, err) != 0)
        return -1;
    vctx x = {a, root, draft_of(root), 0, err, false, NULL};
    int rc = validate_schema(&x, vals, problems, err);
    funcs_regex_cache_free(x.rx_cache);
    return rc;
}

/* The schema checked, then the values against it: 0, 1 with the problems,
 * or -1 with err set. */
static int validate_schema(vctx *x, cval *vals, strbuf *problems, cap_err *err)
{
    const cval *root = x->root;
    if (x->draft == 0) {
        const cval *u = cv_map_getn(root, "$schema", 7);
        return cap_err_set(err, "capstan: unsupported $schema %s", u->u.str.s);
    }
    if (!cv_is(root, CV_MAP) && !cv_is(root, CV_BOOL))
        return cap_err_set(err,
                           "\"file:///values.schema.json#\" is not valid against metaschema: jsonschema validation "
                           "failed with '%s'\n- at '': got %s, want boolean or object",
                           draft_url(x->draft), type_name(root) ? type_name(root) : "null");
    const char **chain = arena_alloc(x->a, (SCHEMA_MAX_DEPTH + 1) * sizeof *chain);
    if (check_schema(x, root, "", chain, 0, err) != 0)
        return -1;
    verr *e = validate(x, root, vals, "");
    if (x->failed)
        return -1;
    if (!e)
        return 0;
    /* the Schema error's causes (a Group's own causes), without its first line */
    verr top = {0};
    top.causes = e->kind == VE_GROUP ? e->causes : &e;
    top.ncauses = e->kind == VE_GROUP ? e->ncauses : 1;
    strbuf out = STRBUF_INIT;
    for (size_t i = 0; i < top.ncauses; i++)
        display_err(&out, top.causes[i], 1);
    /* display starts each cause with "\n- "; Helm trims the first line */
    const char *s = sb_str(&out);
    sb_add(problems, s + (out.len && s[0] == '\n'), out.len - (out.len && s[0] == '\n'));
    sb_addc(problems, '\n');
    sb_release(&out);
    return 1;
}

static int validate_chart(arena *a, const chart *c, cval *vals, strbuf *sb, int depth, cap_err *err)
{
    if (c->schema) {
        cap_err e = CAP_ERR_INIT;
        strbuf probs = STRBUF_INIT;
        int rc = values_validate_schema(a, c->schema, c->schema_len, chart_name(c), vals, &probs, &e);
        if (rc != 0) {
            sb_addf(sb, "%s:\n", chart_name(c));
            if (rc < 0)
                sb_adds(sb, e.msg ? e.msg : "error");
            else
                sb_add(sb, sb_str(&probs), probs.len);
        }
        cap_err_clear(&e);
        sb_release(&probs);
    }
    if (depth >= CHART_MAX_DEPTH)
        return 0;
    for (size_t i = 0; i < c->ndeps; i++) {
        const chart *sub = c->deps[i];
        cval *raw = cv_is(vals, CV_MAP) ? cv_map_get(vals, chart_name(sub)) : NULL;
        if (!raw || cv_is_nil(raw))
            continue;
        if (!cv_is(raw, CV_MAP)) {
            sb_addf(sb, "%s:\ninvalid type for values: expected object (map), got %s\n", chart_name(sub),
                    cv_gotype(raw));
            continue;
        }
        validate_chart(a, sub, raw, sb, depth + 1, err);
    }
    return 0;
}

int values_validate_schemas(arena *a, const chart *c, cval *vals, cap_err *err)
{
    strbuf sb = STRBUF_INIT;
    validate_chart(a, c, vals, &sb, 0, err);
    if (sb.len == 0)
        return 0;
    cap_err_set(err, "values don't meet the specifications of the schema(s) in the following chart(s):\n%s",
                sb_str(&sb));
    sb_release(&sb);
    return -1;
}
