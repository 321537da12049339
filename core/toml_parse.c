/* toml_parse.c — Helm's fromToml: toml.Unmarshal into map[string]interface{}
 * as BurntSushi/toml v1.6 does it.
 *
 * The reader is recursive descent over the text. The bookkeeping of which
 * keys exist follows BurntSushi's parser, whose rules are looser than the
 * TOML specification in places (a key first made implicitly by a dotted key
 * may be "redefined" once, silently keeping the table), because fromToml must
 * accept and reject what Helm does: a set of implicit keys, a record of which
 * keys hold arrays, and a context (the current [table]) plus the current key,
 * both of which also name the "last key" in error messages.
 */
#include "core/toml.h"
#include "core/gofmt.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TABLES_TYPE "[]map[string]interface {}"

typedef struct {
    const char *s;
    size_t len;
} piece;

typedef struct {
    arena *a;
    const char *s;
    size_t len, pos;
    cval *root;
    piece ctx[TOML_MAX_DEPTH + 2];
    int nctx;
    piece cur;          /* the current key; len 0 and s NULL: none */
    cval *implicits;    /* set of Key.String() */
    cval *arrays;       /* set of Key.String() whose type is an array */
    int depth;
    strbuf msg;
    strbuf str;         /* scratch for one string or key piece at a time */
    size_t str_start;   /* where the text of the string being read starts */
    jmp_buf fail;
} parser;

/* Failures longjmp out, so nothing on the way may own heap memory: scratch
 * text for messages lives in the arena, and strings are read into p->str. */

/* ---- keys ------------------------------------------------------------------ */

static void add_piece(strbuf *sb, const char *s, size_t n)
{
    if (n == 0) {
        sb_adds(sb, "\"\"");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(isalnum(c) || c == '_' || c == '-')) {
            /* the encoder's quoting, as Key.String uses it */
            static const char hexd[] = "0123456789abcdef";
            sb_addc(sb, '"');
            for (size_t k = 0; k < n; k++) {
                unsigned char d = (unsigned char)s[k];
                switch (d) {
                case '"': sb_adds(sb, "\\\""); break;
                case '\\': sb_adds(sb, "\\\\"); break;
                case '\b': sb_adds(sb, "\\b"); break;
                case '\t': sb_adds(sb, "\\t"); break;
                case '\n': sb_adds(sb, "\\n"); break;
                case '\f': sb_adds(sb, "\\f"); break;
                case '\r': sb_adds(sb, "\\r"); break;
                default:
                    if (d < 0x20 || d == 0x7f) {
                        sb_adds(sb, "\\u00");
                        sb_addc(sb, hexd[d >> 4]);
                        sb_addc(sb, hexd[d & 0xF]);
                    } else {
                        sb_addc(sb, (char)d);
                    }
                }
            }
            sb_addc(sb, '"');
            return;
        }
    }
    sb_add(sb, s, n);
}

/* Key.String() of pieces k[0..n) */
static void key_string(strbuf *sb, const piece *k, int n)
{
    for (int i = 0; i < n; i++) {
        if (i > 0)
            sb_addc(sb, '.');
        add_piece(sb, k[i].s, k[i].len);
    }
}

/* ---- errors ---------------------------------------------------------------- */

static int line_at(const parser *p, size_t pos)
{
    int line = 1;
    for (size_t i = 0; i < pos && i < p->len; i++)
        if (p->s[i] == '\n')
            line++;
    return line;
}

/* the parser's current(): context, plus the current key */
static void current(const parser *p, strbuf *sb)
{
    key_string(sb, p->ctx, p->nctx);
    if (p->cur.s) {
        if (p->nctx > 0)
            sb_addc(sb, '.');
        sb_add(sb, p->cur.s, p->cur.len);
    }
}

static _Noreturn void vfail_line(parser *p, int line, const char *fmt, va_list ap)
{
    strbuf last = STRBUF_INIT;
    current(p, &last);
    sb_reset(&p->msg);
    sb_addf(&p->msg, "toml: line %d", line);
    if (last.len) {
        sb_adds(&p->msg, " (last key ");
        gofmt_quote(&p->msg, last.buf, last.len);
        sb_addc(&p->msg, ')');
    }
    sb_adds(&p->msg, ": ");
    sb_vaddf(&p->msg, fmt, ap);
    sb_release(&last);
    longjmp(p->fail, 1);
}

static _Noreturn void __attribute__((format(printf, 3, 4))) fail_line(parser *p, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail_line(p, line, fmt, ap);
}

#define fail_at(p, pos, ...) fail_line((p), line_at((p), (pos)), __VA_ARGS__)

/* %q of the rune at pos, or "end of file" (the lexer's runeOrEOF); in the arena */
static const char *rune_q(parser *p, size_t pos)
{
    if (pos >= p->len)
        return "end of file";
    int32_t r;
    strbuf tmp = STRBUF_INIT;
    gofmt_decode_rune(p->s + pos, p->len - pos, &r);
    gofmt_quote_rune(&tmp, r, false);
    char *q = arena_strndup(p->a, sb_str(&tmp), tmp.len);
    sb_release(&tmp);
    return q;
}

/* %q of s; in the arena */
static const char *str_q(parser *p, const char *s, size_t n)
{
    strbuf tmp = STRBUF_INIT;
    gofmt_quote(&tmp, s, n);
    char *q = arena_strndup(p->a, sb_str(&tmp), tmp.len);
    sb_release(&tmp);
    return q;
}

/* ---- the sets ---------------------------------------------------------------- */

