/* json_emit.c — json.Marshal and json.MarshalIndent of values, byte for byte
 * as Go writes them (see json.h). */
#include "core/json.h"
#include "core/gofmt.h"

#include <math.h>
#include <string.h>

typedef struct {
    strbuf *out;
    int flags;
    const char *prefix, *indent; /* NULL indent: compact */
    cap_err *err;
} enc;

static const char hexd[] = "0123456789abcdef";

void json_emit_string(strbuf *out, const char *s, size_t len, int flags)
{
    bool html = !(flags & JSON_RAW);
    sb_addc(out, '"');
    size_t start = 0, i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if (c >= 0x20 && c != '"' && c != '\\' && !(html && (c == '<' || c == '>' || c == '&'))) {
                i++;
                continue;
            }
            sb_add(out, s + start, i - start);
            switch (c) {
            case '"': sb_adds(out, "\\\""); break;
            case '\\': sb_adds(out, "\\\\"); break;
            case '\b': sb_adds(out, "\\b"); break;
            case '\f': sb_adds(out, "\\f"); break;
            case '\n': sb_adds(out, "\\n"); break;
            case '\r': sb_adds(out, "\\r"); break;
            case '\t': sb_adds(out, "\\t"); break;
            default:
                sb_adds(out, "\\u00");
                sb_addc(out, hexd[c >> 4]);
                sb_addc(out, hexd[c & 0xF]);
            }
            i++;
            start = i;
            continue;
        }
        int32_t r;
        int w = gofmt_decode_rune(s + i, len - i, &r);
        if (w == 1) { /* invalid UTF-8 */
            sb_add(out, s + start, i - start);
            sb_adds(out, "\\ufffd");
            i++;
            start = i;
            continue;
        }
        if (r == 0x2028 || r == 0x2029) {
            sb_add(out, s + start, i - start);
            sb_adds(out, r == 0x2028 ? "\\u2028" : "\\u2029");
            i += (size_t)w;
            start = i;
            continue;
        }
        i += (size_t)w;
    }
    sb_add(out, s + start, len - start);
    sb_addc(out, '"');
}

static void emit_float(strbuf *out, double f)
{
    double a = fabs(f);
    char fmt = 'f';
    if (a != 0 && (a < 1e-6 || a >= 1e21))
        fmt = 'e';
    size_t at = out->len;
    gofmt_float(out, f, fmt, -1);
    if (fmt == 'e') {
        /* e-07 becomes e-7 */
        size_t n = out->len - at;
        char *b = out->buf + at;
        if (n >= 4 && b[n - 4] == 'e' && b[n - 3] == '-' && b[n - 2] == '0') {
            b[n - 2] = b[n - 1];
            sb_setlen(out, out->len - 1);
        }
    }
}

static void emit_base64(strbuf *out, const unsigned char *p, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    sb_addc(out, '"');
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
        sb_addc(out, tab[v >> 18]);
        sb_addc(out, tab[(v >> 12) & 63]);
        sb_addc(out, tab[(v >> 6) & 63]);
        sb_addc(out, tab[v & 63]);
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)p[i] << 16;
        sb_addc(out, tab[v >> 18]);
        sb_addc(out, tab[(v >> 12) & 63]);
        sb_adds(out, "==");
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
        sb_addc(out, tab[v >> 18]);
        sb_addc(out, tab[(v >> 12) & 63]);
        sb_addc(out, tab[(v >> 6) & 63]);
        sb_addc(out, '=');
    }
    sb_addc(out, '"');
}

static void newline(enc *e, int depth)
{
    if (!e->indent)
        return;
    sb_addc(e->out, '\n');
    sb_adds(e->out, e->prefix);
    for (int i = 0; i < depth; i++)
        sb_adds(e->out, e->indent);
}

/* json.Indent of a MarshalJSON's compact text, at depth */
static void reindent(enc *e, const char *p, size_t n, int depth)
{
    bool in_str = false;
    for (size_t i = 0; i < n; i++) {
        char ch = p[i];
        if (in_str) {
            sb_addc(e->out, ch);
            if (ch == '\\' && i + 1 < n)
                sb_addc(e->out, p[++i]);
            else if (ch == '"')
                in_str = false;
            continue;
        }
        switch (ch) {
        case '"': in_str = true; sb_addc(e->out, ch); break;
        case '{': case '[':
            sb_addc(e->out, ch);
            if (i + 1 < n && (p[i + 1] == '}' || p[i + 1] == ']'))
                sb_addc(e->out, p[++i]);
            else
                newline(e, ++depth);
            break;
        case '}': case ']': newline(e, --depth); sb_addc(e->out, ch); break;
        case ',': sb_addc(e->out, ch); newline(e, depth); break;
        case ':': sb_adds(e->out, ": "); break;
        default: sb_addc(e->out, ch);
        }
    }
}

