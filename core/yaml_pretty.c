/* yaml_pretty.c — toYamlPretty: go-yaml v3's Encoder with SetIndent(2) on the
 * Go value itself (no JSON step, unlike toYaml).
 *
 * What differs from toYaml: numbers print as Go holds them (a float64 from a
 * values file is 1e+06, an int64 from --set is 1000000; NaN is .nan, no
 * error); a block sequence under a key is indented ("key:\n  - a"); lines are
 * never folded (v3's width is unlimited); the key order's letter/digit rule
 * has v3's twist. The block structure is written here; each scalar is written
 * by libyaml's emitter alone (its style checks and writers are the ones go-yaml
 * ports) and then indented into place.
 */
#include "core/yaml.h"
#include "core/yaml_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>  /* libyaml */

#define MAX_DEPTH 2500 /* Go allows 10000; a C stack (under ASan too) is safe at this */

typedef struct pw {
    strbuf *out;
    cap_err *err;
    arena *a; /* for []byte seen as a list of numbers */
} pw;

/* v3 writes a []byte as a sequence of its byte values. */
static const cval *bytes_list(pw *p, const cval *v)
{
    if (!v || v->kind != CV_BYTES)
        return v;
    cval *l = cv_list_new(p->a, v->u.str.len);
    for (size_t i = 0; i < v->u.str.len; i++)
        cv_list_push(l, cv_uint(p->a, (unsigned char)v->u.str.s[i], "uint8"));
    return l;
}

static int sink(void *data, unsigned char *buffer, size_t size)
{
    sb_add(data, buffer, size);
    return 1;
}

/* One scalar as a root document of its own, without the final newline;
 * tag NULL for none. */
static int render_tagged(pw *p, strbuf *r, const char *s, size_t n, yaml_scalar_style_t style, const char *tag)
{
    yaml_emitter_t e;
    yaml_event_t ev;
    int ok = yaml_emitter_initialize(&e);
    yaml_emitter_set_output(&e, sink, r);
    yaml_emitter_set_unicode(&e, 1);
    yaml_emitter_set_width(&e, -1);
    yaml_emitter_set_indent(&e, 2);
    ok = ok && yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) && yaml_emitter_emit(&e, &ev);
    ok = ok && yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) && yaml_emitter_emit(&e, &ev);
    ok = ok && yaml_scalar_event_initialize(&ev, NULL, (yaml_char_t *)tag, (yaml_char_t *)s, (int)n, !tag, !tag,
                                            style) &&
         yaml_emitter_emit(&e, &ev);
    ok = ok && yaml_document_end_event_initialize(&ev, 1) && yaml_emitter_emit(&e, &ev);
    if (ok)
        e.open_ended = 0;
    ok = ok && yaml_stream_end_event_initialize(&ev) && yaml_emitter_emit(&e, &ev) && yaml_emitter_flush(&e);
    if (!ok) {
        cap_err_set(p->err, "yaml: %s", e.problem ? e.problem : "cannot emit a scalar");
        yaml_emitter_delete(&e);
        return -1;
    }
    yaml_emitter_delete(&e);
    if (r->len >= 4 && !memcmp(r->buf + r->len - 4, "...\n", 4))
        sb_setlen(r, r->len - 4);
    if (r->len && r->buf[r->len - 1] == '\n')
        sb_setlen(r, r->len - 1);
    return 0;
}

static int render_scalar(pw *p, strbuf *r, const char *s, size_t n, yaml_scalar_style_t style)
{
    return render_tagged(p, r, s, n, style, NULL);
}

/* A line break as the YAML emitter sees one: \r \n NEL LS PS; its width. */
static int brk(const unsigned char *s, size_t n, size_t i)
{
    if (s[i] == '\n' || s[i] == '\r')
        return 1;
    if (s[i] == 0xC2 && i + 1 < n && s[i + 1] == 0x85)
        return 2;
    if (s[i] == 0xE2 && i + 2 < n && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9))
        return 3;
    return 0;
}

static bool has_break(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (brk((const unsigned char *)s, n, i))
            return true;
    return false;
}

/* go-yaml's is_printable at s[i] (tab excluded: v3 counts tabs apart). */
static bool printable(const unsigned char *b, size_t n, size_t i)
{
    unsigned c = b[i], c1 = i + 1 < n ? b[i + 1] : 0, c2 = i + 2 < n ? b[i + 2] : 0;
    return c == 0x0A || (c >= 0x20 && c <= 0x7E) || (c == 0xC2 && c1 >= 0xA0) || (c > 0xC2 && c < 0xED) ||
           (c == 0xED && c1 < 0xA0) || c == 0xEE ||
           (c == 0xEF && !(c1 == 0xBB && c2 == 0xBF) && !(c1 == 0xBF && (c2 == 0xBE || c2 == 0xBF)));
}

