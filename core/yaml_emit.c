/* yaml_emit.c — toYaml: sigs.k8s.io/yaml.Marshal, that is json.Marshal, then
 * go-yaml v2 Unmarshal of that JSON into interface{}, then go-yaml v2 Marshal.
 *
 * The round trip is done on the fly: numbers are printed as encoding/json
 * prints them and re-read with go-yaml v2's resolve (so 1e6 as a float64 is
 * 1000000, 1.5e6 is 1.5e+06, and 1e21 is 1e+21); strings get go-yaml v2's
 * style (plain unless they would resolve to something else, double-quoted
 * then, literal when they hold a line break); map keys are sorted by go-yaml
 * v2's key order (numbers inside keys compare by value). libyaml's emitter,
 * of which go-yaml v2's is a port, writes the bytes with the same settings
 * (unicode on, indent 2, width 80).
 */
#include "core/yaml.h"
#include "core/yaml_int.h"
#include "core/json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>  /* libyaml */

#define MAX_DEPTH 2500 /* Go allows 10000; a C stack (under ASan too) is safe at this */

typedef struct em {
    yaml_emitter_t e;
    strbuf *out;
    cap_err *err;
    bool failed;
    bool ls_tail; /* a string without \n ended with U+2028/U+2029 */
    strbuf *bom;  /* renderings of strings that start with a BOM */
    size_t nbom;
} em;

/* A string starting with a BOM is written by go-yaml with every character
 * escaped (see yaml_bom_double_quoted); libyaml would not, so a placeholder
 * (U+E000 n U+E001, plain) goes through the emitter and is replaced after. */
static int bom_placeholder(em *m, const char *s, size_t n);

static int write_handler(void *data, unsigned char *buffer, size_t size)
{
    em *m = data;
    sb_add(m->out, buffer, size);
    return 1;
}

static int emit(em *m, yaml_event_t *ev)
{
    if (m->failed) {
        yaml_event_delete(ev);
        return -1;
    }
    if (!yaml_emitter_emit(&m->e, ev)) {
        m->failed = true;
        return cap_err_set(m->err, "error marshaling into YAML: %s",
                           m->e.problem ? m->e.problem : "emitter error");
    }
    return 0;
}

static int scalar(em *m, const char *s, size_t n, yaml_scalar_style_t style)
{
    yaml_event_t ev;
    if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)n, 1, 1, style))
        return cap_err_set(m->err, "error marshaling into YAML: out of memory");
    return emit(m, &ev);
}

/* ---- go-yaml v2's key order (sorter.go) on string keys ------------------ */

static bool is_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

/* ---- values ------------------------------------------------------------- */

bool yaml_is_base60_float(const char *s, size_t n)
{
    /* ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$ */
    if (!n || !memchr(s, ':', n))
        return false;
    size_t i = 0;
    if (s[i] == '+' || s[i] == '-')
        i++;
    if (i >= n || !is_digit((unsigned char)s[i]))
        return false;
    while (i < n && (is_digit((unsigned char)s[i]) || s[i] == '_'))
        i++;
    int groups = 0;
    while (i < n && s[i] == ':') {
        i++;
        size_t st = i;
        while (i < n && is_digit((unsigned char)s[i]) && i - st < 2)
            i++;
        size_t d = i - st;
        if (d == 0)
            return false;
        if (d == 2 && s[st] > '5') {
            /* [0-5]?[0-9]: two digits need a first digit 0-5; a single
             * digit then must stand alone */
            return false;
        }
        groups++;
    }
    if (!groups)
        return false;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && (is_digit((unsigned char)s[i]) || s[i] == '_'))
            i++;
    }
    return i == n;
}

/* json.Marshal leaves U+0085 (NEL) raw in its strings, and go-yaml v2 then
 * reads it inside the double-quoted JSON string as a line break, which it
 * folds: the spaces around a run of breaks go, a lone break becomes a space,
 * n breaks become n-1 newlines. A break right before "---" or "..." and a
 * blank is a "document indicator" there, and the whole toYaml fails.
 * Returns -1 for that; out gets the folded string. */
