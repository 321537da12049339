/* yaml_read.c — YAML in, as Helm reads it: libyaml's parser builds a node
 * tree (go-yaml v2's parser.go), the tree is decoded as go-yaml v2 decodes
 * into interface{} (decode.go: resolve, merge keys, aliases and their limits),
 * and then sigs.k8s.io/yaml's JSON step is applied on the fly: map keys
 * become strings, numbers become float64, NaN/Inf fail, invalid UTF-8 becomes
 * U+FFFD, and the result must fit the target type (interface{}, a map, a list).
 *
 * Error messages are the Go error strings Helm shows (err->msg), e.g.
 *   error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context
 * (line numbers inside the message are go-yaml's, which are off by one for
 * parser errors, as Helm's are); err->line/err->col give the real 1-based
 * position in the whole input.
 */
#include "core/yaml.h"
#include "core/yaml_int.h"
#include "core/yaml_scan.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>  /* libyaml */

#define MAX_DEPTH 2500 /* Go allows 10000; a C stack (under ASan too) is safe at this */

/* go-yaml's tag constants */
#define T_PREFIX "tag:yaml.org,2002:"
#define T_STR T_PREFIX "str"
#define T_BOOL T_PREFIX "bool"
#define T_INT T_PREFIX "int"
#define T_FLOAT T_PREFIX "float"
#define T_NULL T_PREFIX "null"
#define T_TIMESTAMP T_PREFIX "timestamp"
#define T_BINARY T_PREFIX "binary"
#define T_MERGE T_PREFIX "merge"

/* ---- the node tree (go-yaml's parser.go) -------------------------------- */

enum { N_SCALAR, N_SEQ, N_MAP, N_ALIAS };

typedef struct ynode ynode;
struct ynode {
    int kind;
    const char *value; /* scalar text, or the alias's anchor name */
    size_t len;
    const char *tag;   /* "" when none */
    bool implicit;     /* the scalar's plain_implicit */
    bool expanding;    /* an alias being expanded (go-yaml's d.aliases) */
    int line, col;     /* 0-based start mark */
    ynode **kids;
    size_t n, cap;
    ynode *alias;
};

typedef struct anchor {
    const char *name;
    ynode *node;
    struct anchor *next;
} anchor;

typedef struct rd {
    arena *tmp;            /* the tree and scratch */
    arena *a;              /* the values */
    yaml_parser_t parser;
    yaml_event_t ev;
    bool have_ev;
    anchor *anchors;       /* of the current document */
    const char *file;
    int line0;             /* lines before this chunk (values files) */
    const char *prefix;    /* put before every message, or "" */
    cap_err *err;
    bool failed;
    /* libyaml's marks count characters; this maps them to bytes */
    size_t cur_char, cur_byte;
    /* decoder state */
    long decode_count, alias_count;
    int alias_depth;
    int depth;
    char *key_err;         /* the first unsupported key (reported after decoding) */
    int key_line, key_col;
    bool raw;              /* no JSON step: ints stay ints, NaN/Inf allowed */
    char *json_err;        /* the first NaN/Inf (reported after that) */
    int json_line, json_col;
} rd;

