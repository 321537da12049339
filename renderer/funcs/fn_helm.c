/* fn_helm.c — Helm's own template functions (after helm v4 pkg/engine
 * engine.go and funcs.go): include, tpl, required, fail, toYaml, mustToYaml,
 * toYamlPretty, fromYaml, fromYamlArray, toJson, mustToJson, fromJson,
 * fromJsonArray, lookup. */
#include "renderer/engine/tmpl_exec.h"
#include "core/gofmt.h"
#include "core/json.h"
#include "core/toml.h"
#include "core/yaml.h"
#include "core/yaml_int.h"

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
    sb_grow(&sb, 240); /* what most helpers print, in one allocation */
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

/* %q of a tpl text, for its errors */
static const char *quote_text(cv_call *c, const cval *text)
{
    strbuf q = STRBUF_INIT;
    gofmt_quote(&q, text->u.str.s, text->u.str.len);
    char *quoted = arena_strndup(c->a, sb_str(&q), q.len);
    sb_release(&q);
    return quoted;
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
    /* the text must outlive the render: it lives in c->a already */
    if (tmpl_parse_into(child, "gotpl", text->u.str.s, text->u.str.len, tmpl_env_hasfn, env, &msg, &line)) {
        const char *quoted = quote_text(c, text);
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
        const char *quoted = quote_text(c, text);
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
        if (o && o->lint_mode) {
            if (o->log)
                o->log(o->log_ctx, "WARN", v->kind == CV_NIL ? "missing required value" : "missing required values",
                       argv[0]->u.str.s);
            return cv_string_ref(c->a, "", 0);
        }
        return warn_fail(c, argv[0]->u.str.s);
    }
    return v;
}

/* fail MSG (overrides Sprig's) */
static cval *fn_fail(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    const tmpl_opts *o = tmpl_call_opts(c);
    if (o && o->lint_mode) {
        if (o->log)
            o->log(o->log_ctx, "INFO", "funcMap fail", argv[0]->u.str.s);
        return cv_string_ref(c->a, "", 0);
    }
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


/* toYamlPretty: go-yaml v3's Encoder with SetIndent(2) on the value itself
 * (core/yaml_pretty.c), trimmed as toYaml is. */
static cval *fn_to_yaml_pretty(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    strbuf sb = STRBUF_INIT;
    cap_err e = CAP_ERR_INIT;
    if (yaml_emit_pretty(&sb, argv[0], &e)) {
        sb_release(&sb);
        cap_err_clear(&e);
        return cv_string_ref(c->a, "", 0);
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
        if (!v || v->kind == CV_NIL)
            return yaml ? cv_list_new(c->a, 0) : cv_nil_list(c->a); /* json "null": Go's nil slice */
        return v->kind == CV_LIST ? v : cv_list_new(c->a, 0);
    }
    if (!msg && !yaml && (!v || v->kind == CV_NIL))
        return cv_nil_map(c->a); /* json "null": Go's nil map */
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

/* getHostByName: Sprig's lookup with --enable-dns; without it helm returns "" */
static cval *fn_get_host_by_name(cv_call *c, int argc, cval **argv)
{
    const tmpl_opts *o = tmpl_call_opts(c);
    if (o && o->enable_dns)
        return fn_net_host_by_name(c, argc, argv);
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