static char *key_of(parser *p, const piece *k, int n)
{
    strbuf sb = STRBUF_INIT;
    key_string(&sb, k, n);
    char *s = arena_strndup(p->a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return s;
}

static void set_add(parser *p, cval *set, const piece *k, int n)
{
    cv_map_set(set, key_of(p, k, n), cv_true());
}

static void set_del(parser *p, cval *set, const piece *k, int n)
{
    cv_map_delete(set, key_of(p, k, n));
}

static bool set_has(parser *p, cval *set, const piece *k, int n)
{
    return cv_map_has(set, key_of(p, k, n));
}

/* ---- the key bookkeeping (BurntSushi's addContext, setValue, setType) ---------- */

static bool is_tables(const cval *v)
{
    return v->kind == CV_LIST && v->gotype && strcmp(v->gotype, TABLES_TYPE) == 0;
}

static cval *new_tables(parser *p)
{
    cval *l = cv_list_new(p->a, 0);
    l->gotype = TABLES_TYPE;
    return l;
}

static void set_value(parser *p, const piece *key, cval *value, size_t pos)
{
    cval *hash = p->root;
    piece kc[TOML_MAX_DEPTH + 3];
    int n = 0;
    for (int i = 0; i < p->nctx; i++) {
        kc[n++] = p->ctx[i];
        cval *t = cv_map_getn(hash, p->ctx[i].s, p->ctx[i].len);
        if (t && is_tables(t) && cv_list_len(t) > 0) {
            hash = cv_list_get(t, cv_list_len(t) - 1);
        } else if (t && t->kind == CV_MAP) {
            hash = t;
        } else {
            fail_at(p, pos, "Key '%s' has already been defined.", key_of(p, kc, n));
        }
    }
    kc[n++] = *key;
    if (cv_map_getn(hash, key->s, key->len)) {
        if (set_has(p, p->arrays, kc, n)) {
            if (!set_has(p, p->implicits, kc, n)) {
                fail_at(p, pos, "Key '%s' has already been defined.", key_of(p, kc, n));
            }
            set_del(p, p->implicits, kc, n);
            cv_map_setn(hash, key->s, key->len, value);
            return;
        }
        if (set_has(p, p->implicits, kc, n)) {
            set_del(p, p->implicits, kc, n);
            return;
        }
        fail_at(p, pos, "Key '%s' has already been defined.", key_of(p, kc, n));
    }
    cv_map_setn(hash, key->s, key->len, value);
}

/* setType: only whether the key holds an array matters here */
static void set_type(parser *p, const piece *key, bool array)
{
    piece kc[TOML_MAX_DEPTH + 3];
    int n = 0;
    for (int i = 0; i < p->nctx; i++)
        kc[n++] = p->ctx[i];
    if (key && key->len > 0)
        kc[n++] = *key;
    if (n == 0) {
        kc[0].s = "";
        kc[0].len = 0;
        n = 1;
    }
    if (array)
        set_add(p, p->arrays, kc, n);
    else
        set_del(p, p->arrays, kc, n);
}

static void set_ctx(parser *p, const piece *k, int n)
{
    memmove(p->ctx, k, (size_t)n * sizeof *k);
    p->nctx = n;
}

static void add_context(parser *p, const piece *key, int n, bool array, size_t pos)
{
    if (n > TOML_MAX_DEPTH)
        fail_at(p, pos, "nesting too deep");
    cval *hash = p->root;
    piece kc[TOML_MAX_DEPTH + 2];
    int nk = 0;
    for (int i = 0; i < n - 1; i++) {
        kc[nk++] = key[i];
        cval *t = cv_map_getn(hash, key[i].s, key[i].len);
        if (!t) {
            set_add(p, p->implicits, kc, nk);
            t = cv_map_new(p->a);
            cv_map_setn(hash, key[i].s, key[i].len, t);
        }
        if (is_tables(t) && cv_list_len(t) > 0) {
            hash = cv_list_get(t, cv_list_len(t) - 1);
        } else if (t->kind == CV_MAP) {
            hash = t;
        } else {
            fail_at(p, pos, "Key '%s' was already created as a hash.", key_of(p, kc, nk));
        }
    }
    set_ctx(p, kc, nk);
    const piece *last = &key[n - 1];
    if (array) {
        cval *t = cv_map_getn(hash, last->s, last->len);
        if (!t) {
            t = new_tables(p);
            cv_map_setn(hash, last->s, last->len, t);
        }
        if (!is_tables(t)) {
            fail_at(p, pos, "Key '%s' was already created and cannot be used as an array.", key_of(p, key, n));
        }
        cv_list_push(t, cv_map_new(p->a));
    } else {
        set_value(p, last, cv_map_new(p->a), pos);
    }
    p->ctx[p->nctx++] = *last;
}

static void add_implicit_context(parser *p, const piece *key, int n, size_t pos)
{
    set_add(p, p->implicits, key, n);
    add_context(p, key, n, false, pos);
}

/* ---- the reader ---------------------------------------------------------------- */

static int peek(const parser *p, size_t off)
{
    return p->pos + off < p->len ? (unsigned char)p->s[p->pos + off] : -1;
}

static bool is_ws(int c)
{
    return c == ' ' || c == '\t';
}

static bool is_bare(int c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static void skip_ws(parser *p)
{
    while (is_ws(peek(p, 0)))
        p->pos++;
}

/* control characters other than tab, outside of strings too */
static void check_control(parser *p, size_t pos)
{
    unsigned char c = (unsigned char)p->s[pos];
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
        fail_at(p, pos, "TOML files cannot contain control characters: '0x%02x'", c);
}

static void skip_comment(parser *p)
{
    if (peek(p, 0) != '#')
        return;
    while (p->pos < p->len && p->s[p->pos] != '\n') {
        if (p->s[p->pos] != '\r')
            check_control(p, p->pos);
        p->pos++;
    }
}

/* whitespace, newlines and comments (inside arrays and inline tables) */
static void skip_all(parser *p)
{
    for (;;) {
        int c = peek(p, 0);
        if (is_ws(c) || c == '\n' || (c == '\r' && peek(p, 1) == '\n'))
            p->pos++;
        else if (c == '#')
            skip_comment(p);
        else
            return;
    }
}

static int hexv(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static void add_escape(parser *p, strbuf *out)
{
    /* at the backslash */
    size_t at = p->pos;
    int e = peek(p, 1);
    p->pos += 2;
    int digits = 0;
    switch (e) {
    case 'b': sb_addc(out, '\b'); return;
    case 't': sb_addc(out, '\t'); return;
    case 'n': sb_addc(out, '\n'); return;
    case 'f': sb_addc(out, '\f'); return;
    case 'r': sb_addc(out, '\r'); return;
    case 'e': sb_addc(out, 0x1b); return;
    case '"': sb_addc(out, '"'); return;
    case '\\': sb_addc(out, '\\'); return;
    case 'x': digits = 2; break;
    case 'u': digits = 4; break;
    case 'U': digits = 8; break;
    default:
        if (e < 0)
            fail_at(p, at, "unexpected EOF; expected '\"'");
        fail_at(p, at, "invalid escape in string '\\%c'", e);
    }
    uint32_t v = 0;
    for (int i = 0; i < digits; i++) {
        int h = hexv(peek(p, (size_t)i));
        if (h < 0) {
            /* the lexer shows the string's text up to the offending byte */
            size_t bad = p->pos + (size_t)i;
            size_t stop = bad < p->len ? bad + 1 : p->len;
            fail_at(p, at, "expected %s hexadecimal digits after '\\%c', but got %s instead",
                    digits == 2 ? "two" : digits == 4 ? "four" : "eight", e,
                    str_q(p, p->s + p->str_start, stop - p->str_start));
        }
        v = v * 16 + (uint32_t)h;
    }
    p->pos += (size_t)digits;
    if (digits == 2) {
        gofmt_add_rune(out, (int32_t)v);
        return;
    }
    if ((v >= 0xD800 && v < 0xE000) || v > 0x10FFFF)
        fail_at(p, at, "Escaped character '\\u%.*s' is not valid UTF-8.", digits, p->s + at + 2);
    gofmt_add_rune(out, (int32_t)v);
}

/* a string of any of the four kinds; p->pos at the opening quote */
static void read_string(parser *p, strbuf *out, bool allow_multi)
{
    char q = p->s[p->pos];
    bool literal = q == '\'';
    size_t start = p->pos;
    if (allow_multi && peek(p, 1) == q && peek(p, 2) == q) {
        p->pos += 3;
        /* a newline right after the delimiter is dropped */
        p->str_start = p->pos;
        if (peek(p, 0) == '\n')
            p->pos++;
        else if (peek(p, 0) == '\r' && peek(p, 1) == '\n')
            p->pos += 2;
        for (;;) {
            if (p->pos >= p->len)
                fail_at(p, p->pos, literal ? "unexpected EOF; expected \"'''\"" : "unexpected EOF; expected '\"\"\"'");
            int c = peek(p, 0);
            if (c == q && peek(p, 1) == q && peek(p, 2) == q) {
                /* up to two more quotes belong to the content */
                int extra = 0;
                while (extra < 2 && peek(p, 3 + (size_t)extra) == q)
                    extra++;
                if (peek(p, 3 + (size_t)extra) == q)
                    fail_at(p, p->pos, literal ? "unexpected \"''''''\"" : "unexpected '\"\"\"\"\"\"'");
                sb_addrep(out, q, (size_t)extra);
                p->pos += 3 + (size_t)extra;
                return;
            }
            if (!literal && c == '\\') {
                /* a line-ending backslash trims the whitespace after it */
                size_t k = p->pos + 1;
                while (k < p->len && is_ws((unsigned char)p->s[k]))
                    k++;
                if (k < p->len && (p->s[k] == '\n' || (p->s[k] == '\r' && k + 1 < p->len && p->s[k + 1] == '\n'))) {
                    p->pos = k;
                    while (p->pos < p->len && (is_ws(peek(p, 0)) || peek(p, 0) == '\n' || peek(p, 0) == '\r'))
                        p->pos++;
                    continue;
                }
                add_escape(p, out);
                continue;
            }
            if (c == '\r' && peek(p, 1) == '\n') {
                sb_adds(out, "\r\n");
                p->pos += 2;
                continue;
            }
            if (c != '\n')
                check_control(p, p->pos);
            sb_addc(out, (char)c);
            p->pos++;
        }
    }
    p->pos++;
    p->str_start = p->pos;
    for (;;) {
        int c = peek(p, 0);
        if (c < 0)
            fail_at(p, start, literal ? "unexpected EOF; expected \"'\"" : "unexpected EOF; expected '\"'");
        if (c == q) {
            p->pos++;
            return;
        }
        if (c == '\n' || (c == '\r' && peek(p, 1) == '\n'))
            fail_at(p, p->pos, "strings cannot contain newlines");
        if (!literal && c == '\\') {
            add_escape(p, out);
            continue;
        }
        check_control(p, p->pos);
        sb_addc(out, (char)c);
        p->pos++;
    }
}

/* a dotted key into k[]; returns the number of pieces */
static int read_key(parser *p, piece *k, bool header)
{
    int n = 0;
    for (;;) {
        skip_ws(p);
        int c = peek(p, 0);
        if (n > TOML_MAX_DEPTH)
            fail_at(p, p->pos, "nesting too deep");
        if (c == '"' || c == '\'') {
            sb_reset(&p->str);
            read_string(p, &p->str, false);
            k[n].s = arena_strndup(p->a, sb_str(&p->str), p->str.len);
            k[n].len = p->str.len;
            n++;
        } else if (is_bare(c)) {
            size_t st = p->pos;
            while (is_bare(peek(p, 0)))
                p->pos++;
            k[n].s = arena_strndup(p->a, p->s + st, p->pos - st);
            k[n].len = p->pos - st;
            n++;
        } else if (header) {
            if (c == ']' && n == 0)
                fail_at(p, p->pos, "unexpected end of table name (table names cannot be empty)");
            if (c == '.')
                fail_at(p, p->pos, "unexpected table separator (table names cannot be empty)");
            fail_at(p, p->pos, "expected '.' or ']' to end table name, but got %s instead", rune_q(p, p->pos));
        } else {
            if (c == '=')
                fail_at(p, p->pos, n == 0 ? "unexpected '=': key name appears blank" : "unexpected '='");
            if (c == '.')
                fail_at(p, p->pos, n == 0 ? "unexpected '.': keys cannot start with a '.'" : "unexpected '.'");
            if (c < 0)
                fail_at(p, p->pos, "unexpected EOF; expected key separator '='");
            fail_at(p, p->pos, "expected '.' or '=', but got %s instead", rune_q(p, p->pos));
        }
        skip_ws(p);
        if (peek(p, 0) == '.') {
            p->pos++;
            continue;
        }
        return n;
    }
}

static cval *read_value(parser *p, bool parent_is_array, bool *is_array);

static bool digit(int c)
{
    return c >= '0' && c <= '9';
}

static bool underscores_ok(const char *s, size_t n)
{
    if ((n == 3 && (!memcmp(s, "nan", 3) || !memcmp(s, "inf", 3))) ||
        (n == 4 && (s[0] == '+' || s[0] == '-') && (!memcmp(s + 1, "nan", 3) || !memcmp(s + 1, "inf", 3))))
        return true;
    bool accept = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '_' && !accept)
            return false;
        accept = isxdigit((unsigned char)s[i]) != 0;
    }
    return accept;
}

static bool leading_zero(const char *s, size_t n)
{
    if (n > 1 && s[0] == '0' && !(s[1] == 'b' || s[1] == 'o' || s[1] == 'x'))
        return true;
    if (n > 2 && (s[0] == '-' || s[0] == '+') && s[1] == '0')
        return true;
    return false;
}

static int days_in(int y, int m)
{
    static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

/* n digits at s, exactly */
static bool take_digits(const char **s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (!digit((unsigned char)(*s)[i]))
            return false;
        *v = *v * 10 + ((*s)[i] - '0');
    }
    *s += n;
    return true;
}

/* A TOML date-time is a Go time.Time to the template: %v prints it as
 * time.Time's String() does, toJson as its MarshalJSON (RFC 3339). */
typedef struct toml_time {
    const char *text;  /* "1979-05-27 07:32:00 +0000 UTC" */
    const char *json;  /* "\"1979-05-27T07:32:00Z\"" */
} toml_time;

static void toml_time_format(strbuf *out, void *self) { sb_adds(out, ((toml_time *)self)->text); }
static void toml_time_json(strbuf *out, void *self) { sb_adds(out, ((toml_time *)self)->json); }

static const cv_class toml_time_class = {
    .gotype = "time.Time", .gokind = "struct", .format = toml_time_format, .json = toml_time_json,
};

/* A date-time token (with 't', 'z' and ' ' already made 'T', 'Z', 'T'). */
static cval *datetime(parser *p, const char *w, size_t n, size_t pos)
{
    const char *t = w, *end = w + n;
    int Y = 0, M = 1, D = 1, h = 0, m = 0, sec = 0;
    char frac[16] = "";
    char zone[24] = "";
    bool has_date = false, has_time = false;
    if (n >= 10 && w[4] == '-') {
        if (!take_digits(&t, 4, &Y) || *t++ != '-' || !take_digits(&t, 2, &M) || *t++ != '-' ||
            !take_digits(&t, 2, &D))
            goto bad;
        has_date = true;
        if (t < end && *t != 'T')
            goto bad;
        if (t < end)
            t++;
        else
            goto done;
    }
    if (end - t < 5 || !take_digits(&t, 2, &h) || *t++ != ':' || !take_digits(&t, 2, &m))
        goto bad;
    if (t < end && *t == ':') {
        t++;
        if (end - t < 2 || !take_digits(&t, 2, &sec))
            goto bad;
        if (t < end && *t == '.') {
            t++;
            int k = 0;
            while (t < end && digit((unsigned char)*t)) {
                if (k < 9)
                    frac[k++] = *t;
                t++;
            }
            if (k == 0)
                goto bad;
            frac[k] = '\0';
            while (k > 0 && frac[k - 1] == '0')
                frac[--k] = '\0';
        }
    }
    has_time = true;
    if (t < end && has_date) {
        if (*t == 'Z') {
            strcpy(zone, "+0000 UTC");
            t++;
        } else if (*t == '+' || *t == '-') {
            char sign = *t++;
            int oh, om;
            if (end - t < 5 || !take_digits(&t, 2, &oh) || *t++ != ':' || !take_digits(&t, 2, &om) || oh > 23 ||
                om > 59)
                goto bad;
            if (oh == 0 && om == 0)
                strcpy(zone, "+0000 UTC");
            else
                snprintf(zone, sizeof zone, "%c%02d%02d %c%02d%02d", sign, oh, om, sign, oh, om);
        }
    }
    if (t != end)
        goto bad;
done:
    if (has_date && (M < 1 || M > 12 || D < 1 || D > days_in(Y, M)))
        goto bad;
    if (h > 23 || m > 59 || sec > 59)
        goto bad;
    if (!zone[0])
        snprintf(zone, sizeof zone, "+0000 %s",
                 has_date && has_time ? "datetime-local" : has_date ? "date-local" : "time-local");
    if (!has_date)
        Y = 0;
    toml_time *tt = arena_alloc(p->a, sizeof *tt);
    tt->text = arena_printf(p->a, "%04d-%02d-%02d %02d:%02d:%02d%s%s %s", Y, M, D, h, m, sec, frac[0] ? "." : "",
                            frac, zone);
    /* RFC 3339: "Z" for a zero offset (any zone), else the offset as ±hh:mm */
    char off[8] = "Z";
    if (zone[0] == '+' || zone[0] == '-') {
        if (strncmp(zone + 1, "0000", 4) != 0)
            snprintf(off, sizeof off, "%c%.2s:%.2s", zone[0], zone + 1, zone + 3);
    }
    tt->json = arena_printf(p->a, "\"%04d-%02d-%02dT%02d:%02d:%02d%s%s%s\"", Y, M, D, h, m, sec, frac[0] ? "." : "",
                            frac, off);
    return cv_object(p->a, &toml_time_class, tt);
bad:
    fail_at(p, pos, "invalid datetime: %s", str_q(p, w, n));
}

enum { TOK_INT, TOK_FLOAT, TOK_DATE };

static bool is_hex(int c) { return c >= 0 && isxdigit(c); }
static bool is_oct(int c) { return c >= '0' && c <= '7'; }
static bool is_bin(int c) { return c == '0' || c == '1'; }

/* The extent and kind of a number or date token starting with a digit, by
 * the lexer's states. */
static int scan_number(parser *p, size_t *endp)
{
    size_t i = p->pos;
#define AT(k) ((k) < p->len ? (unsigned char)p->s[k] : -1)
    int kind = TOK_INT;
    bool decimal = false; /* past the number-or-date states */
    if (AT(i) == '0') {
        i++;
        int c = AT(i);
        if (c == 'b' || c == 'o' || c == 'x') {
            bool (*ok)(int) = c == 'b' ? is_bin : c == 'o' ? is_oct : is_hex;
            if (!ok(AT(i + 1))) {
                const char *what = c == 'b' ? "binary" : c == 'o' ? "octal" : "hexadecimal";
                int r = AT(i + 1);
                fail_at(p, i, "not a%s %s number: '%.*s%c'", c == 'o' ? "n" : "", what, (int)(i + 1 - p->pos),
                        p->s + p->pos, r < 0 ? 0 : r);
            }
            i++;
            while (ok(AT(i)) || AT(i) == '_')
                i++;
            *endp = i;
            return TOK_INT;
        }
        if (c == '_') {
            decimal = true;
        } else if (c == '.' || c == 'e' || c == 'E') {
            kind = TOK_FLOAT;
        } else if (!digit(c)) {
            *endp = i;
            return TOK_INT;
        }
    }
    if (kind == TOK_INT && !decimal) {
        /* number or date */
        while (digit(AT(i)))
            i++;
        int c = AT(i);
        if (c == '-' || c == ':') {
            while (digit(AT(i)) || (AT(i) >= 0 && strchr("-:Tt .Zz+", AT(i))))
                i++;
            while (i > p->pos && p->s[i - 1] == ' ')
                i--;
            *endp = i;
            return TOK_DATE;
        }
        if (c == '_')
            decimal = true;
        else if (c == '.' || c == 'e' || c == 'E')
            kind = TOK_FLOAT;
        else {
            *endp = i;
            return TOK_INT;
        }
    }
    if (kind == TOK_INT) {
        while (digit(AT(i)) || AT(i) == '_')
            i++;
        if (AT(i) == '.' || AT(i) == 'e' || AT(i) == 'E')
            kind = TOK_FLOAT;
        else {
            *endp = i;
            return TOK_INT;
        }
    }
    while (digit(AT(i)) || (AT(i) >= 0 && strchr("_.-+eE", AT(i))))
        i++;
    *endp = i;
    return TOK_FLOAT;
#undef AT
}

static cval *int_value(parser *p, const char *w, size_t n, size_t start)
{
    if (!underscores_ok(w, n))
        fail_at(p, start, "Invalid integer %s: underscores must be surrounded by digits", str_q(p, w, n));
    if (leading_zero(w, n))
        fail_at(p, start, "Invalid integer %s: cannot have leading zeroes", str_q(p, w, n));
    char *clean = arena_alloc(p->a, n + 1);
    size_t cn = 0;
    for (size_t i = 0; i < n; i++)
        if (w[i] != '_')
            clean[cn++] = w[i];
    clean[cn] = '\0';
    const char *d = clean;
    bool neg = false;
    if (*d == '+' || *d == '-')
        neg = *d++ == '-';
    int base = 10;
    if (d[0] == '0' && (d[1] == 'x' || d[1] == 'o' || d[1] == 'b')) {
        base = d[1] == 'x' ? 16 : d[1] == 'o' ? 8 : 2;
        d += 2;
    }
    char *endp;
    errno = 0;
    unsigned long long u = strtoull(d, &endp, base);
    if (*endp || endp == d)
        fail_at(p, start, "expected value but found %s instead", str_q(p, w, n));
    if (errno == ERANGE || u > (unsigned long long)INT64_MAX + (neg ? 1 : 0))
        fail_at(p, start, "%.*s is out of range for int64", (int)n, w);
    return cv_int(p->a, neg ? (int64_t)(0 - u) : (int64_t)u);
}

static cval *float_value(parser *p, const char *w, size_t n, size_t start)
{
    size_t ps = 0;
    bool first = true;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || w[i] == '.' || w[i] == 'e' || w[i] == 'E') {
            if (i > ps) { /* FieldsFunc drops empty parts */
                if (!underscores_ok(w + ps, i - ps))
                    fail_at(p, start, "Invalid float %s: underscores must be surrounded by digits", str_q(p, w, n));
                if (first && leading_zero(w + ps, i - ps))
                    fail_at(p, start, "Invalid float %s: cannot have leading zeroes", str_q(p, w, n));
                first = false;
            }
            ps = i + 1;
        }
    }
    for (size_t i = 0; i < n; i++)
        if (w[i] == '.' && (i + 1 >= n || !digit((unsigned char)w[i + 1])))
            fail_at(p, start, "Invalid float %s: '.' must be followed by one or more digits", str_q(p, w, n));
    char *clean = arena_alloc(p->a, n + 1);
    size_t cn = 0;
    for (size_t i = 0; i < n; i++)
        if (w[i] != '_')
            clean[cn++] = w[i];
    clean[cn] = '\0';
    const char *b = clean[0] == '+' || clean[0] == '-' ? clean + 1 : clean;
    if (!strcmp(b, "inf") || !strcmp(b, "nan")) {
        double f = b[0] == 'i' ? INFINITY : NAN;
        return cv_float(p->a, clean[0] == '-' ? -f : f);
    }
    /* Go's ParseFloat syntax: digits, an optional fraction, an optional exponent */
    const char *q = b;
    bool ok = digit((unsigned char)*q);
    while (digit((unsigned char)*q))
        q++;
    if (*q == '.') {
        q++;
        while (digit((unsigned char)*q))
            q++;
    }
    if (*q == 'e' || *q == 'E') {
        q++;
        if (*q == '+' || *q == '-')
            q++;
        if (!digit((unsigned char)*q))
            ok = false;
        while (digit((unsigned char)*q))
            q++;
    }
    if (!ok || *q)
        fail_at(p, start, "Invalid float value: %s", str_q(p, w, n));
    errno = 0;
    double f = strtod(clean, NULL);
    if (errno == ERANGE && isinf(f))
        fail_at(p, start, "%.*s is out of range for float64", (int)n, w);
    return cv_float(p->a, f);
}

