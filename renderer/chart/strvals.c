/* strvals.c — Helm's --set parser, written after the behaviour of
 * pkg/strvals (parser.go, literal_parser.go): same grammar, same type
 * inference, same error texts. Go's panics on type assertions are reproduced
 * as the "unable to parse key: interface conversion: ..." errors they become. */
#include "renderer/chart/strvals.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/json.h"
#include "core/strbuf.h"

#define EOF_ (-1)
#define MAX_DEPTH 2000 /* list-in-list nesting: input-controlled, bounded for the C stack */

typedef struct parser {
    arena *a;
    const char *s;
    size_t len, pos;
    strvals_mode mode;
    strvals_reader reader;
    void *ctx;
    char *msg;     /* the error, in arena a */
    bool eof;      /* the error is io.EOF (parse() treats it as success) */
    bool panic;    /* the error came from a Go panic (wrapped once by key()) */
    int depth;
} parser;

enum { OK = 0, ERR = -1 };

static int fail(parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(parser *p, const char *fmt, ...)
{
    strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    p->msg = arena_strndup(p->a, sb_str(&sb), sb.len);
    sb_release(&sb);
    p->eof = false;
    p->panic = false;
    return ERR;
}

static int fail_eof(parser *p)
{
    p->msg = "EOF";
    p->eof = true;
    p->panic = false;
    return ERR;
}

void strvals_quote(strbuf *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    sb_addc(out, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': sb_adds(out, "\\\""); break;
        case '\\': sb_adds(out, "\\\\"); break;
        case '\a': sb_adds(out, "\\a"); break;
        case '\b': sb_adds(out, "\\b"); break;
        case '\f': sb_adds(out, "\\f"); break;
        case '\n': sb_adds(out, "\\n"); break;
        case '\r': sb_adds(out, "\\r"); break;
        case '\t': sb_adds(out, "\\t"); break;
        case '\v': sb_adds(out, "\\v"); break;
        default:
            if (c < 0x20 || c == 0x7f) {
                sb_adds(out, "\\x");
                sb_addc(out, hex[c >> 4]);
                sb_addc(out, hex[c & 15]);
            } else {
                sb_addc(out, (char)c);
            }
        }
    }
    sb_addc(out, '"');
}