static int fold_nel(strbuf *out, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        /* a run of spaces and NELs */
        while (j < n && (s[j] == ' ' || (s[j] == '\xC2' && j + 1 < n && s[j + 1] == '\x85')))
            j += s[j] == ' ' ? 1 : 2;
        if (j == i) {
            sb_addc(out, s[i++]);
            continue;
        }
        size_t breaks = 0;
        for (size_t k = i; k < j; k += s[k] == ' ' ? 1 : 2)
            if (s[k] != ' ')
                breaks++;
        if (!breaks) {
            sb_add(out, s + i, j - i);
        } else {
            if (breaks == 1)
                sb_addc(out, ' ');
            else
                sb_addrep(out, '\n', breaks - 1);
            /* column 0 after the run: document indicators */
            bool col0 = s[j - 1] != ' ';
            if (col0 && j + 3 <= n && (!memcmp(s + j, "---", 3) || !memcmp(s + j, "...", 3))) {
                size_t k = j + 3;
                if (k == n || s[k] == ' ' || s[k] == '\t' || (s[k] == '\xC2' && k + 1 < n && s[k + 1] == '\x85'))
                    return -1;
            }
        }
        i = j;
    }
    return 0;
}

static int emit_string(em *m, const char *s, size_t n)
{
    strbuf fixed = STRBUF_INIT;
    if (!yaml_utf8_valid(s, n)) {
        yaml_utf8_fix(&fixed, s, n);
        s = fixed.buf;
        n = fixed.len;
    }
    if (n >= 2 && memmem(s, n, "\xC2\x85", 2)) {
        strbuf folded = STRBUF_INIT;
        if (fold_nel(&folded, s, n)) {
            sb_release(&folded);
            sb_release(&fixed);
            m->failed = true;
            return cap_err_set(m->err, "yaml: line 1: found unexpected document indicator");
        }
        sb_release(&fixed);
        fixed = folded;
        s = fixed.buf;
        n = fixed.len;
    }
    if (yaml_starts_with_bom(s, n)) {
        int rc = bom_placeholder(m, s, n);
        sb_release(&fixed);
        return rc;
    }
    if (n >= 3 && !memchr(s, '\n', n) && !memcmp(s + n - 3, "\xE2\x80", 2) &&
        ((unsigned char)s[n - 1] == 0xA8 || (unsigned char)s[n - 1] == 0xA9))
        m->ls_tail = true;
    yaml_scalar_style_t style;
    if (memchr(s, '\n', n)) {
        style = YAML_LITERAL_SCALAR_STYLE;
    } else {
        yres r = yaml_resolve_plain(s, n);
        style = r.kind == YRES_STR && !yaml_is_base60_float(s, n) ? YAML_PLAIN_SCALAR_STYLE
                                                             : YAML_DOUBLE_QUOTED_SCALAR_STYLE;
    }
    int rc = scalar(m, s ? s : "", n, style);
    sb_release(&fixed);
    return rc;
}

/* A float64 through json.Marshal and go-yaml v2's resolve and encoder. */
static int emit_float(em *m, double f)
{
    if (isnan(f) || isinf(f)) {
        m->failed = true;
        return cap_err_set(m->err, "error marshaling into JSON: json: unsupported value: %s",
                           isnan(f) ? "NaN" : f > 0 ? "+Inf" : "-Inf");
    }
    strbuf o = STRBUF_INIT;
    yaml_float_text(&o, f);
    int rc = scalar(m, o.buf, o.len, YAML_PLAIN_SCALAR_STYLE);
    sb_release(&o);
    return rc;
}

void yaml_float_text(strbuf *out, double f)
{
    /* A whole number below 2^53 (a port, a replica count: what values files
     * hold, read as float64): encoding/json writes its digits, which go-yaml
     * reads back as an int; -0 is "0". The digits at once instead of the
     * shortest-float search. */
    if (f > -9007199254740992.0 && f < 9007199254740992.0 && f == (double)(long long)f) {
        char b[24], *p = b + sizeof b;
        long long i = (long long)f;
        unsigned long long u = i < 0 ? 0ULL - (unsigned long long)i : (unsigned long long)i;
        do
            *--p = (char)('0' + u % 10);
        while (u /= 10);
        if (i < 0)
            *--p = '-';
        sb_add(out, p, (size_t)(b + sizeof b - p));
        return;
    }
    yaml_float_text_json(out, f);
}

void yaml_float_text_json(strbuf *out, double f)
{
    strbuf j = STRBUF_INIT;
    yaml_go_float(&j, f, 'j');
    yres r = yaml_resolve_plain(j.buf, j.len);
    if (r.kind == YRES_INT)
        sb_addf(out, "%lld", (long long)r.u.i);
    else if (r.kind == YRES_UINT)
        sb_addf(out, "%llu", (unsigned long long)r.u.u);
    else
        yaml_go_float(out, r.kind == YRES_FLOAT ? r.u.f : f, 'g');
    sb_release(&j);
}