/* a value that starts with a digit, a sign, 'i' or 'n' */
static cval *number(parser *p)
{
    size_t start = p->pos;
    int c = peek(p, 0);
    if (c == '+' || c == '-') {
        int d = peek(p, 1);
        if (d == 'i' || d == 'n') {
            const char *rest = d == 'i' ? "nf" : "an";
            if (peek(p, 2) != rest[0] || peek(p, 3) != rest[1]) {
                size_t k = 2 + (peek(p, 2) == rest[0]);
                fail_at(p, start, "invalid float: '%.*s'", (int)(k + (k < 4 && p->pos + k < p->len)),
                        p->s + start);
            }
            p->pos += 4;
            return float_value(p, p->s + start, 4, start);
        }
        if (d == '0' && (peek(p, 2) == 'b' || peek(p, 2) == 'o' || peek(p, 2) == 'x'))
            fail_at(p, start, "cannot use sign with non-decimal numbers: '%.*s'", 3, p->s + start);
        if (d == '.')
            fail_at(p, start, "floats must start with a digit, not '.'");
        if (!digit(d)) {
            strbuf q = STRBUF_INIT;
            gofmt_quote_rune(&q, d < 0 ? 0 : d, false);
            const char *qs = arena_strndup(p->a, sb_str(&q), q.len);
            sb_release(&q);
            fail_at(p, start, "expected a digit but got %s", qs);
        }
        /* a signed decimal: the digits, then as a decimal number */
        size_t i = start + 1;
        while (i < p->len && (digit((unsigned char)p->s[i]) || p->s[i] == '_'))
            i++;
        bool is_float = false;
        if (i < p->len && (p->s[i] == '.' || p->s[i] == 'e' || p->s[i] == 'E')) {
            is_float = true;
            while (i < p->len && (digit((unsigned char)p->s[i]) || strchr("_.-+eE", p->s[i])))
                i++;
        }
        p->pos = i;
        return is_float ? float_value(p, p->s + start, i - start, start) : int_value(p, p->s + start, i - start, start);
    }
    if (c == 'i' || c == 'n') {
        p->pos += 3;
        return float_value(p, p->s + start, 3, start);
    }
    size_t end;
    int kind = scan_number(p, &end);
    p->pos = end;
    const char *w = p->s + start;
    size_t n = end - start;
    if (kind == TOK_DATE) {
        char *d = arena_strndup(p->a, w, n);
        for (size_t i = 0; i < n; i++)
            d[i] = d[i] == 'z' ? 'Z' : d[i] == 't' || d[i] == ' ' ? 'T' : d[i];
        return datetime(p, d, n, start);
    }
    return kind == TOK_FLOAT ? float_value(p, w, n, start) : int_value(p, w, n, start);
}

