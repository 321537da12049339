/* fn_helm.c — Helm's own template functions (after helm v4 pkg/engine
 * engine.go and funcs.go): include, tpl, required, fail, toYaml, mustToYaml,
 * toYamlPretty, fromYaml, fromYamlArray, toJson, mustToJson, fromJson,
 * fromJsonArray, lookup. */
#include "tmpl_exec.h"
#include "gofmt.h"
#include "json.h"
#include "toml.h"
#include "yaml.h"
#include "yaml_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RECURSION_MAX 1000  /* helm's recursionMaxNums */

static cval *str_result(cv_call *c, strbuf *sb)
{
    cval *r = cv_string(c->a, sb_str(sb), sb->len);
    sb_release(sb);
    return r;
}

/* include NAME DATA */
static cval *fn_include(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    tmpl_env *env = c->env;
    const char *name = argv[0]->u.str.s;
    cval *cnt = cv_map_getn(env->included, name, argv[0]->u.str.len);
    if (cnt) {
        if (cnt->u.i > RECURSION_MAX) {
            terr *inner = terr_plain(c->a, "unable to execute template", NULL);
            env->call_err = terr_plain(c->a, arena_printf(c->a, "rendering template has a nested reference name: %s: ", name), inner);
            return cv_call_fail(c, "rendering template has a nested reference name: %s: unable to execute template", name);
        }
        cnt->u.i++;
    } else {
        cnt = cv_int(c->a, 1);
        cv_map_setn(env->included, name, argv[0]->u.str.len, cnt);
    }
    strbuf sb = STRBUF_INIT;
    terr *err = NULL;
    cval *dot = argv[1]->kind == CV_NIL ? cv_novalue() : argv[1];
    int rc = tmpl_exec_named(env, name, dot, &sb, &err);
    cnt->u.i--;
    if (rc) {
        sb_release(&sb);
        env->call_err = err;
        return cv_call_fail(c, "include failed");
    }
    return str_result(c, &sb);
}

/* tpl TEXT VALUES: parse TEXT as "gotpl" in a clone of the current set */
static cval *fn_tpl(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    tmpl_env *env = c->env;
    const cval *text = argv[0];
    tmpl_set *child = tmpl_set_new(c->a, env->set);
    char *msg;
    int line;
    strbuf q = STRBUF_INIT;
    gofmt_quote(&q, text->u.str.s, text->u.str.len);
    char *quoted = arena_strndup(c->a, sb_str(&q), q.len);
    sb_release(&q);
    /* the text must outlive the render: it lives in c->a already */
    if (tmpl_parse_into(child, "gotpl", text->u.str.s, text->u.str.len, tmpl_env_hasfn, env, &msg, &line)) {
        env->call_err = terr_plain(c->a, arena_printf(c->a, "cannot parse template %s: ", quoted),
                                   terr_plain(c->a, msg, NULL));
        return cv_call_fail(c, "cannot parse template %s: %s", quoted, msg);
    }
    tmpl_set *saved = env->set;
    env->set = child;
    strbuf sb = STRBUF_INIT;
    terr *err = NULL;
    cval *dot = argv[1]->kind == CV_NIL ? cv_novalue() : argv[1];
    int rc = tmpl_exec_named(env, "gotpl", dot, &sb, &err);
    env->set = saved;
    if (rc) {
        sb_release(&sb);
        env->call_err = terr_plain(c->a, arena_printf(c->a, "error during tpl function execution for %s: ", quoted), err);
        return cv_call_fail(c, "error during tpl function execution");
    }
    tmpl_strip_novalue(&sb);
    return str_result(c, &sb);
}

static cval *warn_fail(cv_call *c, const char *msg)
{
    return cv_call_fail(c, "HELM_ERR_START%sHELM_ERR_END", msg);
}

/* required WARN VAL */
static cval *fn_required(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    const tmpl_opts *o = tmpl_call_opts(c);
    cval *v = argv[1];
    if (v->kind == CV_NIL || (v->kind == CV_STRING && v->u.str.len == 0)) {
        if (o && o->lint_mode)
            return cv_string_ref(c->a, "", 0);
        return warn_fail(c, argv[0]->u.str.s);
    }
    return v;
}