static const char *quoted(parser *p, const char *s, size_t n)
{
    strbuf sb = STRBUF_INIT;
    strvals_quote(&sb, s, n);
    char *r = arena_strndup(p->a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return r;
}

/* ---- scanning ------------------------------------------------------------ */

static int next_ch(parser *p)
{
    if (p->pos >= p->len)
        return EOF_;
    return (unsigned char)p->s[p->pos++];
}

/* runesUntil: read up to a stop byte (consumed, returned in *last), with
 * backslash escapes unless literal. Returns 0, or EOF_ at end of input. */
static int until(parser *p, const char *stop, strbuf *v, int *last, bool literal)
{
    sb_reset(v);
    for (;;) {
        int c = next_ch(p);
        if (c == EOF_) {
            *last = 0;
            return EOF_;
        }
        if (strchr(stop, c) && c != 0) {
            *last = c;
            return 0;
        }
        if (c == '\\' && !literal) {
            int n = next_ch(p);
            if (n == EOF_) {
                *last = 0;
                return EOF_;
            }
            sb_addc(v, (char)n);
            continue;
        }
        sb_addc(v, (char)c);
    }
}

/* ---- values ---------------------------------------------------------------- */

static bool parse_int64(const char *s, int64_t *out)
{
    if (!*s)
        return false;
    const char *q = s;
    if (*q == '+' || *q == '-')
        q++;
    if (!*q)
        return false;
    for (const char *r = q; *r; r++)
        if (*r < '0' || *r > '9')
            return false;
    errno = 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (errno || *end)
        return false;
    *out = (int64_t)v;
    return true;
}

static cval *typed_val(parser *p, const char *s, size_t n, bool st)
{
    if (st)
        return cv_string(p->a, s, n);
    if (strcasecmp(s, "true") == 0 && n == 4)
        return cv_true();
    if (strcasecmp(s, "false") == 0 && n == 5)
        return cv_false();
    if (strcasecmp(s, "null") == 0 && n == 4)
        return cv_nil();
    if (n == 1 && s[0] == '0')
        return cv_int(p->a, 0);
    int64_t iv;
    if (n != 0 && s[0] != '0' && strlen(s) == n && parse_int64(s, &iv))
        return cv_int(p->a, iv);
    return cv_string(p->a, s, n);
}

/* The reader: the string converter or the file reader. */
static int read_value(parser *p, strbuf *rs, cval **out)
{
    if (p->mode == STRVALS_FILE) {
        char *em = NULL;
        cval *v = p->reader ? p->reader(p->ctx, p->a, sb_str(rs), &em) : NULL;
        if (!v) {
            *out = NULL;
            return fail(p, "%s", em ? em : "cannot read file");
        }
        *out = v;
        return OK;
    }
    *out = typed_val(p, sb_str(rs), rs->len, p->mode == STRVALS_STRING);
    return OK;
}

static void set_key(cval *data, const char *k, size_t n, cval *v)
{
    if (n == 0)
        return;
    cv_map_setn(data, k, n, v);
}

static const char *type_name(const cval *v)
{
    if (!v || v->kind == CV_NIL || v->kind == CV_INVALID)
        return "nil";
    return cv_gotype(v);
}

static int panic_conv(parser *p, const cval *v, const char *want)
{
    fail(p, "interface conversion: interface {} is %s, not %s", type_name(v), want);
    p->panic = true;
    return ERR;
}

/* setIndex: grow with nils as needed. *list may be NULL (Go's nil slice). */
static int set_index(parser *p, cval **list, long idx, cval *v)
{
    if (idx < 0)
        return fail(p, "negative %ld index not allowed", idx);
    if (idx > STRVALS_MAX_INDEX)
        return fail(p, "index of %ld is greater than maximum supported index of %d", idx, STRVALS_MAX_INDEX);
    if (!*list)
        *list = cv_list_new(p->a, (size_t)idx + 1);
    while (cv_list_len(*list) <= (size_t)idx)
        cv_list_push(*list, cv_nil());
    cv_list_set(*list, (size_t)idx, v);
    return OK;
}

/* valList: returns OK with *out a list, ERR with p->eof for EOF, or 1 for "not a list". */
static int val_list(parser *p, cval **out)
{
    int c = next_ch(p);
    if (c == EOF_)
        return fail_eof(p);
    if (c != '{') {
        p->pos--;
        return 1;
    }
    cval *list = cv_list_new(p->a, 4);
    strbuf rs = STRBUF_INIT;
    for (;;) {
        int last;
        if (until(p, ",}", &rs, &last, false) == EOF_) {
            sb_release(&rs);
            return fail(p, "list must terminate with '}'");
        }
        cval *v;
        if (last == '}') {
            int n = next_ch(p);
            if (n != EOF_ && n != ',')
                p->pos--;
            int r = read_value(p, &rs, &v);
            sb_release(&rs);
            if (v)
                cv_list_push(list, v);
            *out = list;
            return r;
        }
        if (read_value(p, &rs, &v) != OK) {
            sb_release(&rs);
            return ERR;
        }
        cv_list_push(list, v);
    }
}

/* val: up to ',' (or the end). Returns 0 (stopped at ',') or EOF_. */
static int val(parser *p, strbuf *rs)
{
    int last;
    return until(p, p->mode == STRVALS_LITERAL ? "" : ",", rs, &last, p->mode == STRVALS_LITERAL);
}

/* emptyVal for JSON: skip spaces; true at EOF or ','. */
static bool empty_val(parser *p)
{
    for (;;) {
        int c = next_ch(p);
        if (c == EOF_ || c == ',')
            return true;
        if (!isspace(c) && c != 0x85 && c != 0xa0) {
            p->pos--;
            return false;
        }
    }
}

/* The extent of one JSON value starting at p->pos (after spaces), as Go's
 * json.Decoder reads it. Returns its length, or 0 when it cannot be one. */
static size_t json_extent(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    if (i >= len)
        return 0;
    if (s[i] == '{' || s[i] == '[') {
        int depth = 0;
        for (; i < len; i++) {
            char c = s[i];
            if (c == '"') {
                for (i++; i < len && s[i] != '"'; i++)
                    if (s[i] == '\\')
                        i++;
                if (i >= len)
                    return 0;
            } else if (c == '{' || c == '[') {
                if (++depth > 10000)
                    return 0;
            } else if (c == '}' || c == ']') {
                if (--depth == 0)
                    return i + 1;
            }
        }
        return 0;
    }
    if (s[i] == '"') {
        for (i++; i < len && s[i] != '"'; i++)
            if (s[i] == '\\')
                i++;
        return i < len ? i + 1 : 0;
    }
    size_t st = i;
    while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '+' || s[i] == '.'))
        i++;
    return i > st ? i : 0;
}

