/* fn_defaults.c — Sprig's defaults.go: default, empty, coalesce, all, any,
 * ternary, fail, and the JSON functions Helm leaves to Sprig (toPrettyJson,
 * toRawJson, mustToPrettyJson, mustToRawJson, mustFromJson). Helm replaces
 * toJson, mustToJson and fromJson with its own (fn_helm). */
#include <string.h>

#include "renderer/funcs/fn_sprig.h"
#include "renderer/funcs/fn_util.h"
#include "core/json.h"

bool fn_empty(const cval *v)
{
    switch (v->kind) {
    case CV_INVALID:
    case CV_NIL: return true;
    case CV_BOOL: return !v->u.b;
    case CV_INT: return v->u.i == 0;
    case CV_UINT: return v->u.u == 0;
    case CV_FLOAT: return v->u.f == 0;
    case CV_STRING:
    case CV_BYTES: return v->u.str.len == 0;
    case CV_LIST: return cv_list_len(v) == 0;
    case CV_MAP: return cv_map_len(v) == 0;
    case CV_OBJECT: return false; /* a struct, or a non-nil pointer */
    }
    return true;
}

static cval *f_default(cv_call *c, int argc, cval **argv)
{
    (void)c;
    if (argc < 2 || fn_empty(argv[1]))
        return argv[0];
    return argv[1];
}

static cval *f_empty(cv_call *c, int argc, cval **argv)
{
    (void)c; (void)argc;
    return cv_bool(fn_empty(argv[0]));
}

static cval *f_coalesce(cv_call *c, int argc, cval **argv)
{
    (void)c;
    for (int i = 0; i < argc; i++)
        if (!fn_empty(argv[i]))
            return argv[i];
    return cv_nil();
}

static cval *f_all(cv_call *c, int argc, cval **argv)
{
    (void)c;
    for (int i = 0; i < argc; i++)
        if (fn_empty(argv[i]))
            return cv_false();
    return cv_true();
}

static cval *f_any(cv_call *c, int argc, cval **argv)
{
    (void)c;
    for (int i = 0; i < argc; i++)
        if (!fn_empty(argv[i]))
            return cv_true();
    return cv_false();
}

static cval *f_ternary(cv_call *c, int argc, cval **argv)
{
    (void)c; (void)argc;
    return argv[2]->u.b ? argv[0] : argv[1];
}

static cval *f_fail(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    return cv_call_fail(c, "%s", argv[0]->u.str.s);
}

/* pretty: MarshalIndent(v, "", "  "); raw: an Encoder without HTML escaping. */
static cval *to_json(cv_call *c, cval *v, bool pretty, bool must)
{
    strbuf sb = STRBUF_INIT;
    cap_err err = CAP_ERR_INIT;
    int rc = pretty ? json_emit_indent(&sb, v, "", "  ", 0, &err) : json_emit(&sb, v, JSON_RAW, &err);
    if (rc < 0) {
        sb_release(&sb);
        cval *r;
        if (must || !pretty) /* toRawJson panics with the error */
            r = cv_call_fail(c, "%s", err.msg ? err.msg : "json: error");
        else
            r = cv_string(c->a, "", 0);
        cap_err_clear(&err);
        return r;
    }
    cval *r = cv_string(c->a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return r;
}

static cval *f_to_pretty_json(cv_call *c, int argc, cval **argv) { (void)argc; return to_json(c, argv[0], true, false); }
static cval *f_must_to_pretty_json(cv_call *c, int argc, cval **argv) { (void)argc; return to_json(c, argv[0], true, true); }
static cval *f_to_raw_json(cv_call *c, int argc, cval **argv) { (void)argc; return to_json(c, argv[0], false, false); }
static cval *f_must_to_raw_json(cv_call *c, int argc, cval **argv) { (void)argc; return to_json(c, argv[0], false, true); }

static cval *f_must_from_json(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    cval *out = NULL;
    cap_err err = CAP_ERR_INIT;
    if (json_unmarshal(c->a, argv[0]->u.str.s, argv[0]->u.str.len, JSON_INTO_ANY, &out, &err) < 0) {
        cval *r = cv_call_fail(c, "%s", err.msg ? err.msg : "json: error");
        cap_err_clear(&err);
        return r;
    }
    return out ? out : cv_nil();
}

const cv_fnreg fn_defaults_table[] = {
    {"default", f_default, "vv*"},
    {"empty", f_empty, "v"},
    {"coalesce", f_coalesce, "v*"},
    {"all", f_all, "v*"},
    {"any", f_any, "v*"},
    {"ternary", f_ternary, "vvb"},
    {"fail", f_fail, "s"},
    {"toPrettyJson", f_to_pretty_json, "v"},
    {"mustToPrettyJson", f_must_to_pretty_json, "v"},
    {"toRawJson", f_to_raw_json, "v"},
    {"mustToRawJson", f_must_to_raw_json, "v"},
    {"mustFromJson", f_must_from_json, "s"},
    {NULL, NULL, NULL},
};