/* fail MSG (overrides Sprig's) */
static cval *fn_fail(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    const tmpl_opts *o = tmpl_call_opts(c);
    if (o && o->lint_mode)
        return cv_string_ref(c->a, "", 0);
    return warn_fail(c, argv[0]->u.str.s);
}

static void trim_nl(strbuf *sb)
{
    if (sb->len && sb->buf[sb->len - 1] == '\n')
        sb_setlen(sb, sb->len - 1);
}

static cval *to_yaml(cv_call *c, cval *v, bool must)
{
    strbuf sb = STRBUF_INIT;
    cap_err e = CAP_ERR_INIT;
    if (yaml_emit(&sb, v, &e)) {
        sb_release(&sb);
        if (must) {
            cval *r = cv_call_fail(c, "%s", e.msg ? e.msg : "yaml: error");
            cap_err_clear(&e);
            return r;
        }
        cap_err_clear(&e);
        return cv_string_ref(c->a, "", 0);
    }
    trim_nl(&sb);
    return str_result(c, &sb);
}

static cval *fn_to_yaml(cv_call *c, int argc, cval **argv) { (void)argc; return to_yaml(c, argv[0], false); }
static cval *fn_must_to_yaml(cv_call *c, int argc, cval **argv) { (void)argc; return to_yaml(c, argv[0], true); }


/* ---- toYamlPretty: go-yaml v3's Encoder with SetIndent(2), on the value
 * itself (no JSON step): sequences indented under their key, floats as Go's
 * %g (1e+06), no line folding. Scalars are styled as go-yaml would: we let
 * the toYaml emitter pick the style of each string and undo its folding. */

static int yp_isdigit(unsigned c) { return c >= '0' && c <= '9'; }
static int yp_isletter(unsigned c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z' ? 1 : c >= 0x80; }

/* go-yaml's sorter.go keyList.Less on strings (natural order of digit runs) */
static bool yp_key_less(const char *a, size_t an_, const char *b, size_t bn_)
{
    const unsigned char *ar = (const unsigned char *)a, *br = (const unsigned char *)b;
    bool digits = false;
    for (size_t i = 0; i < an_ && i < bn_; i++) {
        if (ar[i] == br[i]) {
            digits = yp_isdigit(ar[i]);
            continue;
        }
        int al = yp_isletter(ar[i]), bl = yp_isletter(br[i]);
        if (al && bl)
            return ar[i] < br[i];
        if (al || bl) {
            if (digits)
                return al;
            return bl;
        }
        long long an = 0, bn = 0;
        size_t ai, bi;
        if (ar[i] == '0' || br[i] == '0') {
            for (size_t j = i; j-- > 0 && yp_isdigit(ar[j]);)
                if (ar[j] != '0') {
                    an = 1;
                    bn = 1;
                    break;
                }
        }
        for (ai = i; ai < an_ && yp_isdigit(ar[ai]); ai++)
            an = an * 10 + (ar[ai] - '0');
        for (bi = i; bi < bn_ && yp_isdigit(br[bi]); bi++)
            bn = bn * 10 + (br[bi] - '0');
        if (an != bn)
            return an < bn;
        if (ai != bi)
            return ai < bi;
        return ar[i] < br[i];
    }
    return an_ < bn_;
}

static void yp_indent(strbuf *out, int n) { sb_addrep(out, ' ', (size_t)n); }

/* One string scalar. Single-line: appended as is. Multi-line (a literal
 * block): header appended, body lines re-indented to `indent`. */
/* Can go-yaml v3 write s as a literal block? (libyaml's analysis, with tab
 * printable as in the Go port: no trailing space, no space before a line
 * break, no control characters, valid UTF-8) */
static bool yp_literal_ok(const char *s, size_t n)
{
    if (n && s[n - 1] == ' ')
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' && i + 1 < n && s[i + 1] == '\n')
            return false;
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
            return false;
    }
    return yaml_utf8_valid(s, n);
}