static cval *read_array(parser *p, bool *is_array)
{
    set_type(p, &p->cur, true);
    *is_array = true;
    size_t open = p->pos;
    p->pos++; /* [ */
    cval *list = cv_list_new(p->a, 0);
    for (;;) {
        skip_all(p);
        int c = peek(p, 0);
        if (c == ']') {
            p->pos++;
            break;
        }
        if (c == ',')
            fail_at(p, p->pos, "unexpected comma");
        if (c < 0)
            fail_at(p, p->pos, "unexpected EOF; expected value");
        bool sub;
        cval *v = read_value(p, true, &sub);
        cv_list_push(list, v);
        skip_all(p);
        c = peek(p, 0);
        if (c == ',') {
            p->pos++;
            continue;
        }
        if (c == ']') {
            p->pos++;
            break;
        }
        fail_line(p, line_at(p, c < 0 ? open : p->pos),
                  "expected a comma (',') or array terminator (']'), but got %s", rune_q(p, p->pos));
    }
    return list;
}

static cval *read_inline_table(parser *p, bool parent_is_array)
{
    /* this recurses: the key arrays live in the arena, not on the stack */
    size_t psz = sizeof(piece);
    cval *top = cv_map_new(p->a);
    if (p->nctx > TOML_MAX_DEPTH)
        fail_at(p, p->pos, "nesting too deep");
    int outer_n = p->nctx;
    piece *outer_ctx = arena_alloc(p->a, (size_t)(outer_n + 1) * psz);
    memcpy(outer_ctx, p->ctx, (size_t)outer_n * psz);
    piece outer_key = p->cur;
    p->ctx[p->nctx++] = p->cur;
    int prev_n = p->nctx;
    piece *prev = arena_alloc(p->a, (size_t)prev_n * psz);
    memcpy(prev, p->ctx, (size_t)prev_n * psz);
    p->cur.s = NULL;
    p->cur.len = 0;
    set_add(p, p->implicits, p->ctx, p->nctx);
    add_context(p, prev, prev_n, parent_is_array, p->pos);
    piece *key = arena_alloc(p->a, (TOML_MAX_DEPTH + 2) * psz);
    piece *k = arena_alloc(p->a, (TOML_MAX_DEPTH + 3) * psz);
    p->pos++; /* { */
    bool first = true;
    for (;;) {
        skip_all(p);
        int c = peek(p, 0);
        if (c == '}') {
            p->pos++;
            break;
        }
        if (!first || c == ',') {
            if (c != ',' || first)
                fail_at(p, p->pos, c == ',' ? "unexpected comma" :
                        "expected a comma or an inline table terminator '}', but got %s instead",
                        rune_q(p, p->pos));
            p->pos++;
            skip_all(p);
            if (peek(p, 0) == '}') { /* a trailing comma */
                p->pos++;
                break;
            }
        }
        first = false;
        size_t kpos = p->pos;
        int n = read_key(p, key, false);
        skip_ws(p);
        if (peek(p, 0) != '=')
            fail_at(p, p->pos, "expected '.' or '=', but got %s instead", rune_q(p, p->pos));
        p->pos++;
        p->cur = key[n - 1];
        for (int i = 0; i < n - 1; i++) {
            if (p->nctx > TOML_MAX_DEPTH)
                fail_at(p, kpos, "nesting too deep");
            memcpy(k, p->ctx, (size_t)p->nctx * sizeof(piece));
            k[p->nctx] = key[i];
            add_implicit_context(p, k, p->nctx + 1, kpos);
        }
        skip_ws(p);
        bool arr = false;
        cval *v = read_value(p, false, &arr);
        set_value(p, &p->cur, v, kpos);
        set_type(p, &p->cur, arr);
        cval *hash = top;
        for (int i = 0; i < n - 1; i++) {
            cval *h = cv_map_getn(hash, key[i].s, key[i].len);
            if (!h) {
                h = cv_map_new(p->a);
                cv_map_setn(hash, key[i].s, key[i].len, h);
            }
            if (h->kind != CV_MAP) {
                const char *ks = key_of(p, p->ctx, p->nctx);
                fail_at(p, kpos, "%s is not a table", str_q(p, ks, strlen(ks)));
            }
            hash = h;
        }
        cv_map_setn(hash, p->cur.s, p->cur.len, v);
        set_ctx(p, prev, prev_n);
    }
    set_ctx(p, outer_ctx, outer_n);
    p->cur = outer_key;
    return top;
}