static int emit_bytes(em *m, const unsigned char *p, size_t n)
{
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    strbuf b = STRBUF_INIT;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
        sb_addc(&b, tbl[v >> 18 & 63]);
        sb_addc(&b, tbl[v >> 12 & 63]);
        sb_addc(&b, i + 1 < n ? tbl[v >> 6 & 63] : '=');
        sb_addc(&b, i + 2 < n ? tbl[v & 63] : '=');
    }
    int rc = emit_string(m, sb_str(&b), b.len);
    sb_release(&b);
    return rc;
}

static int emit_value(em *m, const cval *v, int depth);

static int emit_map(em *m, const cval *v, int depth)
{
    yaml_event_t ev;
    yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
    if (emit(m, &ev))
        return -1;
    size_t n;
    const cv_entry **k = yaml_sorted_entries(v, false, &n);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        const char *ks = k[i]->key;
        size_t kl = k[i]->keylen;
        if (kl >= 2 && memmem(ks, kl, "\xC2\x85", 2)) {
            /* a NEL makes the JSON key span lines, which go-yaml v2 does not
             * take as a key: Helm's toYaml fails (and prints nothing) */
            m->failed = true;
            rc = cap_err_set(m->err, "yaml: line 1: did not find expected ',' or '}'");
            break;
        }
        rc = emit_string(m, ks, kl);
        if (!rc)
            rc = emit_value(m, k[i]->val, depth + 1);
    }
    free(k);
    if (rc)
        return -1;
    yaml_mapping_end_event_initialize(&ev);
    return emit(m, &ev);
}

/* sigs.k8s.io/yaml marshals through JSON: a native object (.Capabilities,
 * .Files, ...) is written as its JSON form reads back. */
static int emit_object(em *m, const cval *v, int depth)
{
    strbuf js = STRBUF_INIT;
    arena *ta = arena_new();
    cval *back = NULL;
    int rc = json_emit(&js, v, 0, m->err);
    if (rc == 0)
        rc = json_parse(ta, sb_str(&js), js.len, NULL, &back, m->err);
    if (rc == 0)
        rc = emit_value(m, back, depth + 1);
    else
        m->failed = true;
    sb_release(&js);
    arena_free(ta);
    return rc;
}

static int emit_value(em *m, const cval *v, int depth)
{
    if (depth > MAX_DEPTH) {
        m->failed = true;
        return cap_err_set(m->err, "error marshaling into JSON: json: exceeded max depth");
    }
    if (cv_is_nil_collection(v)) /* a nil map or slice marshals as null */
        return scalar(m, "null", 4, YAML_PLAIN_SCALAR_STYLE);
    switch (v ? v->kind : CV_NIL) {
    case CV_INVALID:
    case CV_NIL:
        return scalar(m, "null", 4, YAML_PLAIN_SCALAR_STYLE);
    case CV_BOOL:
        return v->u.b ? scalar(m, "true", 4, YAML_PLAIN_SCALAR_STYLE) : scalar(m, "false", 5, YAML_PLAIN_SCALAR_STYLE);
    case CV_INT: {
        char b[32];
        int n = snprintf(b, sizeof b, "%lld", (long long)v->u.i);
        return scalar(m, b, (size_t)n, YAML_PLAIN_SCALAR_STYLE);
    }
    case CV_UINT: {
        char b[32];
        int n = snprintf(b, sizeof b, "%llu", (unsigned long long)v->u.u);
        return scalar(m, b, (size_t)n, YAML_PLAIN_SCALAR_STYLE);
    }
    case CV_FLOAT:
        return emit_float(m, v->u.f);
    case CV_STRING:
        return emit_string(m, v->u.str.s, v->u.str.len);
    case CV_BYTES:
        return emit_bytes(m, (const unsigned char *)v->u.str.s, v->u.str.len);
    case CV_LIST: {
        yaml_event_t ev;
        yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
        if (emit(m, &ev))
            return -1;
        size_t n = cv_list_len(v);
        cval **items = cv_list_items(v);
        for (size_t i = 0; i < n; i++)
            if (emit_value(m, items[i], depth + 1))
                return -1;
        yaml_sequence_end_event_initialize(&ev);
        return emit(m, &ev);
    }
    case CV_MAP:
        return emit_map(m, v, depth);
    case CV_OBJECT:
        return emit_object(m, v, depth);
    default:
        m->failed = true;
        return cap_err_set(m->err, "error marshaling into JSON: json: unsupported type: %s", cv_gotype(v));
    }
}