static void yp_literal(strbuf *out, const char *s, size_t n, int indent)
{
    size_t trail = 0;
    while (trail < n && s[n - 1 - trail] == '\n')
        trail++;
    sb_addc(out, '|');
    if (n && (s[0] == ' ' || s[0] == '\n'))
        sb_addc(out, '2');
    if (trail == 0)
        sb_addc(out, '-');
    else if (trail > 1 || trail == n)
        sb_addc(out, '+');
    size_t body = trail == 1 ? n - 1 : n; /* clip: the one final break is the header's business */
    if (trail == 0)
        body = n;
    size_t i = 0;
    while (i < body) {
        const char *nl = memchr(s + i, '\n', body - i);
        size_t l = nl ? (size_t)(nl - (s + i)) : body - i;
        sb_addc(out, '\n');
        if (l) {
            yp_indent(out, indent);
            sb_add(out, s + i, l);
        }
        i += l + (nl ? 1 : 0);
    }
}

static void yp_string(strbuf *out, const char *s, size_t n, int indent)
{
    if (memchr(s, '\n', n) && yp_literal_ok(s, n)) {
        yp_literal(out, s, n, indent);
        return;
    }
    strbuf t = STRBUF_INIT;
    cap_err e = CAP_ERR_INIT;
    arena *a = arena_new();
    if (yaml_emit(&t, cv_string_ref(a, arena_strndup(a, s, n), n), &e)) {
        cap_err_clear(&e);
        sb_add(out, s, n);
        goto done;
    }
    if (t.len && t.buf[t.len - 1] == '\n')
        sb_setlen(&t, t.len - 1);
    if (t.len && t.buf[0] == '|') {
        /* literal block: "|-\n  line\n  line" */
        const char *p = t.buf, *end = t.buf + t.len;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        sb_add(out, p, nl ? (size_t)(nl - p) : (size_t)(end - p));
        while (nl && nl < end) {
            p = nl + 1;
            nl = memchr(p, '\n', (size_t)(end - p));
            size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
            sb_addc(out, '\n');
            if (l >= 2 && p[0] == ' ' && p[1] == ' ') {
                yp_indent(out, indent);
                sb_add(out, p + 2, l - 2);
            } else {
                sb_add(out, p, l);
            }
        }
        goto done;
    }
    if (!memchr(s, '\n', n) && memchr(t.buf, '\n', t.len)) {
        /* the toYaml emitter folded a long line; go-yaml v3 does not */
        if (t.buf[0] == '\'') {
            sb_addc(out, '\'');
            for (size_t i = 0; i < n; i++) {
                if (s[i] == '\'')
                    sb_addc(out, '\'');
                sb_addc(out, s[i]);
            }
            sb_addc(out, '\'');
        } else if (t.buf[0] == '"') {
            sb_add(out, t.buf, t.len); /* rare: left folded */
        } else {
            sb_add(out, s, n);
        }
        goto done;
    }
    sb_add(out, t.buf, t.len);
done:
    sb_release(&t);
    arena_free(a);
}

static bool yp_scalar(strbuf *out, const cval *v, int indent)
{
    switch (v->kind) {
    case CV_INVALID: case CV_NIL: sb_adds(out, "null"); return true;
    case CV_BOOL: sb_adds(out, v->u.b ? "true" : "false"); return true;
    case CV_INT: sb_addf(out, "%lld", (long long)v->u.i); return true;
    case CV_UINT: sb_addf(out, "%llu", (unsigned long long)v->u.u); return true;
    case CV_FLOAT:
        if (isnan(v->u.f))
            sb_adds(out, ".nan");
        else if (isinf(v->u.f))
            sb_adds(out, v->u.f > 0 ? ".inf" : "-.inf");
        else
            gofmt_float(out, v->u.f, 'g', -1);
        return true;
    case CV_STRING: case CV_BYTES: yp_string(out, v->u.str.s, v->u.str.len, indent); return true;
    case CV_OBJECT: sb_adds(out, "{}"); return true;
    case CV_LIST:
        if (cv_list_len(v) == 0) { sb_adds(out, "[]"); return true; }
        return false;
    case CV_MAP:
        if (cv_map_len(v) == 0) { sb_adds(out, "{}"); return true; }
        return false;
    }
    return true;
}

static void yp_node(strbuf *out, const cval *v, int indent, int depth);

