/* toml_emit.c — Helm's toToml: BurntSushi/toml's Encoder on template values,
 * byte for byte (see toml.h for the layout rules). */
#include "core/toml.h"
#include "core/gofmt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef enum { T_NONE, T_SCALAR, T_ARRAY, T_HASH, T_ARRAY_HASH } ttype;

typedef struct {
    const char *s;
    size_t len;
} piece;

typedef struct {
    strbuf *out;
    bool written;
    piece key[TOML_MAX_DEPTH + 1];
    int nkey;
    cap_err *err;
} enc;

#define ERR_NIL_ELEMENT "toml: cannot encode array with nil element"

static void write(enc *e, const char *s, size_t n)
{
    sb_add(e->out, s, n);
    e->written = true;
}

static void writes(enc *e, const char *s)
{
    write(e, s, strlen(s));
}

static void newline(enc *e)
{
    if (e->written)
        sb_addc(e->out, '\n');
}

/* BurntSushi's tomlTypeOfGo; -1 on a nil inside an array. */
static int type_of(enc *e, const cval *v, int depth);

static int list_type(enc *e, const cval *v, int depth)
{
    size_t n = cv_list_len(v);
    if (n == 0)
        return T_ARRAY;
    if (depth > TOML_MAX_DEPTH)
        return cap_err_set(e->err, "toml: nesting too deep");
    bool tables = true;
    for (size_t i = 0; i < n; i++) {
        int t = type_of(e, cv_list_get(v, i), depth + 1);
        if (t < 0)
            return -1;
        if (t == T_NONE)
            return cap_err_set(e->err, ERR_NIL_ELEMENT);
        if (t != T_HASH)
            tables = false;
    }
    return tables ? T_ARRAY_HASH : T_ARRAY;
}

static int type_of(enc *e, const cval *v, int depth)
{
    if (!v)
        return T_NONE;
    switch (v->kind) {
    case CV_INVALID:
    case CV_NIL: return T_NONE;
    case CV_BOOL:
    case CV_INT:
    case CV_UINT:
    case CV_FLOAT:
    case CV_STRING: return T_SCALAR;
    case CV_BYTES: return T_ARRAY;
    case CV_LIST: return list_type(e, v, depth);
    case CV_MAP:
    case CV_OBJECT: return T_HASH;
    }
    return T_NONE;
}

static bool is_nil(const cval *v)
{
    return !v || v->kind == CV_NIL || v->kind == CV_INVALID;
}

/* the dblQuotedReplacer */
static void add_quoted(strbuf *out, const char *s, size_t n)
{
    static const char hexd[] = "0123456789abcdef";
    sb_addc(out, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': sb_adds(out, "\\\""); break;
        case '\\': sb_adds(out, "\\\\"); break;
        case '\b': sb_adds(out, "\\b"); break;
        case '\t': sb_adds(out, "\\t"); break;
        case '\n': sb_adds(out, "\\n"); break;
        case '\f': sb_adds(out, "\\f"); break;
        case '\r': sb_adds(out, "\\r"); break;
        default:
            if (c < 0x20 || c == 0x7f) {
                sb_adds(out, "\\u00");
                sb_addc(out, hexd[c >> 4]);
                sb_addc(out, hexd[c & 0xF]);
            } else {
                sb_addc(out, (char)c);
            }
        }
    }
    sb_addc(out, '"');
}

static void add_key_piece(strbuf *out, const char *s, size_t n)
{
    if (n == 0) {
        sb_adds(out, "\"\"");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '-')) {
            add_quoted(out, s, n);
            return;
        }
    }
    sb_add(out, s, n);
}

static void write_indent(enc *e)
{
    for (int i = 1; i < e->nkey; i++)
        writes(e, "  ");
}

static void write_key_path(enc *e)
{
    for (int i = 0; i < e->nkey; i++) {
        if (i > 0)
            sb_addc(e->out, '.');
        add_key_piece(e->out, e->key[i].s, e->key[i].len);
    }
    e->written = true;
}

static int element(enc *e, const cval *v, int depth);
static int emit_map(enc *e, const cval *v, bool inline_, int depth);

static void write_float(enc *e, double f)
{
    if (isnan(f)) {
        writes(e, signbit(f) ? "-nan" : "nan");
        return;
    }
    if (isinf(f)) {
        writes(e, f < 0 ? "-inf" : "inf");
        return;
    }
    size_t at = e->out->len;
    gofmt_float(e->out, f, 'g', -1);
    e->written = true;
    if (!memchr(e->out->buf + at, 'e', e->out->len - at) && !memchr(e->out->buf + at, '.', e->out->len - at))
        sb_adds(e->out, ".0");
}