static cval *read_value(parser *p, bool parent_is_array, bool *is_array)
{
    *is_array = false;
    if (++p->depth > TOML_MAX_DEPTH)
        fail_at(p, p->pos, "nesting too deep");
    int c = peek(p, 0);
    cval *v;
    if (c == '"' || c == '\'') {
        sb_reset(&p->str);
        read_string(p, &p->str, true);
        v = cv_string(p->a, sb_str(&p->str), p->str.len);
    } else if (c == '[') {
        v = read_array(p, is_array);
    } else if (c == '{') {
        v = read_inline_table(p, parent_is_array);
    } else if ((c == 'i' && peek(p, 1) == 'n' && peek(p, 2) == 'f') ||
               (c == 'n' && peek(p, 1) == 'a' && peek(p, 2) == 'n') || digit(c) || c == '+' || c == '-') {
        v = number(p);
    } else if (c < 0) {
        fail_at(p, p->pos, "unexpected EOF; expected value");
    } else if (c == '.') {
        fail_at(p, p->pos, "floats must start with a digit, not '.'");
    } else if (isalpha(c) || c >= 0x80) {
        /* the lexer's lexBool: a run of letters */
        size_t e = p->pos;
        while (e < p->len && (isalpha((unsigned char)p->s[e]) || (unsigned char)p->s[e] >= 0x80))
            e++;
        size_t n = e - p->pos;
        if (n == 4 && !memcmp(p->s + p->pos, "true", 4))
            v = cv_true();
        else if (n == 5 && !memcmp(p->s + p->pos, "false", 5))
            v = cv_false();
        else
            fail_at(p, p->pos, "expected value but found %s instead", str_q(p, p->s + p->pos, n));
        p->pos = e;
    } else {
        fail_at(p, p->pos, "expected value but found %s instead", rune_q(p, p->pos));
    }
    p->depth--;
    return v;
}