static void yp_map(strbuf *out, const cval *m, int indent, bool first_inline, int depth)
{
    size_t n;
    const cv_entry *es = cv_map_sorted(m, &n);
    const cv_entry **order = malloc(n * sizeof *order);
    for (size_t i = 0; i < n; i++) { /* insertion sort into go-yaml order */
        size_t j = i;
        while (j > 0 && yp_key_less(es[i].key, es[i].keylen, order[j - 1]->key, order[j - 1]->keylen)) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = &es[i];
    }
    for (size_t i = 0; i < n; i++) {
        if (i > 0 || !first_inline)
            yp_indent(out, indent);
        strbuf k = STRBUF_INIT;
        yp_string(&k, order[i]->key, order[i]->keylen, indent + 2);
        if (k.len > 128) { /* too long for a simple key: "? key\n: value" */
            sb_adds(out, "? ");
            sb_add(out, k.buf, k.len);
            sb_addc(out, '\n');
            yp_indent(out, indent);
        } else {
            sb_add(out, sb_str(&k), k.len);
        }
        sb_release(&k);
        sb_addc(out, ':');
        const cval *v = order[i]->val;
        strbuf s = STRBUF_INIT;
        if (yp_scalar(&s, v, indent + 2)) {
            sb_addc(out, ' ');
            sb_add(out, s.buf, s.len);
            sb_addc(out, '\n');
        } else {
            sb_addc(out, '\n');
            yp_node(out, v, indent + 2, depth + 1);
        }
        sb_release(&s);
    }
    free(order);
}

static void yp_list(strbuf *out, const cval *l, int indent, bool first_inline, int depth)
{
    size_t n = cv_list_len(l);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 || !first_inline)
            yp_indent(out, indent);
        sb_adds(out, "- ");
        const cval *v = cv_list_get(l, i);
        strbuf s = STRBUF_INIT;
        if (yp_scalar(&s, v, indent + 2)) {
            sb_add(out, s.buf, s.len);
            sb_addc(out, '\n');
        } else if (v->kind == CV_MAP) {
            yp_map(out, v, indent + 2, true, depth + 1);
        } else {
            yp_list(out, v, indent + 2, true, depth + 1);
        }
        sb_release(&s);
    }
}

static void yp_node(strbuf *out, const cval *v, int indent, int depth)
{
    if (depth > 10000)
        return;
    if (v->kind == CV_MAP)
        yp_map(out, v, indent, false, depth);
    else
        yp_list(out, v, indent, false, depth);
}

static cval *fn_to_yaml_pretty(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    strbuf sb = STRBUF_INIT;
    if (!yp_scalar(&sb, argv[0], 2)) {
        sb_reset(&sb);
        yp_node(&sb, argv[0], 0, 0);
    } else {
        sb_addc(&sb, '\n');
    }
    trim_nl(&sb);
    return str_result(c, &sb);
}

static cval *to_json(cv_call *c, cval *v, bool must)
{
    strbuf sb = STRBUF_INIT;
    cap_err e = CAP_ERR_INIT;
    if (json_emit(&sb, v, 0, &e)) {
        sb_release(&sb);
        if (must) {
            cval *r = cv_call_fail(c, "%s", e.msg ? e.msg : "json: error");
            cap_err_clear(&e);
            return r;
        }
        cap_err_clear(&e);
        return cv_string_ref(c->a, "", 0);
    }
    return str_result(c, &sb);
}

static cval *fn_to_json(cv_call *c, int argc, cval **argv) { (void)argc; return to_json(c, argv[0], false); }
static cval *fn_must_to_json(cv_call *c, int argc, cval **argv) { (void)argc; return to_json(c, argv[0], true); }

static const char *kind_word(const cval *v)
{
    switch (v->kind) {
    case CV_LIST: return "array";
    case CV_MAP: return "object";
    case CV_STRING: return "string";
    case CV_BOOL: return "bool";
    default: return "number";
    }
}

