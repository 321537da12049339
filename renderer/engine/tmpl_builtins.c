/* tmpl_builtins.c — text/template's predefined functions (after funcs.go):
 * and, or, not, len, index, slice, print, printf, println, html, js,
 * urlquery, eq, ne, lt, le, gt, ge, call.
 *
 * Signature letter 'r' (reflect.Value) is private to this table: the value
 * arrives unconverted, a missing value as CV_INVALID and a nil held in an
 * interface as CV_NIL, because Go's builtins tell the two apart. */
#include "renderer/funcs/funcs.h"
#include "core/gofmt.h"

#include <string.h>

/* and, or and call are evaluated by the executor itself */
static cval *fn_unreachable(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    (void)argv;
    return cv_call_fail(c, "unreachable");
}

static bool is_nilish(const cval *v) { return !v || v->kind == CV_INVALID || v->kind == CV_NIL; }

/* A native object Go sees as a map or a slice (.Files, .Capabilities.APIVersions)
 * as its elements; anything else (a struct, a pointer) as itself. */
static cval *as_collection(cv_call *c, cval *v)
{
    if (!v || v->kind != CV_OBJECT)
        return v;
    const char *k = cv_gokind(v);
    if (strcmp(k, "map") != 0 && strcmp(k, "slice") != 0)
        return v;
    cval *e = cv_object_elements(c->a, c->env, v);
    return e ? e : v;
}

static cval *fn_not(cv_call *c, int argc, cval **argv)
{
    (void)c;
    (void)argc;
    return cv_bool(!(is_nilish(argv[0]) ? false : cv_truth(argv[0])));
}

static cval *fn_len(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    cval *v = argv[0];
    if (v->kind == CV_NIL)
        return cv_call_fail(c, "len of nil pointer");
    cval *elems = cv_object_elements(c->a, c->env, v);
    if (elems)
        v = elems;
    switch (v->kind) {
    case CV_INVALID: return cv_call_fail(c, "reflect: call of reflect.Value.Type on zero Value");
    case CV_STRING: case CV_BYTES: return cv_goint(c->a, (int64_t)v->u.str.len);
    case CV_LIST: return cv_goint(c->a, (int64_t)cv_list_len(v));
    case CV_MAP: return cv_goint(c->a, (int64_t)cv_map_len(v));
    default: return cv_call_fail(c, "len of type %s", cv_gotype(v));
    }
}

static int index_arg(cv_call *c, const cval *ix, size_t cap, int64_t *out)
{
    int64_t x;
    if (ix->kind == CV_INT)
        x = ix->u.i;
    else if (ix->kind == CV_UINT)
        x = (int64_t)ix->u.u;
    else if (is_nilish(ix)) {
        cv_call_fail(c, "cannot index slice/array with nil");
        return -1;
    } else {
        cv_call_fail(c, "cannot index slice/array with type %s", cv_gotype(ix));
        return -1;
    }
    if (x < 0 || (uint64_t)x > cap) {
        cv_call_fail(c, "index out of range: %lld", (long long)x);
        return -1;
    }
    *out = x;
    return 0;
}

static cval *fn_index_(cv_call *c, int argc, cval **argv)
{
    cval *item = argv[0];
    if (is_nilish(item))
        return cv_call_fail(c, "index of untyped nil");
    for (int i = 1; i < argc; i++) {
        cval *ix = argv[i];
        if (item->kind == CV_NIL || item->kind == CV_INVALID)
            return cv_call_fail(c, "index of nil pointer");
        item = as_collection(c, item);
        int64_t x;
        switch (item->kind) {
        case CV_STRING: case CV_BYTES:
            if (index_arg(c, ix, item->u.str.len, &x))
                return NULL;
            if ((size_t)x >= item->u.str.len)
                return cv_call_fail(c, item->kind == CV_STRING ? "reflect: string index out of range"
                                                                : "reflect: slice index out of range");
            item = cv_uint(c->a, (unsigned char)item->u.str.s[x], "uint8");
            break;
        case CV_LIST:
            if (index_arg(c, ix, cv_list_len(item), &x))
                return NULL;
            if ((size_t)x >= cv_list_len(item))
                return cv_call_fail(c, "reflect: slice index out of range");
            item = cv_list_get(item, (size_t)x);
            break;
        case CV_MAP: {
            if (is_nilish(ix))
                return cv_call_fail(c, "value is nil; should be of type string");
            if (ix->kind != CV_STRING)
                return cv_call_fail(c, "value has type %s; should be string", cv_gotype(ix));
            cval *v = cv_map_getn(item, ix->u.str.s, ix->u.str.len);
            if (!v) {
                if (item->gotype && strcmp(item->gotype, "map[string]string") == 0)
                    v = cv_string_ref(c->a, "", 0);
                else if (item->gotype && strcmp(item->gotype, "engine.files") == 0)
                    v = cv_bytes_ref(c->a, "", 0); /* map[string][]byte: a nil []byte */
                else
                    v = cv_nil();
            }
            item = v;
            break;
        }
        default: {
            /* index looks through a pointer: *T reads as T */
            const char *t = cv_gotype(item);
            if (item->kind == CV_OBJECT && t[0] == '*')
                t++;
            return cv_call_fail(c, "can't index item of type %s", t);
        }
        }
    }
    return item;
}