static int fail_at(rd *r, int line0, int col0, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fail_at(rd *r, int line0, int col0, const char *fmt, ...)
{
    if (r->failed)
        return -1;
    r->failed = true;
    strbuf sb = STRBUF_INIT;
    sb_adds(&sb, r->prefix);
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    cap_err_at(r->err, r->file, line0 >= 0 ? r->line0 + line0 + 1 : 0, col0 >= 0 ? col0 + 1 : 0, "%s",
               sb_str(&sb));
    sb_release(&sb);
    return -1;
}

/* go-yaml's parser.fail(): "yaml: line N: problem", N as go-yaml counts. */
static int parser_fail(rd *r, const char *text, size_t len)
{
    yaml_parser_t *p = &r->parser;
    int line = 0;
    if (p->problem_mark.line != 0) {
        line = (int)p->problem_mark.line;
        if (p->error == YAML_SCANNER_ERROR)
            line++;
    } else if (p->context_mark.line != 0) {
        line = (int)p->context_mark.line;
    }
    const char *problem = p->problem && *p->problem ? p->problem : "unknown problem parsing YAML content";
    /* the real position */
    int rl = (int)p->problem_mark.line, rc = (int)p->problem_mark.column;
    if (p->error == YAML_READER_ERROR) {
        rl = 0;
        rc = 0;
        for (size_t i = 0; i < p->problem_offset && i < len; i++) {
            if (text[i] == '\n') {
                rl++;
                rc = 0;
            } else {
                rc++;
            }
        }
    }
    if (line)
        return fail_at(r, rl, rc, "error converting YAML to JSON: yaml: line %d: %s", line, problem);
    return fail_at(r, rl, rc, "error converting YAML to JSON: yaml: %s", problem);
}

static int next_event(rd *r, const char *text, size_t len)
{
    if (r->have_ev)
        yaml_event_delete(&r->ev);
    r->have_ev = false;
    if (!yaml_parser_parse(&r->parser, &r->ev))
        return parser_fail(r, text, len);
    r->have_ev = true;
    return 0;
}

static ynode *new_node(rd *r, int kind)
{
    ynode *n = arena_zalloc(r->tmp, sizeof *n);
    n->kind = kind;
    n->line = (int)r->ev.start_mark.line;
    n->col = (int)r->ev.start_mark.column;
    n->tag = "";
    return n;
}

static void add_kid(rd *r, ynode *n, ynode *k)
{
    if (n->n == n->cap) {
        size_t nc = n->cap ? n->cap * 2 : 4;
        n->kids = arena_realloc(r->tmp, n->kids, n->cap * sizeof *n->kids, nc * sizeof *n->kids);
        n->cap = nc;
    }
    n->kids[n->n++] = k;
}

static void set_anchor(rd *r, const yaml_char_t *name, ynode *n)
{
    if (!name)
        return;
    anchor *an = arena_alloc(r->tmp, sizeof *an);
    an->name = arena_strdup(r->tmp, (const char *)name);
    an->node = n;
    an->next = r->anchors;
    r->anchors = an;
}

static ynode *find_anchor(rd *r, const char *name)
{
    for (anchor *an = r->anchors; an; an = an->next)
        if (strcmp(an->name, name) == 0)
            return an->node;
    return NULL;
}

/* The byte offset of libyaml's character index `ci` (marks only move on). */
static size_t byte_at(rd *r, const char *text, size_t len, size_t ci)
{
    if (ci < r->cur_char) {
        r->cur_char = 0;
        r->cur_byte = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
    }
    while (r->cur_char < ci && r->cur_byte < len) {
        uint32_t c;
        r->cur_byte += (size_t)yaml_utf8_decode((const unsigned char *)text + r->cur_byte, len - r->cur_byte, &c);
        r->cur_char++;
    }
    return r->cur_byte;
}

/* go-yaml v2 does not know libyaml 0.2's "\/" escape: it fails on it. */
static int check_escapes(rd *r, const char *text, size_t len, const yaml_event_t *e)
{
    if (e->data.scalar.style != YAML_DOUBLE_QUOTED_SCALAR_STYLE)
        return 0;
    size_t b = byte_at(r, text, len, e->start_mark.index);
    size_t end = byte_at(r, text, len, e->end_mark.index);
    int line = (int)e->start_mark.line;
    for (size_t i = b; i < end && i < len; i++) {
        if (text[i] == '\n')
            line++;
        if (text[i] != '\\' || i + 1 >= end)
            continue;
        if (text[i + 1] == '/') {
            if (line)
                return fail_at(r, line, -1, "error converting YAML to JSON: yaml: line %d: found unknown escape character",
                               line + 1);
            return fail_at(r, line, -1, "error converting YAML to JSON: yaml: found unknown escape character");
        }
        i++;
    }
    return 0;
}

/* Builds the node whose first event is the current one; leaves the event
 * after it current. NULL on error. */
static ynode *build(rd *r, const char *text, size_t len, int depth)
{
    yaml_event_t *e = &r->ev;
    ynode *n;
    if (depth > MAX_DEPTH) {
        fail_at(r, (int)e->start_mark.line, (int)e->start_mark.column,
                "error unmarshaling JSON: while decoding JSON: exceeded max depth");
        return NULL;
    }
    switch (e->type) {
    case YAML_SCALAR_EVENT:
        if (check_escapes(r, text, len, e))
            return NULL;
        n = new_node(r, N_SCALAR);
        n->value = arena_strndup(r->tmp, (const char *)e->data.scalar.value, e->data.scalar.length);
        n->len = e->data.scalar.length;
        if (e->data.scalar.tag)
            n->tag = arena_strdup(r->tmp, (const char *)e->data.scalar.tag);
        n->implicit = e->data.scalar.plain_implicit;
        set_anchor(r, e->data.scalar.anchor, n);
        return next_event(r, text, len) ? NULL : n;
    case YAML_ALIAS_EVENT:
        n = new_node(r, N_ALIAS);
        n->value = arena_strdup(r->tmp, (const char *)e->data.alias.anchor);
        n->len = strlen(n->value);
        n->alias = find_anchor(r, n->value);
        if (!n->alias) {
            fail_at(r, n->line, n->col, "error converting YAML to JSON: yaml: unknown anchor '%s' referenced",
                    n->value);
            return NULL;
        }
        return next_event(r, text, len) ? NULL : n;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        bool seq = e->type == YAML_SEQUENCE_START_EVENT;
        n = new_node(r, seq ? N_SEQ : N_MAP);
        const yaml_char_t *tag = seq ? e->data.sequence_start.tag : e->data.mapping_start.tag;
        if (tag)
            n->tag = arena_strdup(r->tmp, (const char *)tag);
        set_anchor(r, seq ? e->data.sequence_start.anchor : e->data.mapping_start.anchor, n);
        if (next_event(r, text, len))
            return NULL;
        yaml_event_type_t end = seq ? YAML_SEQUENCE_END_EVENT : YAML_MAPPING_END_EVENT;
        while (r->ev.type != end) {
            ynode *k = build(r, text, len, depth + 1);
            if (!k)
                return NULL;
            add_kid(r, n, k);
        }
        return next_event(r, text, len) ? NULL : n;
    }
    default:
        fail_at(r, (int)e->start_mark.line, (int)e->start_mark.column,
                "error converting YAML to JSON: yaml: unexpected event");
        return NULL;
    }
}