/* from{Yaml,Json}[Array]: errors go into the result, as helm does */
static cval *from_doc(cv_call *c, const cval *s, bool yaml, bool array)
{
    cval *v = NULL;
    cap_err e = CAP_ERR_INIT;
    int rc = yaml ? yaml_parse(c->a, s->u.str.s, s->u.str.len, NULL, &v, &e)
                  : json_parse(c->a, s->u.str.s, s->u.str.len, NULL, &v, &e);
    const char *msg = NULL;
    if (rc) {
        msg = arena_strdup(c->a, e.msg ? e.msg : "error");
    } else if (v && v->kind != CV_NIL && v->kind != (array ? CV_LIST : CV_MAP)) {
        msg = arena_printf(c->a, "%sjson: cannot unmarshal %s into Go value of type %s",
                           yaml ? "error unmarshaling JSON: while decoding JSON: " : "", kind_word(v),
                           array ? "[]interface {}" : "map[string]interface {}");
    }
    cap_err_clear(&e);
    if (array) {
        if (msg) {
            cval *l = cv_list_new(c->a, 1);
            cv_list_push(l, cv_cstring(c->a, msg));
            return l;
        }
        return v && v->kind == CV_LIST ? v : cv_list_new(c->a, 0);
    }
    cval *m = v && v->kind == CV_MAP && !msg ? v : cv_map_new(c->a);
    if (msg)
        cv_map_set(m, "Error", cv_cstring(c->a, msg));
    return m;
}

static cval *fn_from_yaml(cv_call *c, int argc, cval **argv) { (void)argc; return from_doc(c, argv[0], true, false); }
static cval *fn_from_yaml_array(cv_call *c, int argc, cval **argv) { (void)argc; return from_doc(c, argv[0], true, true); }
static cval *fn_from_json(cv_call *c, int argc, cval **argv) { (void)argc; return from_doc(c, argv[0], false, false); }
static cval *fn_from_json_array(cv_call *c, int argc, cval **argv) { (void)argc; return from_doc(c, argv[0], false, true); }

/* toToml: the encoder's error message in place of the document */
static cval *fn_to_toml(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    strbuf sb = STRBUF_INIT;
    cap_err e = CAP_ERR_INIT;
    if (toml_emit(&sb, argv[0], &e)) {
        sb_reset(&sb);
        sb_adds(&sb, e.msg ? e.msg : "toml: error");
    }
    cap_err_clear(&e);
    return str_result(c, &sb);
}

/* fromToml: errors into the map's "Error" key */
static cval *fn_from_toml(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    cval *m = NULL;
    cap_err e = CAP_ERR_INIT;
    if (toml_parse(c->a, argv[0]->u.str.s, argv[0]->u.str.len, NULL, &m, &e)) {
        if (!m || m->kind != CV_MAP)
            m = cv_map_new(c->a);
        cv_map_set(m, "Error", cv_cstring(c->a, e.msg ? e.msg : "toml: error"));
    }
    cap_err_clear(&e);
    return m ? m : cv_map_new(c->a);
}

/* lookup API-VERSION KIND NAMESPACE NAME */
static cval *fn_lookup(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    const tmpl_opts *o = tmpl_call_opts(c);
    if (!o || !o->lookup || o->lint_mode)
        return cv_map_new(c->a);
    char *err = NULL;
    cval *r = o->lookup(o->lookup_ctx, c->a, argv[0]->u.str.s, argv[1]->u.str.s, argv[2]->u.str.s,
                        argv[3]->u.str.s, &err);
    if (!r)
        return cv_call_fail(c, "%s", err ? err : "lookup failed");
    return r;
}

/* getHostByName: helm template without --enable-dns returns "" */
static cval *fn_get_host_by_name(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    (void)argv;
    return cv_string_ref(c->a, "", 0);
}

const cv_fnreg fn_helm_table[] = {
    { "getHostByName", fn_get_host_by_name, "s" },
    { "include", fn_include, "sv" },
    { "tpl", fn_tpl, "sv" },
    { "required", fn_required, "sv" },
    { "fail", fn_fail, "s" },
    { "toYaml", fn_to_yaml, "v" },
    { "mustToYaml", fn_must_to_yaml, "v" },
    { "toYamlPretty", fn_to_yaml_pretty, "v" },
    { "fromYaml", fn_from_yaml, "s" },
    { "fromYamlArray", fn_from_yaml_array, "s" },
    { "toJson", fn_to_json, "v" },
    { "mustToJson", fn_must_to_json, "v" },
    { "fromJson", fn_from_json, "s" },
    { "fromJsonArray", fn_from_json_array, "s" },
    { "lookup", fn_lookup, "ssss" },
    { "toToml", fn_to_toml, "v" },
    { "fromToml", fn_from_toml, "s" },
    { NULL, NULL, NULL },
};