static cval *fn_slice(cv_call *c, int argc, cval **argv)
{
    cval *item = as_collection(c, argv[0]);
    if (is_nilish(item))
        return cv_call_fail(c, "slice of untyped nil");
    int nidx = argc - 1;
    if (nidx > 3)
        return cv_call_fail(c, "too many slice indexes: %d", nidx);
    size_t cap;
    switch (item->kind) {
    case CV_STRING:
        if (nidx == 3)
            return cv_call_fail(c, "cannot 3-index slice a string");
        cap = item->u.str.len;
        break;
    case CV_BYTES: cap = item->u.str.len; break;
    case CV_LIST: cap = cv_list_len(item); break;
    default: return cv_call_fail(c, "can't slice item of type %s", cv_gotype(item));
    }
    int64_t idx[3] = { 0, (int64_t)cap, 0 };
    for (int i = 0; i < nidx; i++)
        if (index_arg(c, argv[1 + i], cap, &idx[i]))
            return NULL;
    if (idx[0] > idx[1])
        return cv_call_fail(c, "invalid slice index: %lld > %lld", (long long)idx[0], (long long)idx[1]);
    if (nidx == 3 && idx[1] > idx[2])
        return cv_call_fail(c, "invalid slice index: %lld > %lld", (long long)idx[1], (long long)idx[2]);
    size_t from = (size_t)idx[0], to = (size_t)idx[1];
    if (item->kind == CV_STRING) {
        cval *r = cv_string(c->a, item->u.str.s + from, to - from);
        r->gotype = item->gotype;
        return r;
    }
    if (item->kind == CV_BYTES)
        return cv_bytes(c->a, item->u.str.s + from, to - from);
    cval *r = cv_list_new(c->a, to - from);
    r->gotype = item->gotype;
    for (size_t i = from; i < to; i++)
        cv_list_push(r, cv_list_get(item, i));
    return r;
}

static cval *sb_result(cv_call *c, strbuf *sb)
{
    size_t n;
    const char *s = gofmt_arena_text(c->a, sb, &n);
    return cv_string_ref(c->a, s, n);
}

static cval *fn_print(cv_call *c, int argc, cval **argv)
{
    strbuf sb = STRBUF_INIT;
    gofmt_sprint(&sb, argc, argv);
    return sb_result(c, &sb);
}

static cval *fn_printf(cv_call *c, int argc, cval **argv)
{
    strbuf sb = STRBUF_INIT;
    gofmt_sprintf(&sb, argv[0]->u.str.s, argv[0]->u.str.len, argc - 1, argv + 1);
    return sb_result(c, &sb);
}

static cval *fn_println(cv_call *c, int argc, cval **argv)
{
    strbuf sb = STRBUF_INIT;
    gofmt_sprintln(&sb, argc, argv);
    return sb_result(c, &sb);
}

/* evalArgs: one string as is, else fmt.Sprint with nils as "<no value>" */
static void eval_args(cv_call *c, strbuf *sb, int argc, cval **argv)
{
    if (argc == 1 && argv[0]->kind == CV_STRING) {
        sb_add(sb, argv[0]->u.str.s, argv[0]->u.str.len);
        return;
    }
    cval **a = arena_alloc(c->a, (size_t)(argc ? argc : 1) * sizeof(cval *));
    for (int i = 0; i < argc; i++)
        a[i] = is_nilish(argv[i]) ? cv_string_ref(c->a, "<no value>", 10) : argv[i];
    gofmt_sprint(sb, argc, a);
}

static cval *fn_html(cv_call *c, int argc, cval **argv)
{
    strbuf in = STRBUF_INIT, out = STRBUF_INIT;
    eval_args(c, &in, argc, argv);
    for (size_t i = 0; i < in.len; i++) {
        char ch = in.buf[i];
        switch (ch) {
        case '\0': sb_adds(&out, "\xEF\xBF\xBD"); break;
        case '"': sb_adds(&out, "&#34;"); break;
        case '\'': sb_adds(&out, "&#39;"); break;
        case '&': sb_adds(&out, "&amp;"); break;
        case '<': sb_adds(&out, "&lt;"); break;
        case '>': sb_adds(&out, "&gt;"); break;
        default: sb_addc(&out, ch);
        }
    }
    sb_release(&in);
    return sb_result(c, &out);
}