/* The current event is DOCUMENT-START: builds its root, consumes DOCUMENT-END. */
static ynode *build_document(rd *r, const char *text, size_t len)
{
    r->anchors = NULL;
    if (next_event(r, text, len))
        return NULL;
    ynode *root = build(r, text, len, 0);
    if (!root)
        return NULL;
    if (r->ev.type != YAML_DOCUMENT_END_EVENT) {
        fail_at(r, (int)r->ev.start_mark.line, (int)r->ev.start_mark.column,
                "error converting YAML to JSON: yaml: expected DOCUMENT-END");
        return NULL;
    }
    return root;
}

/* ---- Go-syntax printing for messages (%#v) ------------------------------- */

static void go_quote(strbuf *sb, const char *s, size_t n)
{
    sb_addc(sb, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': sb_adds(sb, "\\\""); break;
        case '\\': sb_adds(sb, "\\\\"); break;
        case '\n': sb_adds(sb, "\\n"); break;
        case '\t': sb_adds(sb, "\\t"); break;
        case '\r': sb_adds(sb, "\\r"); break;
        default:
            if (c < 0x20 || c == 0x7f)
                sb_addf(sb, "\\x%02x", c);
            else
                sb_addc(sb, (char)c);
        }
    }
    sb_addc(sb, '"');
}

/* ---- decoding (go-yaml's decode.go, into interface{}) -------------------- */

typedef enum { K_NIL, K_BOOL, K_INT, K_UINT, K_FLOAT, K_STR, K_OTHER } gokind;

/* A scalar as go-yaml resolves it. */
typedef struct gval {
    gokind k;
    bool b;
    int64_t i;
    uint64_t u;
    double f;
    const char *s;
    size_t n;
} gval;

static const char *short_tag(rd *r, const char *tag)
{
    size_t pl = strlen(T_PREFIX);
    if (strncmp(tag, T_PREFIX, pl) == 0)
        return arena_printf(r->tmp, "!!%s", tag + pl);
    return tag;
}

static bool resolvable(const char *tag)
{
    return !*tag || !strcmp(tag, T_STR) || !strcmp(tag, T_BOOL) || !strcmp(tag, T_INT) ||
           !strcmp(tag, T_FLOAT) || !strcmp(tag, T_NULL) || !strcmp(tag, T_TIMESTAMP);
}

static int b64val(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

/* base64.StdEncoding.DecodeString (which skips \r and \n). */
static bool b64decode(rd *r, const char *s, size_t n, const char **out, size_t *outlen)
{
    char *buf = arena_alloc(r->tmp, n + 1);
    size_t o = 0;
    int q[4], nq = 0, pad = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\r' || c == '\n')
            continue;
        if (c == '=') {
            if (nq < 2)
                return false;
            pad++;
            q[nq++] = 0;
        } else {
            if (pad)
                return false;
            int v = b64val(c);
            if (v < 0)
                return false;
            q[nq++] = v;
        }
        if (nq == 4) {
            buf[o++] = (char)(q[0] << 2 | q[1] >> 4);
            if (pad < 2)
                buf[o++] = (char)((q[1] & 15) << 4 | q[2] >> 2);
            if (pad < 1)
                buf[o++] = (char)((q[2] & 3) << 6 | q[3]);
            nq = 0;
            if (pad) {
                /* nothing but line breaks may follow */
                for (i++; i < n; i++)
                    if (s[i] != '\r' && s[i] != '\n')
                        return false;
                break;
            }
        }
    }
    if (nq != 0)
        return false;
    buf[o] = 0;
    *out = buf;
    *outlen = o;
    return true;
}

/* go-yaml's d.scalar into interface{}. -1 on error. */
static int resolve_node(rd *r, ynode *n, gval *g)
{
    memset(g, 0, sizeof *g);
    g->k = K_STR;
    g->s = n->value;
    g->n = n->len;
    if (!*n->tag && !n->implicit)
        return 0; /* quoted */
    const char *tag = n->tag;
    if (!resolvable(tag)) {
        if (!strcmp(tag, T_BINARY)) {
            if (!b64decode(r, n->value, n->len, &g->s, &g->n))
                return fail_at(r, n->line, n->col,
                               "error converting YAML to JSON: yaml: !!binary value contains invalid base64 data");
        }
        return 0;
    }
    if (!strcmp(tag, T_STR))
        return 0;
    yres y = yaml_resolve_plain(n->value, n->len);
    const char *rtag;
    switch (y.kind) {
    case YRES_NULL: rtag = T_NULL; g->k = K_NIL; break;
    case YRES_BOOL: rtag = T_BOOL; g->k = K_BOOL; g->b = y.u.b; break;
    case YRES_INT: rtag = T_INT; g->k = K_INT; g->i = y.u.i; break;
    case YRES_UINT: rtag = T_INT; g->k = K_UINT; g->u = y.u.u; break;
    case YRES_FLOAT: rtag = T_FLOAT; g->k = K_FLOAT; g->f = y.u.f; break;
    case YRES_TIMESTAMP:
        /* only an untagged or !!timestamp scalar is tried as a timestamp;
         * a timestamp-like text is nothing else */
        rtag = (!*tag || !strcmp(tag, T_TIMESTAMP)) ? T_TIMESTAMP : T_STR;
        break; /* kept as the string */
    case YRES_MERGE: rtag = T_MERGE; break;
    default: rtag = T_STR; break;
    }
    if (!*tag || !strcmp(tag, rtag))
        return 0;
    if (!strcmp(tag, T_FLOAT) && y.kind == YRES_INT) {
        g->k = K_FLOAT;
        g->f = (double)y.u.i;
        return 0;
    }
    const char *in = n->value;
    return fail_at(r, n->line, n->col, "error converting YAML to JSON: yaml: cannot decode %s `%s` as a %s",
                   short_tag(r, rtag), in, short_tag(r, tag));
}