static int bom_placeholder(em *m, const char *s, size_t n)
{
    if ((m->nbom & (m->nbom - 1)) == 0)
        m->bom = realloc(m->bom, (m->nbom ? m->nbom * 2 : 1) * sizeof *m->bom);
    strbuf *r = &m->bom[m->nbom];
    sb_init(r);
    yaml_bom_double_quoted(r, s, n);
    char ph[32];
    int len = snprintf(ph, sizeof ph, "\xEE\x80\x80%zu\xEE\x80\x81", m->nbom);
    m->nbom++;
    return scalar(m, ph, (size_t)len, YAML_PLAIN_SCALAR_STYLE);
}

static void replace_bom(em *m, strbuf *out, size_t start)
{
    strbuf res = STRBUF_INIT;
    sb_add(&res, out->buf + start, 0);
    size_t i = start;
    while (i < out->len) {
        if (i + 3 < out->len && !memcmp(out->buf + i, "\xEE\x80\x80", 3)) {
            size_t j = i + 3, k = 0;
            while (j < out->len && out->buf[j] >= '0' && out->buf[j] <= '9')
                k = k * 10 + (size_t)(out->buf[j++] - '0');
            if (j > i + 3 && j + 3 <= out->len && !memcmp(out->buf + j, "\xEE\x80\x81", 3) && k < m->nbom) {
                sb_add(&res, m->bom[k].buf, m->bom[k].len);
                i = j + 3;
                continue;
            }
        }
        sb_addc(&res, out->buf[i++]);
    }
    sb_setlen(out, start);
    sb_add(out, res.buf, res.len);
    sb_release(&res);
}

/* libyaml 0.2.5 writes an indentation before the closing quote of a
 * single-quoted scalar that ends with a line break (here only U+2028 or
 * U+2029 can); go-yaml v2 puts the quote right after the break. */
static void fix_ls_tail(strbuf *out, size_t start)
{
    char *b = out->buf;
    size_t w = start;
    for (size_t r = start; r < out->len;) {
        if (r + 3 <= out->len && (unsigned char)b[r] == 0xE2 && (unsigned char)b[r + 1] == 0x80 &&
            ((unsigned char)b[r + 2] == 0xA8 || (unsigned char)b[r + 2] == 0xA9)) {
            memmove(b + w, b + r, 3);
            w += 3;
            r += 3;
            size_t sp = r;
            while (sp < out->len && b[sp] == ' ')
                sp++;
            if (sp > r && sp < out->len && b[sp] == '\'' && (sp + 1 >= out->len || b[sp + 1] != '\''))
                r = sp;
            continue;
        }
        b[w++] = b[r++];
    }
    sb_setlen(out, w);
}

int yaml_emit(strbuf *out, const cval *v, cap_err *err)
{
    if (yaml_emit_block(out, v))
        return 0;
    return yaml_emit_libyaml(out, v, err);
}

int yaml_emit_libyaml(strbuf *out, const cval *v, cap_err *err)
{
    em m;
    memset(&m, 0, sizeof m);
    m.out = out;
    m.err = err;
    size_t start = out->len;
    yaml_emitter_initialize(&m.e);
    yaml_emitter_set_output(&m.e, write_handler, &m);
    yaml_emitter_set_unicode(&m.e, 1);
    yaml_emitter_set_width(&m.e, 80);
    yaml_emitter_set_indent(&m.e, 2);
    yaml_event_t ev;
    int rc = 0;
    yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
    rc = emit(&m, &ev);
    if (!rc) {
        yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
        rc = emit(&m, &ev);
    }
    if (!rc)
        rc = emit_value(&m, v, 0);
    if (!rc) {
        yaml_document_end_event_initialize(&ev, 1);
        rc = emit(&m, &ev);
    }
    if (!rc) {
        /* go-yaml's encoder.finish() clears open_ended, so no "..." after a
         * final |+ block scalar (libyaml 0.2.5 would write one) */
        m.e.open_ended = 0;
        yaml_stream_end_event_initialize(&ev);
        rc = emit(&m, &ev);
    }
    if (!rc && !yaml_emitter_flush(&m.e))
        rc = cap_err_set(err, "error marshaling into YAML: cannot flush");
    yaml_emitter_delete(&m.e);
    if (rc)
        sb_setlen(out, start);
    else if (m.ls_tail)
        fix_ls_tail(out, start);
    if (!rc && m.nbom)
        replace_bom(&m, out, start);
    for (size_t i = 0; i < m.nbom; i++)
        sb_release(&m.bom[i]);
    free(m.bom);
    return rc;
}