/* the end of a top-level item: spaces, a comment, then a newline or the end */
static void end_of_item(parser *p)
{
    skip_ws(p);
    skip_comment(p);
    int c = peek(p, 0);
    if (c < 0 || c == '\n')
        return;
    if (c == '\r' && peek(p, 1) == '\n')
        return;
    fail_at(p, p->pos, "expected a top-level item to end with a newline, comment, or EOF, but got %s instead",
            rune_q(p, p->pos));
}

static void header(parser *p)
{
    bool array = peek(p, 1) == '[';
    size_t at = p->pos;
    p->pos += array ? 2 : 1;
    piece key[TOML_MAX_DEPTH + 2];
    int n = read_key(p, key, true);
    if (array) {
        if (peek(p, 0) != ']' || peek(p, 1) != ']') {
            size_t bad = peek(p, 0) == ']' ? p->pos + 1 : p->pos;
            fail_line(p, line_at(p, bad) + (bad < p->len && p->s[bad] == '\n'),
                      "expected end of table array name delimiter ']', but got %s instead", rune_q(p, bad));
        }
        p->pos += 2;
    } else {
        if (peek(p, 0) != ']')
            fail_line(p, line_at(p, p->pos) + (peek(p, 0) == '\n'),
                      "expected '.' or ']' to end table name, but got %s instead", rune_q(p, p->pos));
        p->pos++;
    }
    add_context(p, key, n, array, at);
    set_type(p, NULL, false);
}