static cval *gval_to_cval(rd *r, ynode *n, const gval *g)
{
    switch (g->k) {
    case K_NIL: return cv_nil();
    case K_BOOL: return cv_bool(g->b);
    case K_INT: return r->raw ? cv_int(r->a, g->i) : cv_float(r->a, (double)g->i);
    case K_UINT: return r->raw ? cv_uint(r->a, g->u, NULL) : cv_float(r->a, (double)g->u);
    case K_FLOAT:
        if (!r->raw && (isnan(g->f) || isinf(g->f))) {
            if (!r->json_err) {
                r->json_err = arena_printf(r->tmp, "error converting YAML to JSON: json: unsupported value: %s",
                                           isnan(g->f) ? "NaN" : g->f > 0 ? "+Inf" : "-Inf");
                r->json_line = n->line;
                r->json_col = n->col;
            }
        }
        return cv_float(r->a, g->f);
    default:
        if (yaml_utf8_valid(g->s, g->n))
            return cv_string(r->a, g->s, g->n);
        strbuf sb = STRBUF_INIT;
        yaml_utf8_fix(&sb, g->s, g->n);
        cval *v = cv_string(r->a, sb.buf, sb.len);
        sb_release(&sb);
        return v;
    }
}

static cval *decode(rd *r, ynode *n);
static int decode_mapping_into(rd *r, ynode *n, cval *out);

static bool count(rd *r)
{
    r->decode_count++;
    if (r->alias_depth > 0)
        r->alias_count++;
    if (r->alias_count > 100 && r->decode_count > 1000) {
        double ratio;
        if (r->decode_count <= 400000)
            ratio = 0.99;
        else if (r->decode_count >= 4000000)
            ratio = 0.10;
        else
            ratio = 0.99 - 0.89 * ((double)(r->decode_count - 400000) / (double)(4000000 - 400000));
        if ((double)r->alias_count / (double)r->decode_count > ratio)
            return false;
    }
    return true;
}

static void gv_sprint(rd *r, strbuf *sb, ynode *n, int depth);

/* %#v of a node's decoded value, for messages (best effort). */
static void gv_sprint(rd *r, strbuf *sb, ynode *n, int depth)
{
    if (depth > 50) {
        sb_adds(sb, "...");
        return;
    }
    while (n->kind == N_ALIAS && n->alias && depth++ < 50)
        n = n->alias;
    if (n->kind == N_SCALAR) {
        gval g;
        bool was = r->failed;
        cap_err tmp = CAP_ERR_INIT;
        cap_err *save = r->err;
        r->err = &tmp;
        int rc = resolve_node(r, n, &g);
        r->err = save;
        r->failed = was;
        cap_err_clear(&tmp);
        if (rc) {
            go_quote(sb, n->value, n->len);
            return;
        }
        switch (g.k) {
        case K_NIL: sb_adds(sb, "interface {}(nil)"); break;
        case K_BOOL: sb_adds(sb, g.b ? "true" : "false"); break;
        case K_INT: sb_addf(sb, "%lld", (long long)g.i); break;
        case K_UINT: sb_addf(sb, "0x%llx", (unsigned long long)g.u); break;
        case K_FLOAT: yaml_go_float(sb, g.f, 'g'); break;
        default: go_quote(sb, g.s, g.n);
        }
        return;
    }
    if (n->kind == N_SEQ) {
        sb_adds(sb, "[]interface {}{");
        for (size_t i = 0; i < n->n; i++) {
            if (i)
                sb_adds(sb, ", ");
            gv_sprint(r, sb, n->kids[i], depth + 1);
        }
        sb_addc(sb, '}');
        return;
    }
    sb_adds(sb, "map[interface {}]interface {}{");
    for (size_t i = 0; i + 1 < n->n; i += 2) {
        if (i)
            sb_adds(sb, ", ");
        gv_sprint(r, sb, n->kids[i], depth + 1);
        sb_adds(sb, ":");
        gv_sprint(r, sb, n->kids[i + 1], depth + 1);
    }
    sb_addc(sb, '}');
}

/* A key converted as sigs.k8s.io/yaml's convertToJSONableObject does.
 * Returns the key text (arena tmp, or the node's own) or NULL when unsupported (key_err set)
 * or on error (r->failed). */