static int json_value(parser *p, cval **out)
{
    size_t n = json_extent(p->s + p->pos, p->len - p->pos);
    if (n == 0)
        return fail(p, "invalid JSON");
    cap_err e = CAP_ERR_INIT;
    if (json_parse(p->a, p->s + p->pos, n, NULL, out, &e) != 0) {
        fail(p, "%s", e.msg ? e.msg : "invalid JSON");
        cap_err_clear(&e);
        return ERR;
    }
    p->pos += n;
    return OK;
}

static int key(parser *p, cval *data, int level);

static int key_index(parser *p, long *out)
{
    strbuf v = STRBUF_INIT;
    int last;
    bool lit = p->mode == STRVALS_LITERAL;
    if (until(p, "]", &v, &last, lit) == EOF_) {
        sb_release(&v);
        return fail_eof(p);
    }
    const char *s = sb_str(&v);
    const char *q = s;
    if (*q == '+' || *q == '-')
        q++;
    bool digits = *q != 0;
    for (const char *r = q; *r; r++)
        if (*r < '0' || *r > '9')
            digits = false;
    if (!digits) {
        fail(p, "strconv.Atoi: parsing %s: invalid syntax", quoted(p, s, v.len));
        sb_release(&v);
        return ERR;
    }
    errno = 0;
    long long n = strtoll(s, NULL, 10);
    if (errno) {
        fail(p, "strconv.Atoi: parsing %s: value out of range", quoted(p, s, v.len));
        sb_release(&v);
        return ERR;
    }
    sb_release(&v);
    *out = (long)n;
    return OK;
}

/* "error parsing index: %w": still io.EOF to errors.Is when it wraps EOF. */
static int wrap_index_err(parser *p)
{
    bool eof = p->eof;
    char *m = p->msg;
    fail(p, "error parsing index: %s", m);
    p->eof = eof;
    return ERR;
}