/* v3's analysis: may this multi-line string be a literal block, and does it
 * hold a tab (which libyaml, unlike v3, refuses in a block)? */
static bool v3_block_allowed(const char *s, size_t n, bool *tabs)
{
    const unsigned char *b = (const unsigned char *)s;
    bool prev_space = false;
    *tabs = false;
    if (!n)
        return false;
    for (size_t i = 0; i < n;) {
        int w = 1;
        uint32_t r;
        if (b[i] >= 0x80)
            w = yaml_utf8_decode(b + i, n - i, &r);
        if (b[i] == '\t')
            *tabs = true;
        else if (!printable(b, n, i))
            return false; /* special characters */
        int bw = brk(b, n, i);
        if (b[i] == ' ') {
            prev_space = true;
        } else if (bw) {
            if (prev_space)
                return false; /* space before a break */
            prev_space = false;
        } else {
            prev_space = false;
        }
        i += (size_t)(bw ? bw : w);
    }
    return b[n - 1] != ' ';
}

/* go-yaml v3's literal block scalar at root (content indented by 2). */
static void literal(strbuf *r, const char *s, size_t n)
{
    const unsigned char *b = (const unsigned char *)s;
    sb_addc(r, '|');
    if (b[0] == ' ' || brk(b, n, 0))
        sb_addc(r, '2');
    size_t last = n - 1;
    while (last > 0 && (b[last] & 0xC0) == 0x80)
        last--;
    if (!brk(b, n, last)) {
        sb_addc(r, '-');
    } else if (last == 0) {
        sb_addc(r, '+');
    } else {
        size_t prev = last - 1;
        while (prev > 0 && (b[prev] & 0xC0) == 0x80)
            prev--;
        if (brk(b, n, prev))
            sb_addc(r, '+');
    }
    sb_addc(r, '\n');
    bool breaks = true;
    for (size_t i = 0; i < n;) {
        int bw = brk(b, n, i);
        if (bw) {
            if (b[i] == '\n')
                sb_addc(r, '\n');
            else
                sb_add(r, b + i, (size_t)bw);
            i += (size_t)bw;
            breaks = true;
        } else {
            if (breaks)
                sb_adds(r, "  ");
            sb_addc(r, (char)b[i]);
            i++;
            breaks = false;
        }
    }
    if (r->len && r->buf[r->len - 1] == '\n')
        sb_setlen(r, r->len - 1);
}

/* Append a rendered scalar with its later lines shifted by `ind`: after each
 * line break (\n, or U+2028/U+2029, which the emitter writes raw) that is
 * followed by something other than another break. */
static void put_shifted(pw *p, const strbuf *r, int ind)
{
    const unsigned char *b = (const unsigned char *)r->buf;
    size_t n = r->len;
    for (size_t i = 0; i < n;) {
        int w = brk(b, n, i);
        if (!w) {
            sb_addc(p->out, (char)b[i++]);
            continue;
        }
        sb_add(p->out, b + i, (size_t)w);
        i += (size_t)w;
        if (i < n && !brk(b, n, i) && !(i + 1 == n && b[i] == '\''))
            sb_addrep(p->out, ' ', (size_t)ind);
    }
}

/* Start a new line at `ind`: the emitter writes no line feed when the last
 * thing written was a raw U+2028/U+2029 (its column is 0 already). */
static void newline(pw *p, int ind)
{
    const unsigned char *b = (const unsigned char *)p->out->buf;
    size_t n = p->out->len;
    if (!(n >= 3 && b[n - 3] == 0xE2 && b[n - 2] == 0x80 && (b[n - 1] == 0xA8 || b[n - 1] == 0xA9)))
        sb_addc(p->out, '\n');
    sb_addrep(p->out, ' ', (size_t)ind);
}

/* libyaml 0.2.5 indents the closing quote of a single-quoted scalar that
 * ends with a break (U+2028/U+2029 here); go-yaml does not. */
static void fix_quote_after_break(strbuf *r)
{
    size_t n = r->len;
    if (n < 5 || r->buf[n - 1] != '\'')
        return;
    size_t j = n - 1;
    while (j > 0 && r->buf[j - 1] == ' ')
        j--;
    if (j == n - 1 || j < 3)
        return;
    const unsigned char *b = (const unsigned char *)r->buf + j - 3;
    if (b[0] == 0xE2 && b[1] == 0x80 && (b[2] == 0xA8 || b[2] == 0xA9)) {
        r->buf[j] = '\'';
        sb_setlen(r, j + 1);
    }
}