static int utf8_decode(const unsigned char *s, size_t n, int *w)
{
    unsigned c = s[0];
    int need;
    unsigned r;
    if (c < 0x80) { *w = 1; return (int)c; }
    if ((c & 0xE0) == 0xC0) { need = 1; r = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { need = 2; r = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { need = 3; r = c & 0x07; }
    else { *w = 1; return 0xFFFD; }
    if ((size_t)need >= n) { *w = 1; return 0xFFFD; }
    for (int i = 1; i <= need; i++) {
        if ((s[i] & 0xC0) != 0x80) { *w = 1; return 0xFFFD; }
        r = (r << 6) | (s[i] & 0x3F);
    }
    *w = need + 1;
    return (int)r;
}

static cval *fn_js(cv_call *c, int argc, cval **argv)
{
    static const char hex[] = "0123456789ABCDEF";
    strbuf in = STRBUF_INIT, out = STRBUF_INIT;
    eval_args(c, &in, argc, argv);
    for (size_t i = 0; i < in.len; i++) {
        unsigned char ch = (unsigned char)in.buf[i];
        if (ch < 0x80) {
            switch (ch) {
            case '\\': sb_adds(&out, "\\\\"); continue;
            case '\'': sb_adds(&out, "\\'"); continue;
            case '"': sb_adds(&out, "\\\""); continue;
            case '<': sb_adds(&out, "\\u003C"); continue;
            case '>': sb_adds(&out, "\\u003E"); continue;
            case '&': sb_adds(&out, "\\u0026"); continue;
            case '=': sb_adds(&out, "\\u003D"); continue;
            }
            if (ch < ' ') {
                sb_adds(&out, "\\u00");
                sb_addc(&out, hex[ch >> 4]);
                sb_addc(&out, hex[ch & 15]);
            } else {
                sb_addc(&out, (char)ch);
            }
            continue;
        }
        int w;
        int r = utf8_decode((const unsigned char *)in.buf + i, in.len - i, &w);
        /* unicode.IsPrint (a bad byte decodes as U+FFFD, printable: copied as is) */
        if (gofmt_isprint((int32_t)r))
            sb_add(&out, in.buf + i, (size_t)w);
        else
            sb_addf(&out, "\\u%04X", (unsigned)r);
        i += (size_t)w - 1;
    }
    sb_release(&in);
    return sb_result(c, &out);
}

static cval *fn_urlquery(cv_call *c, int argc, cval **argv)
{
    static const char hex[] = "0123456789ABCDEF";
    strbuf in = STRBUF_INIT, out = STRBUF_INIT;
    eval_args(c, &in, argc, argv);
    for (size_t i = 0; i < in.len; i++) {
        unsigned char ch = (unsigned char)in.buf[i];
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
            ch == '-' || ch == '_' || ch == '.' || ch == '~')
            sb_addc(&out, (char)ch);
        else if (ch == ' ')
            sb_addc(&out, '+');
        else {
            sb_addc(&out, '%');
            sb_addc(&out, hex[ch >> 4]);
            sb_addc(&out, hex[ch & 15]);
        }
    }
    sb_release(&in);
    return sb_result(c, &out);
}

/* ---- comparisons ---- */

enum { K_INVALID, K_BOOL, K_INT, K_FLOAT, K_STRING, K_UINT };

static int basic_kind(const cval *v)
{
    switch (v->kind) {
    case CV_BOOL: return K_BOOL;
    case CV_INT: return K_INT;
    case CV_UINT: return K_UINT;
    case CV_FLOAT: return K_FLOAT;
    case CV_STRING: return K_STRING;
    default: return K_INVALID;
    }
}

static bool valid(const cval *v) { return v && v->kind != CV_INVALID && v->kind != CV_NIL; }

static int str_cmp(const cval *a, const cval *b)
{
    size_t n = a->u.str.len < b->u.str.len ? a->u.str.len : b->u.str.len;
    int r = memcmp(a->u.str.s, b->u.str.s, n);
    if (r)
        return r;
    return a->u.str.len < b->u.str.len ? -1 : a->u.str.len > b->u.str.len;
}

/* fmt's %s (verb 's') or %v of one value */
static const char *vstr(cv_call *c, const cval *v, const char *verb)
{
    strbuf sb = STRBUF_INIT;
    cval *arg = (cval *)v;
    gofmt_sprintf(&sb, verb, 2, 1, &arg);
    char *r = arena_strndup(c->a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return r;
}

/* 1 true, 0 false, -1 error */
static int eq2(cv_call *c, const cval *a1, const cval *a)
{
    int k1 = basic_kind(a1), k2 = basic_kind(a);
    if (k1 != k2) {
        if (k1 == K_INT && k2 == K_UINT)
            return a1->u.i >= 0 && (uint64_t)a1->u.i == a->u.u;
        if (k1 == K_UINT && k2 == K_INT)
            return a->u.i >= 0 && a1->u.u == (uint64_t)a->u.i;
        if (valid(a1) && valid(a)) {
            cv_call_fail(c, "incompatible types for comparison: %s and %s", cv_gotype(a1), cv_gotype(a));
            return -1;
        }
        return 0;
    }
    switch (k1) {
    case K_BOOL: return a1->u.b == a->u.b;
    case K_FLOAT: return a1->u.f == a->u.f;
    case K_INT: return a1->u.i == a->u.i;
    case K_UINT: return a1->u.u == a->u.u;
    case K_STRING: return str_cmp(a1, a) == 0;
    }
    if (!valid(a1) || !valid(a))
        return !valid(a1) == !valid(a);
    const char *g1 = cv_gokind(a1), *g2 = cv_gokind(a);
    if (strcmp(g1, g2) != 0) {
        cv_call_fail(c, "non-comparable types %s: %s, %s: %s", vstr(c, a1, "%s"), cv_gotype(a1), cv_gotype(a), vstr(c, a, "%v"));
        return -1;
    }
    if (a->kind == CV_OBJECT && strcmp(cv_gokind(a), "ptr") == 0)
        return a1->kind == CV_OBJECT && a1->u.obj.self == a->u.obj.self;
    cv_call_fail(c, "non-comparable type %s: %s", vstr(c, a, "%s"), cv_gotype(a));
    return -1;
}

static cval *fn_eq(cv_call *c, int argc, cval **argv)
{
    if (argc < 2)
        return cv_call_fail(c, "missing argument for comparison");
    for (int i = 1; i < argc; i++) {
        int r = eq2(c, argv[0], argv[i]);
        if (r < 0)
            return NULL;
        if (r)
            return cv_true();
    }
    return cv_false();
}

static cval *fn_ne(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    int r = eq2(c, argv[0], argv[1]);
    return r < 0 ? NULL : cv_bool(!r);
}

static int lt2(cv_call *c, const cval *a1, const cval *a2)
{
    int k1 = basic_kind(a1), k2 = basic_kind(a2);
    if (k1 == K_INVALID || k2 == K_INVALID) {
        cv_call_fail(c, "invalid type for comparison");
        return -1;
    }
    if (k1 != k2) {
        if (k1 == K_INT && k2 == K_UINT)
            return a1->u.i < 0 || (uint64_t)a1->u.i < a2->u.u;
        if (k1 == K_UINT && k2 == K_INT)
            return a2->u.i >= 0 && a1->u.u < (uint64_t)a2->u.i;
        cv_call_fail(c, "incompatible types for comparison: %s and %s", cv_gotype(a1), cv_gotype(a2));
        return -1;
    }
    switch (k1) {
    case K_BOOL: cv_call_fail(c, "invalid type for comparison"); return -1;
    case K_FLOAT: return a1->u.f < a2->u.f;
    case K_INT: return a1->u.i < a2->u.i;
    case K_UINT: return a1->u.u < a2->u.u;
    default: return str_cmp(a1, a2) < 0;
    }
}

static int le2(cv_call *c, const cval *a1, const cval *a2)
{
    int r = lt2(c, a1, a2);
    if (r != 0)
        return r;
    return eq2(c, a1, a2);
}

static cval *fn_lt(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    int r = lt2(c, argv[0], argv[1]);
    return r < 0 ? NULL : cv_bool(r);
}

static cval *fn_le(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    int r = le2(c, argv[0], argv[1]);
    return r < 0 ? NULL : cv_bool(r);
}

static cval *fn_gt(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    int r = le2(c, argv[0], argv[1]);
    return r < 0 ? NULL : cv_bool(!r);
}

static cval *fn_ge(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    int r = lt2(c, argv[0], argv[1]);
    return r < 0 ? NULL : cv_bool(!r);
}

const cv_fnreg tmpl_builtins_table[] = {
    { "and", fn_unreachable, "rr*" },
    { "call", fn_unreachable, "rr*" },
    { "html", fn_html, "v*" },
    { "index", fn_index_, "rr*" },
    { "slice", fn_slice, "rr*" },
    { "js", fn_js, "v*" },
    { "len", fn_len, "r" },
    { "not", fn_not, "r" },
    { "or", fn_unreachable, "rr*" },
    { "print", fn_print, "v*" },
    { "printf", fn_printf, "sv*" },
    { "println", fn_println, "v*" },
    { "urlquery", fn_urlquery, "v*" },
    { "eq", fn_eq, "rr*" },
    { "ge", fn_ge, "rr" },
    { "gt", fn_gt, "rr" },
    { "le", fn_le, "rr" },
    { "lt", fn_lt, "rr" },
    { "ne", fn_ne, "rr" },
    { NULL, NULL, NULL },
};
