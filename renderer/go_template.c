/* go_template.c — helm's --template flags: Go's text/template over Go structs read
 * from JSON (go_template.h). */
#include "renderer/go_template.h"
#include "renderer/engine/tmpl.h"
#include "renderer/engine/tmpl_ast.h"
#include "renderer/engine/tmpl_exec.h"
#include "renderer/engine/tmpl_fnindex.h"

#include <string.h>

/* ---- Go structs over JSON maps ------------------------------------------------- */

typedef struct go_struct {
    const go_struct_type *type;
    const cval *json;
    cv_class cls;              /* the object's class: gotype is the struct's */
} go_struct;

/* Time.String() of an RFC 3339 time: "2026-01-02 15:04:05.5 +0000 UTC"; a fixed
 * offset prints twice, as Go names a zone it has no name for ("+0100 +0100"). */
static cval *go_time(arena *a, const char *rfc)
{
    size_t n = strlen(rfc);
    if (n < 20 || rfc[10] != 'T')
        return cv_cstring(a, rfc);
    const char *zone = rfc + 19;
    while (*zone == '.' || (*zone >= '0' && *zone <= '9'))
        zone++;
    const char *z = "+0000 UTC";
    if (*zone == '+' || *zone == '-') {
        char off[6] = {zone[0], zone[1], zone[2], zone[4], zone[5], 0};
        z = strcmp(off + 1, "0000") == 0 ? "+0000 +0000" : arena_printf(a, "%s %s", off, off);
    }
    return cv_cstring(a, arena_printf(a, "%.10s %.*s %s", rfc, (int)(zone - rfc - 11), rfc + 11, z));
}

static cval *zero_of(arena *a, const go_field *f)
{
    switch (f->kind) {
    case GF_STRING: {
        cval *t = cv_cstring(a, "");
        t->gotype = f->named;
        return t;
    }
    case GF_TIME: return cv_cstring(a, "0001-01-01 00:00:00 +0000 UTC");
    case GF_INT: return cv_int_typed(a, 0, "int");
    case GF_BOOL: return cv_false();
    case GF_STRUCT: return go_struct_new(a, f->sub, NULL);
    default: return cv_nil();
    }
}

static cval *field_of(arena *a, void *self, const char *name)
{
    go_struct *s = self;
    for (const go_field *f = s->type->fields; f->name; f++) {
        if (strcmp(f->name, name) != 0)
            continue;
        const cval *v = s->json && s->json->kind == CV_MAP ? cv_map_get(s->json, f->json) : NULL;
        if (!v || v->kind == CV_NIL)
            return zero_of(a, f);
        if (f->kind == GF_STRUCT)
            return go_struct_new(a, f->sub, v);
        if (f->kind == GF_STRUCTS && v->kind == CV_LIST) {
            size_t n = cv_list_len(v);
            cval *l = cv_list_new(a, n);
            l->gotype = arena_printf(a, "[]%s", f->sub->gotype);
            for (size_t i = 0; i < n; i++)
                cv_list_push(l, go_struct_new(a, f->sub, cv_list_get(v, i)));
            return l;
        }
        if (f->named && v->kind == CV_STRING) {
            cval *t = cv_string_ref(a, v->u.str.s, v->u.str.len);
            t->gotype = f->named;
            return t;
        }
        if (f->kind == GF_TIME && v->kind == CV_STRING)
            return go_time(a, v->u.str.s);
        if (f->kind == GF_INT && v->kind == CV_FLOAT)
            return cv_int_typed(a, (int64_t)v->u.f, "int");
        return (cval *)v;
    }
    return NULL;
}

/* %v of a struct value: its fields in braces, space-separated (the string ones; a
 * nested value prints as Go would not: {} ) */
static void format_struct(strbuf *out, void *self)
{
    go_struct *s = self;
    sb_addc(out, '{');
    for (const go_field *f = s->type->fields; f->name; f++) {
        if (f != s->type->fields)
            sb_addc(out, ' ');
        const cval *v = s->json && s->json->kind == CV_MAP ? cv_map_get(s->json, f->json) : NULL;
        if (v && v->kind == CV_STRING)
            sb_add(out, v->u.str.s, v->u.str.len);
    }
    sb_addc(out, '}');
}

cval *go_struct_new(arena *a, const go_struct_type *t, const cval *json)
{
    go_struct *s = arena_zalloc(a, sizeof *s);
    s->type = t;
    s->json = json;
    s->cls.gotype = t->gotype;
    s->cls.gokind = t->gotype[0] == '*' ? "ptr" : "struct";
    s->cls.field = field_of;
    if (t->gotype[0] != '*')
        s->cls.format = format_struct;
    return cv_object(a, &s->cls, json || t->gotype[0] != '*' ? s : NULL);
}

/* ---- helm's tpl data: map[string]interface{} ----------------------------------- */

cval *go_map_of(arena *a, const char *key, cval *value)
{
    cval *m = cv_map_new(a);
    cv_map_set(m, key, value);
    return m;
}

/* ---- execution --------------------------------------------------------------- */

typedef struct exec_job {
    arena *a;
    const char *text;
    cval *dot;
    strbuf *out;
    cap_err *e;
    int rc;
} exec_job;

static void exec_run(void *arg, size_t budget)
{
    exec_job *j = arg;
    char base;
    static const tmpl_opts none = {0};
    static const cv_fnreg *const builtins[] = {tmpl_builtins_table, NULL};
    tmpl_env *env = arena_zalloc(j->a, sizeof *env);
    env->a = j->a;
    env->opts = &none;
    env->fns = fn_index_new(j->a, builtins);
    env->set = tmpl_set_new(j->a, NULL);
    env->included = cv_map_new(j->a);
    env->stack_base = &base;
    env->stack_budget = budget;
    tmpl_env_start(env);
    char *msg = NULL;
    int line = 0;
    const char *text = arena_strdup(j->a, j->text);
    if (tmpl_parse_into(env->set, "_", text, strlen(text), tmpl_env_hasfn, env, &msg, &line) != 0) {
        j->rc = cap_err_set(j->e, "%s", msg);
        return;
    }
    terr *err = NULL;
    strbuf out = STRBUF_INIT;
    if (tmpl_exec_named(env, "_", j->dot, &out, &err) != 0) {
        strbuf m = STRBUF_INIT;
        terr_string(&m, err);
        j->rc = cap_err_set(j->e, "%s", sb_str(&m));
        sb_release(&m);
        /* Go has written what came before the error: so does helm */
        sb_add(j->out, out.buf, out.len);
    } else {
        sb_add(j->out, out.buf, out.len);
        j->rc = 0;
    }
    sb_release(&out);
}

int go_template_exec(arena *a, const char *text, cval *dot, strbuf *out, cap_err *e)
{
    exec_job j = {a, text, dot, out, e, -1};
    tmpl_with_stack(exec_run, &j);
    return j.rc;
}