static const char *key_string(rd *r, ynode *k, ynode *v, size_t *klen)
{
    ynode *kn = k;
    int guard = 0;
    while (kn->kind == N_ALIAS && kn->alias && guard++ < 1000)
        kn = kn->alias;
    if (!count(r)) {
        fail_at(r, k->line, k->col, "error converting YAML to JSON: yaml: document contains excessive aliasing");
        return NULL;
    }
    if (kn->kind != N_SCALAR) {
        strbuf sb = STRBUF_INIT;
        gv_sprint(r, &sb, kn, 0);
        fail_at(r, k->line, k->col, "error converting YAML to JSON: yaml: invalid map key: %s", sb_str(&sb));
        sb_release(&sb);
        return NULL;
    }
    gval g;
    if (resolve_node(r, kn, &g))
        return NULL;
    strbuf sb = STRBUF_INIT;
    const char *type = NULL;
    switch (g.k) {
    case K_NIL: type = "%!s(<nil>)"; break;
    case K_UINT: type = "uint64"; break;
    case K_BOOL: sb_adds(&sb, g.b ? "true" : "false"); break;
    case K_INT: sb_addf(&sb, "%lld", (long long)g.i); break;
    case K_FLOAT: {
        strbuf f = STRBUF_INIT;
        yaml_go_float32(&f, g.f);
        const char *s = sb_str(&f);
        sb_adds(&sb, !strcmp(s, "+Inf") ? ".inf" : !strcmp(s, "-Inf") ? "-.inf" : !strcmp(s, "NaN") ? ".nan" : s);
        sb_release(&f);
        break;
    }
    default:
        if (yaml_utf8_valid(g.s, g.n)) {
            /* as it is: the caller's map copies it (nearly every key) */
            *klen = g.n;
            return g.s;
        }
        yaml_utf8_fix(&sb, g.s, g.n);
        break;
    }
    if (type) {
        if (!r->key_err) {
            strbuf m = STRBUF_INIT;
            sb_addf(&m, "error converting YAML to JSON: unsupported map key of type: %s, key: ", type);
            if (g.k == K_NIL)
                sb_adds(&m, "<nil>");
            else
                sb_addf(&m, "0x%llx", (unsigned long long)g.u);
            sb_adds(&m, ", value: ");
            size_t at = m.len;
            gv_sprint(r, &m, v, 0);
            if (!strcmp(m.buf + at, "interface {}(nil)")) {
                sb_setlen(&m, at);
                sb_adds(&m, "<nil>");
            }
            r->key_err = arena_strdup(r->tmp, sb_str(&m));
            r->key_line = k->line;
            r->key_col = k->col;
            sb_release(&m);
        }
        sb_release(&sb);
        return NULL;
    }
    char *s = arena_strndup(r->tmp, sb.buf ? sb.buf : "", sb.len);
    *klen = sb.len;
    sb_release(&sb);
    return s;
}

static bool is_merge(ynode *n)
{
    return n->kind == N_SCALAR && n->len == 2 && !memcmp(n->value, "<<", 2) &&
           (n->implicit || !strcmp(n->tag, T_MERGE));
}

static int fail_want_map(rd *r, ynode *n)
{
    return fail_at(r, n->line, n->col,
                   "error converting YAML to JSON: yaml: map merge requires map or sequence of maps as the value");
}

/* d.alias: expand an alias, refusing one inside itself. */
static int enter_alias(rd *r, ynode *n)
{
    if (n->expanding)
        return fail_at(r, n->line, n->col, "error converting YAML to JSON: yaml: anchor '%s' value contains itself",
                       n->value);
    n->expanding = true;
    r->alias_depth++;
    return 0;
}

static void leave_alias(rd *r, ynode *n)
{
    n->expanding = false;
    r->alias_depth--;
}

/* d.unmarshal(n, out) where out is an existing map (merges). */
static int decode_into(rd *r, ynode *n, cval *out)
{
    if (!count(r))
        return fail_at(r, n->line, n->col, "error converting YAML to JSON: yaml: document contains excessive aliasing");
    if (n->kind == N_ALIAS) {
        if (enter_alias(r, n))
            return -1;
        int rc = decode_into(r, n->alias, out);
        leave_alias(r, n);
        return rc;
    }
    if (n->kind != N_MAP)
        return fail_want_map(r, n);
    return decode_mapping_into(r, n, out);
}

static int merge(rd *r, ynode *v, cval *out)
{
    switch (v->kind) {
    case N_MAP:
        return decode_into(r, v, out);
    case N_ALIAS:
        if (v->alias && v->alias->kind != N_MAP)
            return fail_want_map(r, v);
        return decode_into(r, v, out);
    case N_SEQ:
        for (size_t i = v->n; i-- > 0;) {
            ynode *e = v->kids[i];
            if (e->kind == N_ALIAS) {
                if (e->alias && e->alias->kind != N_MAP)
                    return fail_want_map(r, e);
            } else if (e->kind != N_MAP) {
                return fail_want_map(r, e);
            }
            if (decode_into(r, e, out))
                return -1;
        }
        return 0;
    default:
        return fail_want_map(r, v);
    }
}

static int decode_mapping_into(rd *r, ynode *n, cval *out)
{
    if (++r->depth > MAX_DEPTH)
        return fail_at(r, n->line, n->col, "error unmarshaling JSON: while decoding JSON: exceeded max depth");
    for (size_t i = 0; i + 1 < n->n; i += 2) {
        ynode *k = n->kids[i], *v = n->kids[i + 1];
        if (is_merge(k)) {
            if (merge(r, v, out))
                return -1;
            continue;
        }
        size_t klen = 0;
        const char *ks = key_string(r, k, v, &klen);
        if (r->failed)
            return -1;
        cval *val = decode(r, v);
        if (!val)
            return -1;
        if (ks)
            cv_map_setn(out, ks, klen, val);
    }
    r->depth--;
    return 0;
}