static int string_style(const char *s, size_t n, yaml_scalar_style_t *style)
{
    if (memchr(s, '\n', n)) {
        *style = YAML_LITERAL_SCALAR_STYLE;
        return 0;
    }
    yres r = yaml_resolve_plain(s, n);
    bool plain = r.kind == YRES_STR;
    /* isBase60Float || isOldBool: the old bools resolve as bools already */
    if (plain && n && memchr(s, ':', n)) {
        size_t i = 0;
        if (s[i] == '+' || s[i] == '-')
            i++;
        if (i < n && s[i] >= '0' && s[i] <= '9') {
            /* ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$ */
            while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
                i++;
            int groups = 0;
            bool bad = false;
            while (i < n && s[i] == ':') {
                i++;
                size_t st = i;
                while (i < n && s[i] >= '0' && s[i] <= '9' && i - st < 2)
                    i++;
                if (i == st || (i - st == 2 && s[st] > '5')) {
                    bad = true;
                    break;
                }
                groups++;
            }
            if (!bad && groups && i < n && s[i] == '.') {
                i++;
                while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
                    i++;
            }
            if (!bad && groups && i == n)
                plain = false;
        }
    }
    *style = plain ? YAML_PLAIN_SCALAR_STYLE : YAML_DOUBLE_QUOTED_SCALAR_STYLE;
    return 0;
}

/* The text of a scalar value (not a collection), rendered. */
static int scalar_text(pw *p, strbuf *r, const cval *v)
{
    char b[64];
    switch (v ? v->kind : CV_NIL) {
    case CV_INVALID:
    case CV_NIL:
        sb_adds(r, "null");
        return 0;
    case CV_BOOL:
        sb_adds(r, v->u.b ? "true" : "false");
        return 0;
    case CV_INT:
        snprintf(b, sizeof b, "%lld", (long long)v->u.i);
        sb_adds(r, b);
        return 0;
    case CV_UINT:
        snprintf(b, sizeof b, "%llu", (unsigned long long)v->u.u);
        sb_adds(r, b);
        return 0;
    case CV_FLOAT: {
        double f = v->u.f;
        if (isnan(f))
            sb_adds(r, ".nan");
        else if (isinf(f))
            sb_adds(r, f > 0 ? ".inf" : "-.inf");
        else
            yaml_go_float(r, f, 'g');
        return 0;
    }
    case CV_STRING: {
        const char *s = v->u.str.s;
        size_t n = v->u.str.len;
        strbuf fixed = STRBUF_INIT;
        if (!yaml_utf8_valid(s, n)) {
            /* v3: !!binary, base64 in lines of 70 when longer than that */
            static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            strbuf b = STRBUF_INIT;
            const unsigned char *u = (const unsigned char *)s;
            for (size_t i = 0; i < n; i += 3) {
                unsigned x = (unsigned)u[i] << 16 | (i + 1 < n ? (unsigned)u[i + 1] << 8 : 0) | (i + 2 < n ? u[i + 2] : 0);
                sb_addc(&b, tbl[x >> 18 & 63]);
                sb_addc(&b, tbl[x >> 12 & 63]);
                sb_addc(&b, i + 1 < n ? tbl[x >> 6 & 63] : '=');
                sb_addc(&b, i + 2 < n ? tbl[x & 63] : '=');
            }
            bool multi = b.len / 70 + 1 > 1;
            for (size_t i = 0; i < b.len; i += 70) {
                sb_add(&fixed, b.buf + i, b.len - i < 70 ? b.len - i : 70);
                if (multi)
                    sb_addc(&fixed, '\n');
            }
            sb_release(&b);
            int rc = render_tagged(p, r, sb_str(&fixed), fixed.len,
                                   multi ? YAML_LITERAL_SCALAR_STYLE : YAML_PLAIN_SCALAR_STYLE,
                                   "tag:yaml.org,2002:binary");
            sb_release(&fixed);
            return rc;
        }
        if (yaml_starts_with_bom(s, n)) {
            yaml_bom_double_quoted(r, s, n);
            sb_release(&fixed);
            return 0;
        }
        yaml_scalar_style_t style;
        string_style(s, n, &style);
        int rc = 0;
        bool tabs = false;
        if (style == YAML_LITERAL_SCALAR_STYLE && v3_block_allowed(s, n, &tabs) && tabs)
            literal(r, s, n);
        else if ((rc = render_scalar(p, r, s ? s : "", n, style)) == 0)
            fix_quote_after_break(r);
        sb_release(&fixed);
        return rc;
    }
    default:
        return cap_err_set(p->err, "yaml: cannot marshal type: %s", cv_gotype(v));
    }
}