static void key_value(parser *p)
{
    piece outer[TOML_MAX_DEPTH + 2];
    int outer_n = p->nctx;
    memcpy(outer, p->ctx, (size_t)p->nctx * sizeof(piece));
    size_t kpos = p->pos;
    piece key[TOML_MAX_DEPTH + 2];
    int n = read_key(p, key, false);
    skip_ws(p);
    if (peek(p, 0) != '=') {
        if (peek(p, 0) < 0)
            fail_at(p, p->pos, "unexpected EOF; expected key separator '='");
        fail_at(p, p->pos, "expected '.' or '=', but got %s instead", rune_q(p, p->pos));
    }
    p->pos++;
    p->cur = key[n - 1];
    for (int i = 0; i < n - 1; i++) {
        piece k[TOML_MAX_DEPTH + 3];
        if (p->nctx > TOML_MAX_DEPTH)
            fail_at(p, kpos, "nesting too deep");
        memcpy(k, p->ctx, (size_t)p->nctx * sizeof(piece));
        k[p->nctx] = key[i];
        add_implicit_context(p, k, p->nctx + 1, kpos);
    }
    skip_ws(p);
    int c = peek(p, 0);
    if (c == '\n' || (c == '\r' && peek(p, 1) == '\n'))
        fail_at(p, kpos, "expected value but found %s instead", rune_q(p, p->pos));
    bool arr = false;
    cval *v = read_value(p, false, &arr);
    set_value(p, &p->cur, v, p->pos);
    set_type(p, &p->cur, arr);
    set_ctx(p, outer, outer_n);
    p->cur.s = NULL;
    p->cur.len = 0;
}