static cval *decode(rd *r, ynode *n)
{
    if (!count(r)) {
        fail_at(r, n->line, n->col, "error converting YAML to JSON: yaml: document contains excessive aliasing");
        return NULL;
    }
    switch (n->kind) {
    case N_ALIAS: {
        if (enter_alias(r, n))
            return NULL;
        cval *v = decode(r, n->alias);
        leave_alias(r, n);
        return v;
    }
    case N_SCALAR: {
        gval g;
        if (resolve_node(r, n, &g))
            return NULL;
        return gval_to_cval(r, n, &g);
    }
    case N_SEQ: {
        if (++r->depth > MAX_DEPTH) {
            fail_at(r, n->line, n->col, "error unmarshaling JSON: while decoding JSON: exceeded max depth");
            return NULL;
        }
        cval *l = cv_list_new(r->a, n->n);
        for (size_t i = 0; i < n->n; i++) {
            cval *e = decode(r, n->kids[i]);
            if (!e)
                return NULL;
            cv_list_push(l, e);
        }
        r->depth--;
        return l;
    }
    default: {
        cval *m = cv_map_new(r->a);
        cv_map_reserve(m, n->n / 2); /* merge keys (<<) may add more: then it grows */
        if (decode_mapping_into(r, n, m))
            return NULL;
        return m;
    }
    }
}

/* The first NaN or Inf in json.Marshal's order (sorted keys). */
static const cval *first_nonfinite(const cval *v, int depth)
{
    if (depth > MAX_DEPTH)
        return NULL;
    if (v->kind == CV_FLOAT)
        return isnan(v->u.f) || isinf(v->u.f) ? v : NULL;
    if (v->kind == CV_LIST) {
        for (size_t i = 0; i < cv_list_len(v); i++) {
            const cval *x = first_nonfinite(cv_list_get(v, i), depth + 1);
            if (x)
                return x;
        }
    } else if (v->kind == CV_MAP) {
        size_t n;
        const cv_entry *e = cv_map_sorted(v, &n);
        for (size_t i = 0; i < n; i++) {
            const cval *x = first_nonfinite(e[i].val, depth + 1);
            if (x)
                return x;
        }
    }
    return NULL;
}

/* After decoding: the key and JSON errors, in the order Go meets them. */
static int late_errors(rd *r, const cval *v)
{
    if (r->failed)
        return -1;
    if (r->key_err)
        return fail_at(r, r->key_line, r->key_col, "%s", r->key_err);
    if (r->json_err) {
        const cval *x = v ? first_nonfinite(v, 0) : NULL;
        if (x)
            return fail_at(r, r->json_line, r->json_col,
                           "error converting YAML to JSON: json: unsupported value: %s",
                           isnan(x->u.f) ? "NaN" : x->u.f > 0 ? "+Inf" : "-Inf");
        return fail_at(r, r->json_line, r->json_col, "%s", r->json_err);
    }
    return 0;
}

/* ---- entry points ------------------------------------------------------- */

enum { TARGET_ANY, TARGET_MAP, TARGET_LIST };

static void rd_init(rd *r, arena *a, const char *text, size_t len, const char *file, cap_err *err)
{
    memset(r, 0, sizeof *r);
    r->a = a;
    r->tmp = arena_new();
    r->file = file;
    r->err = err;
    r->prefix = "";
    r->cur_byte = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
    yaml_parser_initialize(&r->parser);
    yaml_parser_set_input_string(&r->parser, (const unsigned char *)text, len);
}

static void rd_done(rd *r)
{
    if (r->have_ev)
        yaml_event_delete(&r->ev);
    yaml_parser_delete(&r->parser);
    arena_free(r->tmp);
}

static const char *json_kind(const cval *v)
{
    switch (v->kind) {
    case CV_LIST: return "array";
    case CV_MAP: return "object";
    case CV_STRING: return "string";
    case CV_BOOL: return "bool";
    default: return "number";
    }
}

/* The JSON step's target check. */
static int check_target(rd *r, cval **v, int target, int line, int col)
{
    if (target == TARGET_ANY)
        return 0;
    if (cv_is_nil(*v)) {
        /* a JSON null leaves the target as it was: an empty map or list */
        *v = target == TARGET_MAP ? cv_map_new(r->a) : cv_list_new(r->a, 0);
        return 0;
    }
    if (target == TARGET_MAP && (*v)->kind == CV_MAP)
        return 0;
    if (target == TARGET_LIST && (*v)->kind == CV_LIST)
        return 0;
    return fail_at(r, line, col,
                   "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal %s into Go value of type %s",
                   json_kind(*v), target == TARGET_MAP ? "map[string]interface {}" : "[]interface {}");
}

/* go-yaml's Unmarshal: the first document only; nil for an empty stream. */
/* ---- the fast path: core/yaml_scan's events into the same tree ---------- */

#define FAST_MAX_NEST 256

typedef struct fast_build {
    rd *r;
    ynode *stack[FAST_MAX_NEST];
    int n;
    ynode *root;
} fast_build;