/* ---- key order: go-yaml v3's sorter.go --------------------------------- */

/* ---- block structure ---------------------------------------------------- */

static bool is_empty_coll(const cval *v)
{
    return v && ((v->kind == CV_MAP && cv_map_len(v) == 0) || (v->kind == CV_LIST && cv_list_len(v) == 0));
}

static int put_node(pw *p, const cval *v, int ind, int depth);

/* A value after "key:" or "- " (the cursor is right after the indicator).
 * ind: the indentation of the mapping or sequence holding it. */
static int put_value(pw *p, const cval *v, int ind, bool in_seq, int depth)
{
    v = bytes_list(p, v);
    if (depth > MAX_DEPTH)
        return cap_err_set(p->err, "yaml: too deeply nested");
    if (v && v->kind == CV_MAP && cv_map_len(v)) {
        if (in_seq) {
            sb_addc(p->out, ' ');
            return put_node(p, v, ind + 2, depth + 1); /* first key on the "- " line */
        }
        newline(p, ind + 2);
        return put_node(p, v, ind + 2, depth + 1);
    }
    if (v && v->kind == CV_LIST && cv_list_len(v)) {
        if (in_seq) {
            sb_addc(p->out, ' ');
            return put_node(p, v, ind + 2, depth + 1);
        }
        newline(p, ind + 2);
        return put_node(p, v, ind + 2, depth + 1);
    }
    sb_addc(p->out, ' ');
    if (is_empty_coll(v)) {
        sb_adds(p->out, v->kind == CV_MAP ? "{}" : "[]");
        return 0;
    }
    strbuf r = STRBUF_INIT;
    int rc = scalar_text(p, &r, v);
    if (!rc)
        put_shifted(p, &r, ind);
    sb_release(&r);
    return rc;
}

/* A non-empty map or list whose first line starts at the cursor, which is
 * already at column ind; later lines are indented by ind. */
static int put_node(pw *p, const cval *v, int ind, int depth)
{
    if (v->kind == CV_LIST) {
        size_t n = cv_list_len(v);
        for (size_t i = 0; i < n; i++) {
            if (i)
                newline(p, ind);
            sb_addc(p->out, '-');
            if (put_value(p, cv_list_get(v, i), ind, true, depth))
                return -1;
        }
        return 0;
    }
    size_t n;
    const cv_entry **k = yaml_sorted_entries(v, true, &n);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        if (i)
            newline(p, ind);
        strbuf r = STRBUF_INIT;
        cval key = {.kind = CV_STRING};
        key.u.str.s = k[i]->key;
        key.u.str.len = k[i]->keylen;
        rc = scalar_text(p, &r, &key);
        if (!rc) {
            if (k[i]->keylen > 128 || has_break(k[i]->key, k[i]->keylen)) {
                /* not a simple key: "? key" then ": value" */
                sb_adds(p->out, "? ");
                put_shifted(p, &r, ind);
                newline(p, ind);
                sb_addc(p->out, ':');
                rc = put_value(p, k[i]->val, ind, true, depth);
            } else {
                sb_add(p->out, r.buf, r.len);
                sb_addc(p->out, ':');
                rc = put_value(p, k[i]->val, ind, false, depth);
            }
        }
        sb_release(&r);
    }
    free(k);
    return rc;
}

int yaml_emit_pretty(strbuf *out, const cval *v, cap_err *err)
{
    pw p = {out, err, arena_new()};
    size_t start = out->len;
    int rc;
    v = bytes_list(&p, v);
    if (v && (v->kind == CV_MAP || v->kind == CV_LIST) && !is_empty_coll(v)) {
        rc = put_node(&p, v, 0, 0);
    } else if (is_empty_coll(v)) {
        sb_adds(out, v->kind == CV_MAP ? "{}" : "[]");
        rc = 0;
    } else {
        strbuf r = STRBUF_INIT;
        rc = scalar_text(&p, &r, v);
        if (!rc)
            put_shifted(&p, &r, 0);
        sb_release(&r);
    }
    arena_free(p.a);
    if (rc) {
        sb_setlen(out, start);
        return -1;
    }
    sb_addc(out, '\n');
    return 0;
}