int toml_parse(arena *a, const char *text, size_t len, const char *file, cval **out, cap_err *err)
{
    parser *p = calloc(1, sizeof *p);
    if (!p)
        abort();
    p->a = a;
    p->s = text ? text : "";
    p->len = text ? len : 0;
    p->root = cv_map_new(a);
    p->implicits = cv_map_new(a);
    p->arrays = cv_map_new(a);
    int rc = 0;
    if (setjmp(p->fail) == 0) {
        /* a byte-order mark is skipped */
        if (p->len >= 3 && !memcmp(p->s, "\xef\xbb\xbf", 3))
            p->pos = 3;
        /* invalid UTF-8 anywhere is an error */
        for (size_t i = 0; i < p->len;) {
            int32_t r;
            int w = (unsigned char)p->s[i] < 0x80 ? 1 : gofmt_decode_rune(p->s + i, p->len - i, &r);
            if (w == 1 && (unsigned char)p->s[i] >= 0x80)
                fail_at(p, i, "invalid UTF-8 byte: 0x%02x", (unsigned char)p->s[i]);
            i += (size_t)w;
        }
        for (;;) {
            int c;
            for (;;) {
                c = peek(p, 0);
                if (is_ws(c) || c == '\n' || (c == '\r' && peek(p, 1) == '\n'))
                    p->pos++;
                else if (c == '#')
                    skip_comment(p);
                else
                    break;
            }
            if (c < 0)
                break;
            if (c == '[')
                header(p);
            else {
                if (c < 0x20 || c == 0x7f)
                    check_control(p, p->pos);
                key_value(p);
            }
            end_of_item(p);
        }
        *out = p->root;
    } else {
        cap_err_set(err, "%s", sb_str(&p->msg));
        if (file)
            cap_err_set_file(err, file);
        *out = cv_map_new(a);
        rc = -1;
    }
    sb_release(&p->msg);
    sb_release(&p->str);
    free(p);
    return rc;
}