static int emit(enc *e, const cval *v, int depth)
{
    strbuf *out = e->out;
    if (!v) {
        sb_adds(out, "null");
        return 0;
    }
    switch (v->kind) {
    case CV_INVALID:
    case CV_NIL:
        sb_adds(out, "null");
        return 0;
    case CV_BOOL:
        sb_adds(out, v->u.b ? "true" : "false");
        return 0;
    case CV_INT:
        gofmt_int(out, v->u.i);
        return 0;
    case CV_UINT:
        gofmt_uint(out, v->u.u);
        return 0;
    case CV_FLOAT:
        if (isnan(v->u.f) || isinf(v->u.f)) {
            strbuf s = STRBUF_INIT;
            gofmt_float(&s, v->u.f, 'g', -1);
            cap_err_set(e->err, "json: unsupported value: %s", sb_str(&s));
            sb_release(&s);
            return -1;
        }
        emit_float(out, v->u.f);
        return 0;
    case CV_STRING:
        json_emit_string(out, v->u.str.s, v->u.str.len, e->flags);
        return 0;
    case CV_BYTES:
        emit_base64(out, (const unsigned char *)v->u.str.s, v->u.str.len);
        return 0;
    case CV_OBJECT: {
        if (v->u.obj.cls->json) {
            if (!e->indent) {
                v->u.obj.cls->json(out, v->u.obj.self);
                return 0;
            }
            strbuf raw = STRBUF_INIT;
            v->u.obj.cls->json(&raw, v->u.obj.self);
            reindent(e, sb_str(&raw), raw.len, depth);
            sb_release(&raw);
            return 0;
        }
        /* a map or slice type with methods (.Files, a VersionSet) marshals its elements */
        arena *ta = arena_new();
        cval *el = cv_object_elements(ta, NULL, v);
        int rc = 0;
        if (el)
            rc = emit(e, el, depth + 1);
        else
            sb_adds(out, "{}");
        arena_free(ta);
        return rc;
    }
    case CV_LIST:
    case CV_MAP:
        if (cv_is_nil_collection(v)) {
            sb_adds(out, "null");
            return 0;
        }
        break;
    }
    if (depth >= JSON_MAX_DEPTH)
        return cap_err_set(e->err, "json: unsupported value: encountered a cycle via %s", cv_gotype(v));
    if (v->kind == CV_LIST) {
        size_t n = cv_list_len(v);
        cval **items = cv_list_items(v);
        sb_addc(out, '[');
        for (size_t i = 0; i < n; i++) {
            if (i > 0)
                sb_addc(out, ',');
            newline(e, depth + 1);
            if (emit(e, items[i], depth + 1) < 0)
                return -1;
        }
        if (n > 0)
            newline(e, depth);
        sb_addc(out, ']');
        return 0;
    }
    size_t n;
    const cv_entry *ent = cv_map_sorted(v, &n);
    sb_addc(out, '{');
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            sb_addc(out, ',');
        newline(e, depth + 1);
        json_emit_string(out, ent[i].key, ent[i].keylen, e->flags);
        sb_addc(out, ':');
        if (e->indent)
            sb_addc(out, ' ');
        if (emit(e, ent[i].val, depth + 1) < 0)
            return -1;
    }
    if (n > 0)
        newline(e, depth);
    sb_addc(out, '}');
    return 0;
}

static int run(enc *e, const cval *v)
{
    size_t at = e->out->len;
    if (emit(e, v, 0) < 0) {
        sb_setlen(e->out, at);
        return -1;
    }
    return 0;
}

int json_emit(strbuf *out, const cval *v, int flags, cap_err *err)
{
    enc e = { out, flags, NULL, NULL, err };
    return run(&e, v);
}

int json_emit_indent(strbuf *out, const cval *v, const char *prefix, const char *indent, int flags, cap_err *err)
{
    enc e = { out, flags, prefix ? prefix : "", indent ? indent : "", err };
    return run(&e, v);
}