static int fast_event(void *ctx, const ys_event *ev)
{
    fast_build *b = ctx;
    if (ev->type == YS_MAP_END || ev->type == YS_SEQ_END) {
        b->n--;
        return 0;
    }
    ynode *n = arena_zalloc(b->r->tmp, sizeof *n);
    n->tag = "";
    if (ev->type == YS_SCALAR) {
        n->kind = N_SCALAR;
        n->value = yaml_scan_value(b->r->tmp, ev, &n->len);
        n->implicit = ev->style == YS_PLAIN || ev->style == YS_EMPTY; /* libyaml's plain_implicit */
    } else {
        n->kind = ev->type == YS_MAP_START ? N_MAP : N_SEQ;
    }
    if (b->n)
        add_kid(b->r, b->stack[b->n - 1], n);
    else
        b->root = n;
    if (n->kind != N_SCALAR) {
        if (b->n == FAST_MAX_NEST)
            return 1;
        b->stack[b->n++] = n;
    }
    return 0;
}

/* The document read through yaml_scan and decoded as parse_first decodes:
 * 1 with *out when that worked; 0 when the text is outside the scanner's
 * subset or decoding failed (then libyaml reads it again, for the error's
 * message and position, which the scanner does not keep). */
static int parse_fast(rd *r, const char *text, size_t len, int target, cval **out)
{
    fast_build b = {r, {0}, 0, NULL};
    if (!yaml_scan_doc(text, len, fast_event, &b))
        return 0;
    if (!b.root)
        return 1; /* comments at most: a null document */
    rd f = *r;
    cap_err scratch = CAP_ERR_INIT;
    f.err = &scratch;
    cval *v = decode(&f, b.root);
    int ok = v && !f.failed && !late_errors(&f, v) && !check_target(&f, &v, target, 0, 0);
    cap_err_clear(&scratch);
    if (ok)
        *out = v;
    return ok;
}

static int parse_first(rd *r, const char *text, size_t len, int target, cval **out)
{
    *out = cv_nil();
    if (parse_fast(r, text, len, target, out))
        return 0;
    if (next_event(r, text, len)) /* STREAM-START */
        return -1;
    if (next_event(r, text, len))
        return -1;
    if (r->ev.type == YAML_STREAM_END_EVENT)
        return 0;
    if (r->ev.type != YAML_DOCUMENT_START_EVENT)
        return fail_at(r, 0, 0, "error converting YAML to JSON: yaml: expected DOCUMENT-START");
    ynode *root = build_document(r, text, len);
    if (!root)
        return -1;
    cval *v = decode(r, root);
    if (!v || late_errors(r, v))
        return -1;
    if (check_target(r, &v, target, root->line, root->col))
        return -1;
    *out = v;
    return 0;
}

static int parse_text(arena *a, const char *text, size_t len, const char *file, int target, cval **out,
                      cap_err *err)
{
    rd r;
    rd_init(&r, a, text, len, file, err);
    int rc = parse_first(&r, text, len, target, out);
    if (rc == 0 && target != TARGET_ANY && cv_is_nil(*out))
        *out = target == TARGET_MAP ? cv_map_new(a) : cv_list_new(a, 0);
    rd_done(&r);
    return rc;
}

int yaml_parse(arena *a, const char *text, size_t len, const char *file, cval **out, cap_err *err)
{
    return parse_text(a, text, len, file, TARGET_ANY, out, err);
}

int yaml_parse_raw(arena *a, const char *text, size_t len, const char *file, cval **out, cap_err *err)
{
    rd r;
    rd_init(&r, a, text, len, file, err);
    r.raw = true;
    int rc = parse_first(&r, text, len, TARGET_ANY, out);
    rd_done(&r);
    return rc;
}

int yaml_string_coerce(strbuf *out, const cval *v)
{
    switch (v->kind) {
    case CV_INT: sb_addf(out, "%lld", (long long)v->u.i); return 0;
    case CV_UINT: sb_addf(out, "%llu", (unsigned long long)v->u.u); return 0;
    case CV_BOOL: sb_adds(out, v->u.b ? "true" : "false"); return 0;
    case CV_FLOAT: {
        strbuf f = STRBUF_INIT;
        yaml_go_float32(&f, v->u.f);
        const char *s = sb_str(&f);
        sb_adds(out, !strcmp(s, "+Inf") ? ".inf" : !strcmp(s, "-Inf") ? "-.inf" : !strcmp(s, "NaN") ? ".nan" : s);
        sb_release(&f);
        return 0;
    }
    case CV_STRING: sb_add(out, v->u.str.s, v->u.str.len); return 0;
    default: return -1;
    }
}

int yaml_parse_map(arena *a, const char *text, size_t len, const char *file, cval **out, cap_err *err)
{
    return parse_text(a, text, len, file, TARGET_MAP, out, err);
}

int yaml_parse_list(arena *a, const char *text, size_t len, const char *file, cval **out, cap_err *err)
{
    return parse_text(a, text, len, file, TARGET_LIST, out, err);
}

int yaml_parse_all(arena *a, const char *text, size_t len, const char *file, cval **out, cap_err *err)
{
    rd r;
    rd_init(&r, a, text, len, file, err);
    cval *list = cv_list_new(a, 4);
    int rc = -1;
    if (next_event(&r, text, len))
        goto done;
    for (;;) {
        if (next_event(&r, text, len))
            goto done;
        if (r.ev.type == YAML_STREAM_END_EVENT)
            break;
        ynode *root = build_document(&r, text, len);
        if (!root)
            goto done;
        r.key_err = r.json_err = NULL;
        cval *v = decode(&r, root);
        if (!v || late_errors(&r, v))
            goto done;
        cv_list_push(list, v);
    }
    rc = 0;
    *out = list;
done:
    rd_done(&r);
    return rc;
}