/* Go's %q of a []rune: ['a' 'b']. */
static const char *quoted_runes(parser *p, const char *s, size_t n)
{
    strbuf sb = STRBUF_INIT;
    sb_addc(&sb, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_addc(&sb, ' ');
        unsigned char c = (unsigned char)s[i];
        if (c == '\\' || c == '\'') {
            sb_addc(&sb, '\'');
            sb_addc(&sb, '\\');
            sb_addc(&sb, (char)c);
            sb_addc(&sb, '\'');
        } else if (c >= 0x80) {
            /* one UTF-8 sequence is one rune */
            size_t j = i + 1;
            while (j < n && ((unsigned char)s[j] & 0xC0) == 0x80)
                j++;
            sb_addc(&sb, '\'');
            sb_add(&sb, s + i, j - i);
            sb_addc(&sb, '\'');
            i = j - 1;
        } else {
            strbuf q = STRBUF_INIT;
            strvals_quote(&q, s + i, 1);
            sb_addc(&sb, '\'');
            sb_add(&sb, q.buf + 1, q.len - 2);
            sb_addc(&sb, '\'');
            sb_release(&q);
        }
    }
    sb_addc(&sb, ']');
    char *r = arena_strndup(p->a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return r;
}

static int list_item(parser *p, cval **list, long i, int level)
{
    if (i < 0)
        return fail(p, "negative %ld index not allowed", i);
    if (++p->depth > MAX_DEPTH)
        return fail(p, "list nesting is deeper than %d", MAX_DEPTH);
    strbuf k = STRBUF_INIT;
    int last;
    bool lit = p->mode == STRVALS_LITERAL;
    int r = until(p, "[.=", &k, &last, lit);
    int ret = OK;
    if (k.len > 0) {
        ret = fail(p, "unexpected data at end of array index: %s", quoted_runes(p, sb_str(&k), k.len));
    } else if (r == EOF_) {
        ret = fail_eof(p);
    } else if (last == '=') {
        if (p->mode == STRVALS_JSON) {
            cval *jv;
            if (empty_val(p))
                ret = set_index(p, list, i, cv_nil());
            else if (json_value(p, &jv) != OK)
                ret = ERR;
            else if (set_index(p, list, i, jv) != OK)
                ret = ERR;
            else
                empty_val(p);
        } else if (lit) {
            strbuf rs = STRBUF_INIT;
            val(p, &rs);
            ret = set_index(p, list, i, cv_string(p->a, sb_str(&rs), rs.len));
            sb_release(&rs);
        } else {
            cval *vl = NULL;
            int e = val_list(p, &vl);
            if (e == OK) {
                ret = set_index(p, list, i, vl);
            } else if (e == ERR && p->eof) {
                ret = set_index(p, list, i, cv_string(p->a, "", 0));
            } else if (e == 1) {
                strbuf rs = STRBUF_INIT;
                val(p, &rs);
                cval *v;
                if (read_value(p, &rs, &v) != OK)
                    ret = ERR;
                else
                    ret = set_index(p, list, i, v);
                sb_release(&rs);
            } else {
                ret = ERR;
            }
        }
    } else if (last == '[') {
        long ni;
        if (key_index(p, &ni) != OK) {
            ret = wrap_index_err(p);
        } else {
            cval *crt = NULL;
            if (*list && cv_list_len(*list) > (size_t)i) {
                cval *ex = cv_list_get(*list, (size_t)i);
                if (ex && ex->kind != CV_NIL) {
                    if (ex->kind != CV_LIST) {
                        sb_release(&k);
                        p->depth--;
                        return panic_conv(p, ex, "[]interface {}");
                    }
                    crt = ex;
                }
            }
            if (list_item(p, &crt, ni, level) != OK)
                ret = ERR;
            else
                ret = set_index(p, list, i, crt);
        }
    } else if (last == '.') {
        cval *inner = NULL;
        if (*list && cv_list_len(*list) > (size_t)i) {
            cval *ex = cv_list_get(*list, (size_t)i);
            if (ex && ex->kind == CV_MAP) {
                inner = ex;
            } else {
                inner = cv_map_new(p->a);
                cv_list_set(*list, (size_t)i, inner);
            }
        } else {
            inner = cv_map_new(p->a);
        }
        if (key(p, inner, level) != OK)
            ret = ERR;
        else
            ret = set_index(p, list, i, inner);
    }
    sb_release(&k);
    p->depth--;
    return ret;
}

static int key_body(parser *p, cval *data, int level)
{
    strbuf k = STRBUF_INIT;
    int last;
    bool lit = p->mode == STRVALS_LITERAL;
    int r = until(p, lit ? "=[." : "=[,.", &k, &last, lit);
    int ret = OK;
    const char *ks = sb_str(&k);
    size_t kn = k.len;
    if (r == EOF_) {
        if (kn == 0)
            ret = fail_eof(p);
        else
            ret = fail(p, "key %s has no value", quoted(p, ks, kn));
    } else if (last == '[') {
        long i;
        if (key_index(p, &i) != OK) {
            ret = wrap_index_err(p);
        } else {
            cval *list = NULL;
            cval *ex = cv_map_getn(data, ks, kn);
            if (ex) {
                if (ex->kind != CV_LIST) {
                    sb_release(&k);
                    return panic_conv(p, ex, "[]interface {}");
                }
                list = ex;
            } else {
                list = cv_list_new(p->a, 0);
            }
            ret = list_item(p, &list, i, level);
            if (!(ret != OK && p->panic))
                set_key(data, ks, kn, list ? list : cv_list_new(p->a, 0));
        }
    } else if (last == '=') {
        if (p->mode == STRVALS_JSON) {
            cval *jv;
            if (empty_val(p)) {
                set_key(data, ks, kn, cv_nil());
            } else if (json_value(p, &jv) != OK) {
                ret = ERR;
            } else {
                set_key(data, ks, kn, jv);
                empty_val(p);
            }
        } else if (lit) {
            strbuf rs = STRBUF_INIT;
            val(p, &rs);
            set_key(data, ks, kn, cv_string(p->a, sb_str(&rs), rs.len));
            sb_release(&rs);
        } else {
            cval *vl = NULL;
            int e = val_list(p, &vl);
            if (e == OK) {
                set_key(data, ks, kn, vl);
            } else if (e == ERR && p->eof) {
                set_key(data, ks, kn, cv_string(p->a, "", 0));
                ret = ERR; /* EOF: the end */
            } else if (e == 1) {
                strbuf rs = STRBUF_INIT;
                int vr = val(p, &rs);
                cval *v = NULL;
                if (read_value(p, &rs, &v) != OK) {
                    ret = ERR;
                } else {
                    set_key(data, ks, kn, v); /* Helm returns the reader's nil here, even at the end */
                    (void)vr;
                }
                sb_release(&rs);
            } else {
                ret = ERR;
            }
        }
    } else if (last == ',') {
        set_key(data, ks, kn, cv_string(p->a, "", 0));
        ret = fail(p, "key %s has no value (cannot end with ,)", quoted(p, ks, kn));
    } else if (last == '.') {
        level++;
        if (level > STRVALS_MAX_NESTED) {
            ret = fail(p, "value name nested level is greater than maximum supported nested level of %d",
                       STRVALS_MAX_NESTED);
        } else {
            cval *inner;
            cval *ex = cv_map_getn(data, ks, kn);
            if (ex) {
                if (ex->kind != CV_MAP) {
                    sb_release(&k);
                    return panic_conv(p, ex, "map[string]interface {}");
                }
                inner = ex;
            } else {
                inner = cv_map_new(p->a);
            }
            int e = key(p, inner, level);
            if (e == OK && cv_map_len(inner) == 0)
                ret = fail(p, "key map %s has no value", quoted(p, ks, kn));
            else
                ret = e;
            if (cv_map_len(inner) != 0 && !(e != OK && p->panic))
                set_key(data, ks, kn, inner);
        }
    }
    sb_release(&k);
    return ret;
}

/* key(): recovers the panics of its own frame, as Helm's deferred recover does. */
static int key(parser *p, cval *data, int level)
{
    int r = key_body(p, data, level);
    if (r != OK && p->panic) {
        char *m = p->msg;
        fail(p, "unable to parse key: %s", m);
    }
    return r;
}

int strvals_parse_into(arena *a, const char *s, cval *dest, strvals_mode mode,
                       strvals_reader reader, void *ctx, cap_err *err)
{
    parser p = {a, s, strlen(s), 0, mode, reader, ctx, NULL, false, false, 0};
    for (;;) {
        if (key(&p, dest, 0) == OK)
            continue;
        if (p.eof)
            return 0;
        return cap_err_set(err, "%s", p.msg);
    }
}

/* loader.MergeMaps(dest, src), with the result left in dest. */
static void merge_into(cval *dest, cval *src)
{
    size_t n;
    const cv_entry *e = cv_map_sorted(src, &n);
    for (size_t i = 0; i < n; i++) {
        cval *dv = cv_map_getn(dest, e[i].key, e[i].keylen);
        if (cv_is(e[i].val, CV_MAP) && cv_is(dv, CV_MAP)) {
            merge_into(dv, e[i].val);
            continue;
        }
        cv_map_setn(dest, e[i].key, e[i].keylen, e[i].val);
    }
}

int strvals_apply(arena *a, const char *s, cval *dest, strvals_mode mode,
                  strvals_reader reader, void *ctx, cap_err *err)
{
    if (mode == STRVALS_JSON) {
        const char *t = s;
        while (*t && isspace((unsigned char)*t))
            t++;
        if (*t == '{') {
            size_t n = strlen(t);
            while (n && isspace((unsigned char)t[n - 1]))
                n--;
            cval *m;
            cap_err e = CAP_ERR_INIT;
            if (json_parse(a, t, n, NULL, &m, &e) != 0 || !cv_is(m, CV_MAP)) {
                cap_err_clear(&e);
                return cap_err_set(err, "failed parsing --set-json data JSON: %s", s);
            }
            merge_into(dest, m);
            return 0;
        }
        if (strvals_parse_into(a, s, dest, mode, reader, ctx, err) != 0) {
            cap_err_clear(err);
            return cap_err_set(err, "failed parsing --set-json data %s", s);
        }
        return 0;
    }
    if (strvals_parse_into(a, s, dest, mode, reader, ctx, err) != 0) {
        static const char *const names[] = {"--set", "--set-string", "--set-file", "--set-json", "--set-literal"};
        cap_err_prefix(err, "failed parsing %s data", names[mode]);
        return -1;
    }
    return 0;
}