/* eElement: a value in a key = value pair or an array */
static int element(enc *e, const cval *v, int depth)
{
    if (depth > TOML_MAX_DEPTH)
        return cap_err_set(e->err, "toml: nesting too deep");
    switch (v->kind) {
    case CV_STRING:
        add_quoted(e->out, v->u.str.s, v->u.str.len);
        e->written = true;
        return 0;
    case CV_BOOL:
        writes(e, v->u.b ? "true" : "false");
        return 0;
    case CV_INT:
        gofmt_int(e->out, v->u.i);
        e->written = true;
        return 0;
    case CV_UINT:
        gofmt_uint(e->out, v->u.u);
        e->written = true;
        return 0;
    case CV_FLOAT:
        write_float(e, v->u.f);
        return 0;
    case CV_BYTES:
        writes(e, "[");
        for (size_t i = 0; i < v->u.str.len; i++) {
            sb_addf(e->out, "%u", (unsigned char)v->u.str.s[i]);
            if (i + 1 != v->u.str.len)
                writes(e, ", ");
        }
        writes(e, "]");
        return 0;
    case CV_LIST: {
        size_t n = cv_list_len(v);
        writes(e, "[");
        for (size_t i = 0; i < n; i++) {
            const cval *x = cv_list_get(v, i);
            if (is_nil(x))
                return cap_err_set(e->err, ERR_NIL_ELEMENT);
            if (element(e, x, depth + 1) < 0)
                return -1;
            if (i + 1 != n)
                writes(e, ", ");
        }
        writes(e, "]");
        return 0;
    }
    case CV_MAP:
        return emit_map(e, v, true, depth + 1);
    case CV_OBJECT:
        writes(e, "{}");
        return 0;
    default:
        return cap_err_set(e->err, ERR_NIL_ELEMENT);
    }
}

/* writeKeyValue: the last key piece, " = ", the value */
static int key_value(enc *e, const char *k, size_t klen, const cval *v, bool inline_, int depth)
{
    if (!inline_)
        write_indent(e);
    add_key_piece(e->out, k, klen);
    writes(e, " = ");
    if (element(e, v, depth) < 0)
        return -1;
    if (!inline_)
        newline(e);
    return 0;
}

static int push_key(enc *e, const char *k, size_t n)
{
    if (e->nkey >= TOML_MAX_DEPTH)
        return cap_err_set(e->err, "toml: nesting too deep");
    e->key[e->nkey].s = k;
    e->key[e->nkey].len = n;
    e->nkey++;
    return 0;
}

static int emit_table(enc *e, const cval *v, int depth)
{
    if (e->nkey == 1)
        newline(e);
    if (e->nkey > 0) {
        write_indent(e);
        writes(e, "[");
        write_key_path(e);
        writes(e, "]");
        newline(e);
    }
    if (v->kind == CV_OBJECT)
        return 0;
    return emit_map(e, v, false, depth);
}

static int emit_array_of_tables(enc *e, const cval *v, int depth)
{
    if (e->nkey == 0)
        return cap_err_set(e->err, "toml: top-level values must be Go maps or structs");
    size_t n = cv_list_len(v);
    for (size_t i = 0; i < n; i++) {
        const cval *t = cv_list_get(v, i);
        newline(e);
        write_indent(e);
        writes(e, "[[");
        write_key_path(e);
        writes(e, "]]");
        newline(e);
        if (t->kind == CV_MAP && emit_map(e, t, false, depth + 1) < 0)
            return -1;
    }
    return 0;
}

/* encode(key, v) for a value that is not nil */
static int encode(enc *e, const cval *v, int depth)
{
    int t = type_of(e, v, depth);
    if (t < 0)
        return -1;
    switch (t) {
    case T_HASH:
        return emit_table(e, v, depth);
    case T_ARRAY_HASH:
        return emit_array_of_tables(e, v, depth);
    default:
        if (e->nkey == 0)
            return element(e, v, depth);
        return key_value(e, e->key[e->nkey - 1].s, e->key[e->nkey - 1].len, v, false, depth);
    }
}

static int write_keys(enc *e, const cv_entry *ent, const size_t *idx, size_t n, bool inline_, bool trail_comma,
                      int depth)
{
    for (size_t i = 0; i < n; i++) {
        const cv_entry *x = &ent[idx[i]];
        if (is_nil(x->val))
            continue;
        if (inline_) {
            if (key_value(e, x->key, x->keylen, x->val, true, depth) < 0)
                return -1;
            if (trail_comma || i != n - 1)
                writes(e, ", ");
        } else {
            if (push_key(e, x->key, x->keylen) < 0)
                return -1;
            int rc = encode(e, x->val, depth + 1);
            e->nkey--;
            if (rc < 0)
                return -1;
        }
    }
    return 0;
}

static int emit_map(enc *e, const cval *v, bool inline_, int depth)
{
    if (depth > TOML_MAX_DEPTH)
        return cap_err_set(e->err, "toml: nesting too deep");
    size_t n;
    const cv_entry *ent = cv_map_sorted(v, &n);
    size_t *direct = n ? malloc(n * sizeof *direct) : NULL, *sub = n ? malloc(n * sizeof *sub) : NULL;
    size_t nd = 0, ns = 0;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        int t = type_of(e, ent[i].val, depth + 1);
        if (t < 0) {
            rc = -1;
            goto out;
        }
        if (t == T_HASH || t == T_ARRAY_HASH)
            sub[ns++] = i;
        else
            direct[nd++] = i;
    }
    if (inline_)
        writes(e, "{");
    if (write_keys(e, ent, direct, nd, inline_, ns > 0, depth) < 0 ||
        write_keys(e, ent, sub, ns, inline_, false, depth) < 0) {
        rc = -1;
        goto out;
    }
    if (inline_)
        writes(e, "}");
out:
    free(direct);
    free(sub);
    return rc;
}

int toml_emit(strbuf *out, const cval *v, cap_err *err)
{
    if (is_nil(v))
        return cap_err_set(err, "reflect: call of reflect.Value.Type on zero Value");
    enc *e = calloc(1, sizeof *e);
    if (!e)
        abort();
    e->out = out;
    e->err = err;
    size_t at = out->len;
    int rc = encode(e, v, 0);
    if (rc < 0)
        sb_setlen(out, at);
    free(e);
    return rc;
}