/* MergeMaps of Helm's loader, y's keys over x's, maps merged deeply, done in
 * place: x and every map in it were decoded here for this merge alone (an
 * alias decodes to a fresh copy), so nobody else sees them change. Helm copies
 * x at each document; with an arena that keeps every copy, that grew with the
 * square of the document count. */
static void merge_maps_into(cval *x, const cval *y, int depth)
{
    size_t n;
    const cv_entry *e = cv_map_sorted(y, &n);
    for (size_t i = 0; i < n; i++) {
        cval *bv = e[i].val, *av = cv_map_getn(x, e[i].key, e[i].keylen);
        if (bv->kind == CV_MAP && av && av->kind == CV_MAP && depth < MAX_DEPTH)
            merge_maps_into(av, bv, depth + 1);
        else
            cv_map_setn(x, e[i].key, e[i].keylen, bv);
    }
}

/* One document of a values file (starting at line line0) read and merged
 * into values. */
static int merge_document(arena *a, const char *text, size_t len, int line0, const char *file, cval *values,
                          cap_err *err)
{
    cval *m;
    rd r;
    rd_init(&r, a, text, len, file, err);
    r.line0 = line0;
    r.prefix = "cannot unmarshal yaml document: ";
    int rc = parse_first(&r, text, len, TARGET_MAP, &m);
    rd_done(&r);
    if (rc == 0 && m->kind == CV_MAP)
        merge_maps_into(values, m, 0);
    return rc;
}

/* Is the text one document, exactly as yaml_parse_values's loop would copy
 * it: not empty, ending with a newline, without a carriage return (the loop
 * drops the one before each newline) and without a line that starts with
 * "---" (a separator, or an error)? Most values files are. */
static bool one_document(const char *text, size_t len)
{
    if (len == 0 || text[len - 1] != '\n' || memchr(text, '\r', len))
        return false;
    if (len >= 3 && memcmp(text, "---", 3) == 0)
        return false;
    /* a newline followed by '-', sixteen bytes a step (memmem took 2
     * instructions a byte), then the rest of "---" */
    typedef char v16 __attribute__((vector_size(16)));
    size_t i = 0;
    for (; i + 17 <= len; i += 16) {
        v16 a, b;
        memcpy(&a, text + i, 16);
        memcpy(&b, text + i + 1, 16);
        v16 m = (a == '\n') & (b == '-');
        uint64_t h[2];
        memcpy(h, &m, 16);
        if (!(h[0] | h[1]))
            continue;
        for (size_t k = i; k < i + 16; k++)
            if (text[k] == '\n' && len - k > 3 && memcmp(text + k + 1, "---", 3) == 0)
                return false;
    }
    for (; i < len; i++)
        if (text[i] == '\n' && len - i > 3 && memcmp(text + i + 1, "---", 3) == 0)
            return false;
    return true;
}

int yaml_parse_values(arena *a, const char *text, size_t len, const char *file, cval **out, cap_err *err)
{
    /* k8s.io/apimachinery's YAMLReader: lines (CRLF read as LF), documents
     * split at lines starting with "---" followed by nothing but spaces or a
     * comment; empty documents skipped. Each is read like yaml_parse_map. */
    cval *values = cv_map_new(a);
    if (one_document(text, len)) {
        /* the text is the document as the split below would copy it */
        int rc = merge_document(a, text, len, 0, file, values, err);
        if (rc == 0)
            *out = values;
        return rc;
    }
    return yaml_parse_values_split(a, text, len, file, out, err);
}

int yaml_parse_values_split(arena *a, const char *text, size_t len, const char *file, cval **out, cap_err *err)
{
    cval *values = cv_map_new(a);
    strbuf doc = STRBUF_INIT;
    size_t pos = 0;
    int line = 0, doc_line = 0;
    int rc = 0;
    for (;;) {
        bool eof = pos >= len;
        size_t ls = pos, le;
        if (!eof) {
            const char *nl = memchr(text + pos, '\n', len - pos);
            le = nl ? (size_t)(nl - text) : len;
            pos = nl ? le + 1 : len;
        } else {
            le = ls;
        }
        size_t ll = le - ls;
        if (!eof && ll && text[le - 1] == '\r' && le < len)
            ll--; /* bufio.ReadLine drops "\r\n" */
        bool sep = false;
        if (!eof && ll >= 3 && !memcmp(text + ls, "---", 3)) {
            size_t i = ls + 3, e2 = ls + ll;
            while (i < e2 && strchr(" \t\r\n\v\f", text[i]))
                i++;
            while (e2 > i && strchr(" \t\r\n\v\f", text[e2 - 1]))
                e2--;
            if (i < e2 && text[i] != '#') {
                rc = cap_err_at(err, file, line + 1, 1,
                                "error reading yaml document: invalid Yaml document separator: %.*s", (int)(e2 - i),
                                text + i);
                break;
            }
            sep = true;
        }
        if (sep || eof) {
            if (doc.len && (rc = merge_document(a, doc.buf, doc.len, doc_line, file, values, err)) != 0)
                break;
            sb_reset(&doc);
            doc_line = line + 1;
            if (eof)
                break;
        } else {
            sb_add(&doc, text + ls, ll);
            sb_addc(&doc, '\n');
        }
        line++;
    }
    sb_release(&doc);
    if (rc == 0)
        *out = values;
    return rc;
}
