/* tmpl_exec.c — the executor of Go's text/template (after exec.go): walks the
 * node tree with Go's semantics for fields, maps, missing keys, variables,
 * if/with/range/break/continue, template calls, and function calls with Go's
 * argument conversions (driven by each function's sig; see funcs.h). */
#include "renderer/engine/tmpl_exec.h"
#include "core/gofmt.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_EXEC_DEPTH 100000  /* Go's maxExecDepth */

/* A value as reflect holds it: boxed says it sits in an interface{} (a map
 * or []interface{} element), which changes messages and nil handling.
 * v == NULL is Go's missingVal (no final argument). */
typedef struct xval {
    cval *v;
    bool boxed;
} xval;

static const xval MISSING = { NULL, false };

typedef struct tvar {
    const char *name;
    xval val;
    unsigned gen;  /* the arena generation it was declared in (see arena.h's marks) */
} tvar;

typedef struct xstate {
    tmpl_env *env;
    const tmpl_tree *tmpl;
    strbuf *out;
    const tnode *node;
    tvar *vars;      /* shared push-down stack; this invocation sees [vbase, nvars) */
    size_t *nvars;
    size_t *capvars;
    tvar **varsp;
    size_t vbase;
    int depth;
    terr *err;
    tvar *first_vars;  /* the stack's first buffer (on the C stack: not freed or realloc'd) */
} xstate;

enum { W_OK = 0, W_ERR = -1, W_BREAK = 1, W_CONTINUE = 2 };

static xval X(cval *v) { return (xval){ v, false }; }
static xval XB(cval *v) { return (xval){ v, true }; }

/* ---- errors ---- */

terr *terr_plain(arena *a, const char *msg, terr *cause)
{
    terr *e = arena_zalloc(a, sizeof *e);
    e->msg = msg;
    e->cause = cause;
    return e;
}

void terr_string(strbuf *out, const terr *e)
{
    for (; e; e = e->cause) {
        if (e->exec) {
            if (e->ctx)
                sb_addf(out, "template: %s: executing \"%s\" at <%s>: ", e->loc, e->name, e->ctx);
            else
                sb_addf(out, "template: %s: ", e->name);
        }
        sb_adds(out, e->msg);
    }
}

static int verrorf(xstate *s, terr *cause, const char *fmt, va_list ap)
{
    arena *a = s->env->a;
    terr *e = arena_zalloc(a, sizeof *e);
    strbuf sb = STRBUF_INIT;
    sb_vaddf(&sb, fmt, ap);
    e->exec = true;
    e->msg = arena_strndup(a, sb_str(&sb), sb.len);
    e->name = s->tmpl->name;
    e->cause = cause;
    if (s->node) {
        int line, col;
        tmpl_node_location(s->tmpl, s->node, &line, &col);
        e->loc = arena_printf(a, "%s:%d:%d", s->tmpl->parse_name, line, col);
        e->file = s->tmpl->parse_name;
        e->line = line;
        e->col = col;
        sb_reset(&sb);
        tmpl_node_string(&sb, s->node);
        e->ctx = arena_strndup(a, sb_str(&sb), sb.len);
    } else {
        e->file = s->tmpl->parse_name;
    }
    sb_release(&sb);
    s->err = e;
    return W_ERR;
}

static int xerrorf(xstate *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int xerrorf(xstate *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verrorf(s, NULL, fmt, ap);
    va_end(ap);
    return W_ERR;
}

static int xwrapf(xstate *s, terr *cause, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int xwrapf(xstate *s, terr *cause, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verrorf(s, cause, fmt, ap);
    va_end(ap);
    return W_ERR;
}

/* ---- stopping: cancel, and the render's memory and time limits ---- */

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void free_keep(void *p) { arena_free(p); }

static void free_once(void *p)
{
    tmpl_env *env = p;
    arena_free(env->once_nodes);
    free(env->once_lists);
}

void tmpl_env_start(tmpl_env *env)
{
    env->keep = arena_new();
    arena_defer(env->a, free_keep, env->keep);
    arena_defer(env->a, free_once, env);
    const tmpl_opts *o = env->opts;
    if (!o)
        return;
    arena_set_limit(env->a, o->max_memory);
    env->deadline_ns = o->timeout_ms ? now_ns() + (uint64_t)o->timeout_ms * 1000000u : 0;
}

/* "2 GiB", "512 MiB", "1000 bytes"; "5m", "30s", "1500ms" */
static const char *limit_message(arena *a, bool memory, uint64_t n)
{
    static const struct { uint64_t unit; const char *name; } mem[] = {
        {1ULL << 30, "GiB"}, {1ULL << 20, "MiB"}, {1ULL << 10, "KiB"}, {1, "bytes"}},
        tim[] = {{3600000, "h"}, {60000, "m"}, {1000, "s"}, {1, "ms"}};
    const char *sep = memory ? " " : "";
    for (size_t i = 0;; i++) {
        uint64_t unit = memory ? mem[i].unit : tim[i].unit;
        if (n % unit == 0)
            return arena_printf(a, "render exceeded the %s limit of %llu%s%s", memory ? "memory" : "time",
                                (unsigned long long)(n / unit), sep, memory ? mem[i].name : tim[i].name);
    }
}

/* The render's memory: what its arena and env->keep hold, and the output
 * being written */
static bool over_memory(const xstate *s)
{
    const tmpl_env *env = s->env;
    size_t lim = env->opts ? env->opts->max_memory : 0;
    if (!lim)
        return false;
    return arena_live(env->a) + (env->keep ? arena_live(env->keep) : 0) + s->out->len > lim;
}

/* Must the render stop? The caller's cancel (tmpl_opts.cancel) fails with
 * "render cancelled" where it is noticed; a limit fails with its own plain
 * message (env->stop), which no template error wraps. The clock is read every
 * 64th time. */
static int stop_check(xstate *s)
{
    tmpl_env *env = s->env;
    const atomic_bool *c = env->opts ? env->opts->cancel : NULL;
    if (c && atomic_load_explicit(c, memory_order_relaxed))
        return xerrorf(s, "render cancelled");
    if (!env->stop && over_memory(s))
        env->stop = limit_message(env->a, true, env->opts->max_memory);
    if (!env->stop && env->deadline_ns && (++env->ticks & 63) == 0 && now_ns() >= env->deadline_ns)
        env->stop = limit_message(env->a, false, env->opts->timeout_ms);
    if (env->stop)
        return xerrorf(s, "%s", env->stop);
    return 0;
}

static const char *node_str(xstate *s, const tnode *n)
{
    strbuf sb = STRBUF_INIT;
    tmpl_node_string(&sb, n);
    char *r = arena_strndup(s->env->a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return r;
}

static const char *val_str(xstate *s, const cval *v)
{
    strbuf sb = STRBUF_INIT;
    if (!v || v->kind == CV_INVALID)
        sb_adds(&sb, "<invalid reflect.Value>");
    else
        gofmt_value(&sb, v);
    char *r = arena_strndup(s->env->a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return r;
}

static const char *xtype(xval x)
{
    if (x.boxed)
        return "interface {}";
    return cv_gotype(x.v);
}

/* ---- variables ---- */

static void vpush(xstate *s, const char *name, xval v)
{
    if (*s->nvars == *s->capvars) {
        size_t ncap = *s->capvars ? *s->capvars * 2 : 32;
        tvar *nv = *s->varsp == s->first_vars ? malloc(ncap * sizeof(tvar)) : realloc(*s->varsp, ncap * sizeof(tvar));
        if (!nv)
            abort();
        if (*s->varsp == s->first_vars && *s->nvars)
            memcpy(nv, s->first_vars, *s->nvars * sizeof(tvar));
        *s->varsp = nv;
        *s->capvars = ncap;
    }
    (*s->varsp)[(*s->nvars)++] = (tvar){ name, v, arena_gen(s->env->a) };
}

/* A value made under an arena mark younger than the variable it is assigned
 * to must outlive that mark: a scalar or a string (immutable, so a copy is the
 * same value) is copied into env->keep, which no mark gives back; anything else
 * keeps the marks from giving back (arena.h). */
static cval *outlive(tmpl_env *env, unsigned gen, cval *v)
{
    arena *k = env->keep;
    switch (k ? v->kind : CV_OBJECT) {
    case CV_INVALID: case CV_NIL: case CV_BOOL: case CV_INT: case CV_UINT: case CV_FLOAT: {
        cval *c = arena_alloc(k, sizeof *c);
        *c = *v;
        return c;
    }
    case CV_STRING: case CV_BYTES: {
        cval *c = arena_alloc(k, sizeof *c);
        *c = *v;
        if (arena_gen_of(env->a, v->u.str.s) > gen)
            c->u.str.s = arena_strndup(k, v->u.str.s, v->u.str.len);
        return c;
    }
    default:
        arena_note_write(env->a, gen);
        return v;
    }
}

/* Variable names all begin with '$': the byte after it tells most apart
 * before strcmp is called ("$" has its NUL there). */
static inline bool same_var(const char *a, const char *b)
{
    return a[1] == b[1] && strcmp(a, b) == 0;
}

static int vset(xstate *s, const char *name, xval v)
{
    for (size_t i = *s->nvars; i-- > s->vbase;)
        if (same_var((*s->varsp)[i].name, name)) {
            tvar *t = &(*s->varsp)[i];
            if (t->gen < arena_gen(s->env->a) && v.v && arena_gen_of(s->env->a, v.v) > t->gen)
                v.v = outlive(s->env, t->gen, v.v);
            t->val = v;
            return 0;
        }
    return xerrorf(s, "undefined variable: %s", name);
}

static int vget(xstate *s, const char *name, xval *out)
{
    for (size_t i = *s->nvars; i-- > s->vbase;)
        if (same_var((*s->varsp)[i].name, name)) {
            *out = (*s->varsp)[i].val;
            return 0;
        }
    return xerrorf(s, "undefined variable: %s", name);
}

/* ---- truth ---- */

static bool is_true(xval x)
{
    if (!x.v)
        return false;
    return cv_truth(x.v);
}

/* indirectInterface: a boxed nil is invalid; a boxed value is itself */
static xval unbox(xval x)
{
    if (x.v && x.boxed) {
        if (x.v->kind == CV_NIL)
            return X(cv_novalue());
        return X(x.v);
    }
    if (x.v && x.v->kind == CV_NIL)
        return X(cv_novalue());
    return x;
}

/* ---- types of parameters ---- */

static const char *sig_type(char c)
{
    switch (c) {
    case 's': return "string";
    case 'b': return "bool";
    case 'i': return "int";
    case 'I': return "int64";
    case 'u': return "uint";
    case 'f': return "float64";
    case 'l': return "[]interface {}";
    case 'L': return "[]string";
    case 'm': return "map[string]interface {}";
    case 'B': return "[]uint8";
    case 'r': return "reflect.Value";
    default: return "interface {}";
    }
}

static bool can_be_nil(char c)
{
    return c == 'v' || c == 'l' || c == 'L' || c == 'm' || c == 'B' || c == 'r' || c == 0;
}

static bool gotype_is(const cval *v, const char *t)
{
    return v->gotype == NULL || strcmp(v->gotype, t) == 0;
}

static bool assignable(const cval *v, char c)
{
    switch (c) {
    case 's': return v->kind == CV_STRING && gotype_is(v, "string");
    case 'b': return v->kind == CV_BOOL;
    case 'i': return v->kind == CV_INT && v->gotype && strcmp(v->gotype, "int") == 0;
    case 'I': return v->kind == CV_INT && gotype_is(v, "int64");
    case 'u': return v->kind == CV_UINT && v->gotype && strcmp(v->gotype, "uint") == 0;
    case 'f': return v->kind == CV_FLOAT && gotype_is(v, "float64");
    case 'l': return v->kind == CV_LIST && gotype_is(v, "[]interface {}");
    case 'L': return v->kind == CV_LIST && v->gotype && strcmp(v->gotype, "[]string") == 0;
    case 'm': return v->kind == CV_MAP && (gotype_is(v, "map[string]interface {}") || strchr(v->gotype, '.'));
    case 'B': return v->kind == CV_BYTES;
    default: return true;
    }
}

static cval *nil_of(xstate *s, char c)
{
    switch (c) {
    case 'l': return cv_list_new(s->env->a, 0);
    case 'L': { cval *l = cv_list_new(s->env->a, 0); l->gotype = "[]string"; return l; }
    case 'm': return cv_map_new(s->env->a);
    case 'B': return cv_bytes(s->env->a, "", 0);
    default: return cv_nil();
    }
}

/* validateType: the value of an evaluated argument for a parameter of type c.
 * c == 0 means "no type" (a chain's receiver). 'r' is reflect.Value (builtins). */
static int validate(xstate *s, xval x, char c, xval *out)
{
    if (!x.v || x.v->kind == CV_INVALID || (!x.boxed && x.v->kind == CV_NIL)) {
        if (c == 0) {
            *out = X(cv_novalue());
            return 0;
        }
        if (c == 'r') {
            *out = X(cv_novalue());
            return 0;
        }
        if (can_be_nil(c)) {
            *out = X(nil_of(s, c));
            return 0;
        }
        return xerrorf(s, "invalid value; expected %s", sig_type(c));
    }
    if (c == 0 || c == 'r') {
        *out = x;
        return 0;
    }
    if (c == 'v') {
        *out = X(x.v); /* into an interface{} parameter: the function sees the value */
        return 0;
    }
    if (!x.boxed && assignable(x.v, c)) {
        *out = x;
        return 0;
    }
    if (x.boxed && x.v->kind != CV_NIL) {
        if (assignable(x.v, c)) {
            *out = X(x.v);
            return 0;
        }
        return xerrorf(s, "wrong type for value; expected %s; got %s", sig_type(c), cv_gotype(x.v));
    }
    return xerrorf(s, "wrong type for value; expected %s; got %s", sig_type(c), xtype(x));
}

/* ---- evaluation ---- */

static int eval_pipeline(xstate *s, xval dot, const tnode *pipe, xval *out);
static int eval_command(xstate *s, xval dot, const tnode *cmd, xval final, xval *out);
static int eval_field_chain(xstate *s, xval dot, xval recv, const tnode *node, const char **ident,
                            int n, const tnode *const *args, int nargs, xval final, xval *out);
static int eval_call(xstate *s, xval dot, const cv_fnreg *fn, int builtin, void *self, const tnode *node,
                     const char *name, const tnode *const *args, int nargs, xval final, xval *out);
static int walk(xstate *s, xval dot, const tnode *n);

static bool is_missing(xval x) { return x.v == NULL; }

static int not_a_function(xstate *s, const tnode *const *args, int nargs, xval final)
{
    if (nargs > 1 || !is_missing(final))
        return xerrorf(s, "can't give argument to non-function %s", node_str(s, args[0]));
    return 0;
}

static int ideal_constant_make(xstate *s, arena *a, const tnode *c, xval *out);

/* Where a value cached in node n is made: the arena of n's lazily parsed file
 * (that of the tree running, which n belongs to) when there is one (it has no
 * marks and lives as long as n), else the
 * render's, where no mark younger than n may give the value back (the trees
 * of files are older than all; tpl parses its trees under the caller's
 * marks), which keeps those marks from giving back anything. */
static arena *cache_arena(xstate *s, const tnode *n)
{
    if (s->tmpl->file)
        return s->tmpl->file->a;
    arena *a = s->env->a;
    if (arena_gen(a))
        arena_note_write(a, arena_gen_of(a, n));
    return a;
}

/* The value of a number constant, made once per node (values are immutable) */
static int ideal_constant(xstate *s, const tnode *c, xval *out)
{
    s->node = c;
    if (c->cache) {
        *out = X((cval *)c->cache);
        return 0;
    }
    if (ideal_constant_make(s, cache_arena(s, c), c, out))
        return W_ERR;
    ((tnode *)c)->cache = out->v;
    return 0;
}

static cval *string_const(xstate *s, const tnode *n)
{
    if (!n->kval) { /* a value's text ends with a NUL: one in the template's does not */
        arena *a = cache_arena(s, n);
        ((tnode *)n)->kval = n->flag & STR_IN_TEXT ? cv_string(a, n->s, n->len) : cv_string_ref(a, n->s, n->len);
    }
    return (cval *)n->kval;
}

static int ideal_constant_make(xstate *s, arena *a, const tnode *c, xval *out)
{
    const char *t = c->s;
    bool hexint = strlen(t) > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') && !strpbrk(t, "pP");
    if ((c->flag & NUM_FLOAT) && !hexint && t[0] != '\'' && strpbrk(t, ".eEpP")) {
        *out = X(cv_float(a, c->f));
        return 0;
    }
    if (c->flag & NUM_INT) {
        *out = X(cv_goint(a, c->i));
        return 0;
    }
    if (c->flag & NUM_UINT)
        return xerrorf(s, "%s overflows int", t);
    *out = X(cv_novalue());
    return 0;
}

static int eval_field_node(xstate *s, xval dot, const tnode *field, const tnode *const *args, int nargs,
                           xval final, xval *out)
{
    s->node = field;
    return eval_field_chain(s, dot, dot, field, field->idents, field->nidents, args, nargs, final, out);
}

static int eval_arg(xstate *s, xval dot, char c, const tnode *n, xval *out);

static int eval_chain_node(xstate *s, xval dot, const tnode *chain, const tnode *const *args, int nargs,
                           xval final, xval *out)
{
    s->node = chain;
    if (chain->nidents == 0)
        return xerrorf(s, "internal error: no fields in evalChainNode");
    if (chain->chain->type == TN_NIL)
        return xerrorf(s, "indirection through explicit nil in %s", node_str(s, chain));
    xval recv;
    if (eval_arg(s, dot, 0, chain->chain, &recv))
        return W_ERR;
    return eval_field_chain(s, dot, recv, chain, chain->idents, chain->nidents, args, nargs, final, out);
}

static int eval_variable_node(xstate *s, xval dot, const tnode *var, const tnode *const *args, int nargs,
                              xval final, xval *out)
{
    s->node = var;
    xval v;
    if (vget(s, var->idents[0], &v))
        return W_ERR;
    if (var->nidents == 1) {
        if (not_a_function(s, args, nargs, final))
            return W_ERR;
        *out = v;
        return 0;
    }
    return eval_field_chain(s, dot, v, var, var->idents + 1, var->nidents - 1, args, nargs, final, out);
}

static const cv_fnreg *find_method(const cv_class *cls, const char *name)
{
    if (!cls->methods)
        return NULL;
    for (const cv_fnreg *m = cls->methods; m->name; m++)
        if (strcmp(m->name, name) == 0)
            return m;
    return NULL;
}

static bool map_elem_is_iface(const cval *m)
{
    return m->gotype == NULL || strcmp(m->gotype, "map[string]interface {}") == 0 || strchr(m->gotype, '.') != NULL;
}

static int eval_field(xstate *s, xval dot, const char *name, const tnode *node, const tnode *const *args,
                      int nargs, xval final, xval recv, xval *out)
{
    bool strict = s->env->opts && s->env->opts->strict;
    if (!recv.v || recv.v->kind == CV_INVALID || (!recv.boxed && recv.v->kind == CV_NIL)) {
        if (strict)
            return xerrorf(s, "nil data; no entry for key \"%s\"", name);
        *out = X(cv_novalue());
        return 0;
    }
    const char *typ = xtype(recv);
    cval *r = recv.v;
    if (r->kind == CV_NIL)
        return xerrorf(s, "nil pointer evaluating %s.%s", typ, name);
    bool has_args = nargs > 1 || !is_missing(final);
    if (r->kind == CV_OBJECT) {
        const cv_class *cls = r->u.obj.cls;
        const cv_fnreg *m = find_method(cls, name);
        if (m)
            return eval_call(s, dot, m, 0, r->u.obj.self, node, name, args, nargs, final, out);
        if (r->u.obj.self == NULL && (!cls->gokind || strcmp(cls->gokind, "ptr") == 0))
            return xerrorf(s, "nil pointer evaluating %s.%s", typ, name);
        cval *f = cls->field ? cls->field(s->env->a, r->u.obj.self, name) : NULL;
        if (f) {
            if (has_args)
                return xerrorf(s, "%s has arguments but cannot be invoked as function", name);
            *out = X(f);
            return 0;
        }
        return xerrorf(s, "can't evaluate field %s in type %s", name, typ);
    }
    if (r->kind == CV_MAP) {
        if (has_args)
            return xerrorf(s, "%s is not a method but has arguments", name);
        cval *v = cv_map_get(r, name);
        bool iface = map_elem_is_iface(r);
        if (!v) {
            if (strict)
                return xerrorf(s, "map has no entry for key \"%s\"", name);
            if (iface) {
                *out = XB(cv_nil());
            } else if (r->gotype && strcmp(r->gotype, "map[string]string") == 0) {
                *out = X(cv_string_ref(s->env->a, "", 0));
            } else {
                *out = X(cv_novalue());
            }
            return 0;
        }
        *out = iface ? XB(v) : X(v);
        return 0;
    }
    return xerrorf(s, "can't evaluate field %s in type %s", name, typ);
}

static int eval_field_chain(xstate *s, xval dot, xval recv, const tnode *node, const char **ident,
                            int n, const tnode *const *args, int nargs, xval final, xval *out)
{
    for (int i = 0; i < n - 1; i++)
        if (eval_field(s, dot, ident[i], node, NULL, 0, MISSING, recv, &recv))
            return W_ERR;
    return eval_field(s, dot, ident[n - 1], node, args, nargs, final, recv, out);
}

static int eval_function(xstate *s, xval dot, const tnode *ident, const tnode *cmd, const tnode *const *args,
                         int nargs, xval final, xval *out)
{
    s->node = ident;
    tnode *id = (tnode *)ident;
    if (!id->cache) {
        int builtin = 0;
        id->cache = fn_index_find(s->env->fns, ident->s, ident->len, &builtin);
        id->builtin = builtin;
    }
    const cv_fnreg *fn = ident->cache;
    if (!fn)
        return xerrorf(s, "\"%s\" is not a defined function", ident->s);
    return eval_call(s, dot, fn, ident->builtin, NULL, cmd, ident->s, args, nargs, final, out);
}

static int eval_empty_interface(xstate *s, xval dot, const tnode *n, xval *out)
{
    s->node = n;
    switch (n->type) {
    case TN_BOOL: *out = X(cv_bool(n->flag)); return 0;
    case TN_DOT: *out = dot; return 0;
    case TN_FIELD: return eval_field_node(s, dot, n, NULL, 0, MISSING, out);
    case TN_IDENT: return eval_function(s, dot, n, n, NULL, 0, MISSING, out);
    case TN_NIL: return xerrorf(s, "evalEmptyInterface: nil (can't happen)");
    case TN_NUMBER: return ideal_constant(s, n, out);
    case TN_STRING: *out = X(string_const(s, n)); return 0;
    case TN_VAR: return eval_variable_node(s, dot, n, NULL, 0, MISSING, out);
    case TN_PIPE: return eval_pipeline(s, dot, n, out);
    }
    return xerrorf(s, "can't handle assignment of %s to empty interface argument", node_str(s, n));
}

static int eval_arg(xstate *s, xval dot, char c, const tnode *n, xval *out)
{
    s->node = n;
    xval v;
    const tnode *self[1] = { n };
    switch (n->type) {
    case TN_DOT: return validate(s, dot, c, out);
    case TN_NIL:
        if (can_be_nil(c) && c != 0) {
            *out = X(c == 'r' ? cv_novalue() : nil_of(s, c));
            return 0;
        }
        return xerrorf(s, "cannot assign nil to %s", sig_type(c));
    case TN_FIELD:
        if (eval_field_node(s, dot, n, self, 1, MISSING, &v))
            return W_ERR;
        return validate(s, v, c, out);
    case TN_VAR:
        if (eval_variable_node(s, dot, n, NULL, 0, MISSING, &v))
            return W_ERR;
        return validate(s, v, c, out);
    case TN_PIPE:
        if (eval_pipeline(s, dot, n, &v))
            return W_ERR;
        return validate(s, v, c, out);
    case TN_IDENT:
        if (eval_function(s, dot, n, n, NULL, 0, MISSING, &v))
            return W_ERR;
        return validate(s, v, c, out);
    case TN_CHAIN:
        if (eval_chain_node(s, dot, n, NULL, 0, MISSING, &v))
            return W_ERR;
        return validate(s, v, c, out);
    }
    arena *a = s->env->a;
    switch (c) {
    case 'b':
        if (n->type == TN_BOOL) { *out = X(cv_bool(n->flag)); return 0; }
        return xerrorf(s, "expected bool; found %s", node_str(s, n));
    case 'f':
        if (n->type == TN_NUMBER && (n->flag & NUM_FLOAT)) { *out = X(cv_float(a, n->f)); return 0; }
        return xerrorf(s, "expected float; found %s", node_str(s, n));
    case 'i': case 'I':
        if (n->type == TN_NUMBER && (n->flag & NUM_INT)) {
            *out = X(c == 'i' ? cv_goint(a, n->i) : cv_int(a, n->i));
            return 0;
        }
        return xerrorf(s, "expected integer; found %s", node_str(s, n));
    case 'u':
        if (n->type == TN_NUMBER && (n->flag & NUM_UINT)) { *out = X(cv_uint(a, n->u, "uint")); return 0; }
        return xerrorf(s, "expected unsigned integer; found %s", node_str(s, n));
    case 's':
        if (n->type == TN_STRING) { *out = X(string_const(s, n)); return 0; }
        return xerrorf(s, "expected string; found %s", node_str(s, n));
    case 'v': case 'r': case 0:
        return eval_empty_interface(s, dot, n, out);
    }
    return xerrorf(s, "can't handle %s for arg of type %s", node_str(s, n), sig_type(c));
}

/* sig helpers */
static int sig_params(const char *sig, bool *variadic)
{
    if (!sig) {
        *variadic = true;
        return 1;
    }
    size_t n = strlen(sig);
    *variadic = n > 0 && sig[n - 1] == '*';
    return (int)(*variadic ? n - 1 : n);
}

static char sig_at(const char *sig, int i) { return sig ? sig[i] : 'v'; }

static int call_fn(xstate *s, const cv_fnreg *fn, void *self, const tnode *node, const char *name,
                   int argc, cval **argv, xval *out)
{
    cv_call c = { s->env->a, s->env, self, name, NULL };
    s->env->call_err = NULL;
    cval *r = fn->fn(&c, argc, argv);
    if (r && over_memory(s) && stop_check(s))
        return W_ERR;
    if (!r) {
        s->node = node;
        terr *cause = s->env->call_err;
        s->env->call_err = NULL;
        if (!cause)
            cause = terr_plain(s->env->a, c.errmsg ? c.errmsg : "unknown error", NULL);
        return xwrapf(s, cause, "error calling %s: ", name);
    }
    *out = r->kind == CV_NIL ? XB(r) : X(r);
    return 0;
}

static int eval_call(xstate *s, xval dot, const cv_fnreg *fn, int builtin, void *self, const tnode *node,
                     const char *name, const tnode *const *args, int nargs, xval final, xval *out)
{
    if (args) {
        args++;
        nargs--;
    }
    bool variadic;
    int nparams = sig_params(fn->sig, &variadic);
    int num_in = nargs + (is_missing(final) ? 0 : 1);
    int num_fixed = nargs;
    if (variadic) {
        num_fixed = nparams - 1;
        if (num_in < num_fixed)
            return xerrorf(s, "wrong number of args for %s: want at least %d got %d", name, nparams - 1, nargs);
    } else if (num_in != nparams) {
        return xerrorf(s, "wrong number of args for %s: want %d got %d", name, nparams, num_in);
    }
    if (builtin && (strcmp(name, "and") == 0 || strcmp(name, "or") == 0)) {
        bool is_or = name[0] == 'o';
        xval v = X(cv_novalue());
        for (int i = 0; i < nargs; i++) {
            if (eval_arg(s, dot, 'r', args[i], &v))
                return W_ERR;
            if (is_true(unbox(v)) == is_or) {
                *out = v;
                return 0;
            }
        }
        if (!is_missing(final))
            v = final;
        *out = v;
        return 0;
    }
    cval *stackv[8];
    cval **argv = num_in <= 8 ? stackv : arena_alloc(s->env->a, (size_t)num_in * sizeof(cval *));
    int i = 0;
    xval v;
    for (; i < num_fixed && i < nargs; i++) {
        if (eval_arg(s, dot, sig_at(fn->sig, i), args[i], &v))
            return W_ERR;
        argv[i] = v.v;
    }
    if (variadic) {
        char c = sig_at(fn->sig, nparams - 1);
        for (; i < nargs; i++) {
            if (eval_arg(s, dot, c, args[i], &v))
                return W_ERR;
            argv[i] = v.v;
        }
    }
    if (!is_missing(final)) {
        char c = sig_at(fn->sig, nparams - 1);
        if (variadic && num_in - 1 < num_fixed)
            c = sig_at(fn->sig, num_in - 1);
        if (validate(s, final, c, &v))
            return W_ERR;
        argv[i] = v.v;
    }
    /* builtins with reflect.Value parameters want to know about boxed nils:
     * they arrive as CV_NIL / CV_INVALID, which is all they need. */
    if (builtin && strcmp(name, "call") == 0) {
        const char *callee = nargs == 0 ? val_str(s, final.v) : node_str(s, args[0]);
        cval *f = argv[0];
        s->node = node;
        if (!f || cv_is_nil(f))
            return xwrapf(s, terr_plain(s->env->a, "call of nil", NULL), "error calling call: ");
        return xwrapf(s, terr_plain(s->env->a, arena_printf(s->env->a, "non-function %s of type %s", callee,
                                                            cv_gotype(f)), NULL), "error calling call: ");
    }
    for (int k = 0; k < num_in; k++) {
        if (!argv[k])
            argv[k] = cv_nil();
        else if (argv[k]->kind == CV_OBJECT && argv[k]->u.obj.cls->as_value)
            argv[k] = cv_object(s->env->a, argv[k]->u.obj.cls->as_value, argv[k]->u.obj.self);
    }
    return call_fn(s, fn, self, node, name, num_in, argv, out);
}

static int eval_command(xstate *s, xval dot, const tnode *cmd, xval final, xval *out)
{
    const tnode *first = cmd->kids[0];
    const tnode *const *args = (const tnode *const *)cmd->kids;
    int nargs = cmd->nkids;
    switch (first->type) {
    case TN_FIELD: return eval_field_node(s, dot, first, args, nargs, final, out);
    case TN_CHAIN: return eval_chain_node(s, dot, first, args, nargs, final, out);
    case TN_IDENT: return eval_function(s, dot, first, cmd, args, nargs, final, out);
    case TN_PIPE:
        if (not_a_function(s, args, nargs, final))
            return W_ERR;
        return eval_pipeline(s, dot, first, out);
    case TN_VAR: return eval_variable_node(s, dot, first, args, nargs, final, out);
    }
    s->node = first;
    if (not_a_function(s, args, nargs, final))
        return W_ERR;
    switch (first->type) {
    case TN_BOOL: *out = X(cv_bool(first->flag)); return 0;
    case TN_DOT: *out = dot; return 0;
    case TN_NIL: return xerrorf(s, "nil is not a command");
    case TN_NUMBER: return ideal_constant(s, first, out);
    case TN_STRING: *out = X(string_const(s, first)); return 0;
    }
    return xerrorf(s, "can't evaluate command %s", node_str(s, first));
}

static int eval_pipeline(xstate *s, xval dot, const tnode *pipe, xval *out)
{
    if (!pipe) {
        *out = X(cv_novalue());
        return 0;
    }
    if (tmpl_stack_exhausted(s->env->stack_base, s->env->stack_budget)) {
        s->node = pipe;
        return xerrorf(s, "exceeded maximum template depth (%d)", MAX_EXEC_DEPTH);
    }
    s->node = pipe;
    xval value = MISSING;
    for (int i = 0; i < pipe->nkids; i++) {
        if (eval_command(s, dot, pipe->kids[i], value, &value))
            return W_ERR;
        if (value.boxed)
            value = unbox(value);
    }
    for (int i = 0; i < pipe->ndecl; i++) {
        if (pipe->flag) {
            if (vset(s, pipe->decl[i]->idents[0], value))
                return W_ERR;
        } else {
            vpush(s, pipe->decl[i]->idents[0], value);
        }
    }
    *out = value;
    return 0;
}

/* ---- walking ---- */

static int print_value(xstate *s, const tnode *n, xval v)
{
    s->node = n;
    v = unbox(v);
    if (!v.v || v.v->kind == CV_INVALID) {
        sb_adds(s->out, "<no value>");
        return 0;
    }
    if (v.v->kind == CV_STRING) {
        sb_add(s->out, v.v->u.str.s, v.v->u.str.len);
        return 0;
    }
    gofmt_value(s->out, v.v);
    return 0;
}

struct once_list {
    tnode *list;
    tnode lazy; /* the list's node as it was (its type's size of it) */
};

void tmpl_env_run_once(tmpl_env *env, const tmpl_tree *t)
{
    env->once = t;
    env->once_nodes = t && t->file ? arena_new() : NULL;
}

void tmpl_env_ran(tmpl_env *env)
{
    while (env->nonce > 0) { /* the latest first: a list forced inside another is in its nodes */
        struct once_list *o = &env->once_lists[--env->nonce];
        memcpy(o->list, &o->lazy, tmpl_node_size(TN_LIST));
    }
    arena_free(env->once_nodes);
    env->once_nodes = NULL;
    env->once = NULL;
}

/* Parse a lazy list when it first runs: into the file's arena, or, for the
 * tree that runs once, into its own (remembering the list as it was). */
static int force(xstate *s, tnode *list, char **msg)
{
    tmpl_env *env = s->env;
    if (!env->once_nodes || list->owner != env->once)
        return tmpl_list_force(list, msg);
    if (env->nonce == env->caponce) {
        size_t cap = env->caponce ? env->caponce * 2 : 64;
        struct once_list *v = realloc(env->once_lists, cap * sizeof *v);
        if (!v)
            return tmpl_list_force(list, msg);
        env->once_lists = v;
        env->caponce = cap;
    }
    struct once_list *o = &env->once_lists[env->nonce];
    o->list = list;
    memcpy(&o->lazy, list, tmpl_node_size(TN_LIST));
    if (tmpl_list_force_nodes(list, env->once_nodes, msg))
        return -1;
    env->nonce++;
    return 0;
}

static int walk_list(xstate *s, xval dot, const tnode *list)
{
    char *msg;
    if (list->flag && force(s, (tnode *)list, &msg)) /* parsed when first run */
        return xerrorf(s, "%s", msg);
    for (int i = 0; i < list->nkids; i++) {
        int rc = walk(s, dot, list->kids[i]);
        if (rc)
            return rc;
    }
    return 0;
}

static int walk_if_with(xstate *s, xval dot, const tnode *n)
{
    size_t mark = *s->nvars;
    xval val;
    int rc = eval_pipeline(s, dot, n->pipe, &val);
    if (rc == 0) {
        if (is_true(unbox(val)))
            rc = walk_list(s, n->type == TN_WITH ? val : dot, n->list);
        else if (n->elselist)
            rc = walk_list(s, dot, n->elselist);
    }
    *s->nvars = mark;
    return rc;
}


static int range_one(xstate *s, const tnode *r, size_t mark, xval index, xval elem)
{
    if (stop_check(s))
        return W_ERR;
    const tnode *pipe = r->pipe;
    tvar *vars = *s->varsp;
    if (pipe->ndecl > 0) {
        if (pipe->flag) {
            if (vset(s, pipe->decl[pipe->ndecl > 1 ? 0 : 0]->idents[0], pipe->ndecl > 1 ? index : elem))
                return W_ERR;
        } else {
            vars[*s->nvars - 1].val = elem;
        }
    }
    if (pipe->ndecl > 1) {
        if (pipe->flag) {
            if (vset(s, pipe->decl[1]->idents[0], elem))
                return W_ERR;
        } else {
            vars[*s->nvars - 2].val = index;
        }
    }
    size_t m2 = *s->nvars;
    int rc = walk_list(s, elem, r->list);
    *s->nvars = m2;
    (void)mark;
    if (rc == W_CONTINUE)
        rc = 0;
    return rc;
}

/* What range iterates over: an integer, a list, or a map's entries (a copy in
 * key order: the body may change the map). */
typedef struct range_src {
    const cval *v;
    const cv_entry *entries;
    bool iface; /* elements sit in an interface{} */
} range_src;

/* Iteration i under an arena mark: what the body made and dropped (its
 * element and index too) is given back when it ends. */
static int range_iter(xstate *s, const tnode *r, size_t mark, const range_src *src, uint64_t i)
{
    arena *a = s->env->a;
    const cval *v = src->v;
    arena_mark m;
    arena_mark_take(a, &m);
    xval index = X(cv_novalue()), elem;
    switch (v->kind) {
    case CV_INT: elem = X(cv_int_typed(a, (int64_t)i, v->gotype)); break;
    case CV_UINT: elem = X(cv_uint(a, i, v->gotype)); break;
    case CV_LIST:
        index = X(cv_goint(a, (int64_t)i));
        elem = src->iface ? XB(cv_list_get(v, i)) : X(cv_list_get(v, i));
        break;
    default: {
        const cv_entry *e = &src->entries[i];
        index = X(cv_string_ref(a, e->key, e->keylen));
        elem = src->iface ? XB(e->val) : X(e->val);
    }
    }
    int rc = range_one(s, r, mark, index, elem);
    arena_mark_end(a, &m, rc != W_ERR);
    return rc;
}

static int walk_range(xstate *s, xval dot, const tnode *r)
{
    s->node = r;
    size_t mark0 = *s->nvars;
    xval val;
    int rc = eval_pipeline(s, dot, r->pipe, &val);
    if (rc)
        goto done;
    val = unbox(val);
    size_t mark = *s->nvars;
    arena *a = s->env->a;
    cval *v = val.v;
    bool ran = false;
    cval *elems = cv_object_elements(a, s->env, v);
    if (elems)
        v = elems;
    range_src src = { v, NULL, false };
    switch (v->kind) {
    case CV_INT: case CV_UINT: {
        if (r->pipe->ndecl > 1) {
            rc = xerrorf(s, "can't use %s to iterate over more than one variable", val_str(s, v));
            goto done;
        }
        uint64_t n = v->kind == CV_INT ? (v->u.i > 0 ? (uint64_t)v->u.i : 0) : v->u.u;
        for (uint64_t i = 0; i < n && rc == 0; i++) {
            ran = true;
            rc = range_iter(s, r, mark, &src, i);
        }
        break;
    }
    case CV_LIST: {
        size_t n = cv_list_len(v);
        src.iface = gotype_is(v, "[]interface {}");
        for (size_t i = 0; i < n && i < cv_list_len(v) && rc == 0; i++) {
            ran = true;
            rc = range_iter(s, r, mark, &src, i);
        }
        break;
    }
    case CV_MAP: {
        size_t n;
        const cv_entry *es = cv_map_sorted(v, &n);
        if (n == 0)
            break;
        cv_entry *copy = arena_alloc(a, n * sizeof *copy);
        memcpy(copy, es, n * sizeof *copy);
        src.entries = copy;
        src.iface = map_elem_is_iface(v);
        for (size_t i = 0; i < n && rc == 0; i++) {
            ran = true;
            rc = range_iter(s, r, mark, &src, i);
        }
        break;
    }
    case CV_INVALID: case CV_NIL:
        break;
    default:
        rc = xerrorf(s, "range can't iterate over %s", val_str(s, v));
        goto done;
    }
    if (rc == W_BREAK)
        rc = 0;
    if (rc == 0 && !ran && r->elselist)
        rc = walk_list(s, dot, r->elselist);
done:
    *s->nvars = mark0;
    return rc;
}

static int exec_tree_in(xstate *parent, const tmpl_tree *t, xval dot, int depth);

static int walk_template(xstate *s, xval dot, const tnode *n)
{
    s->node = n;
    const tmpl_tree *t = tmpl_set_lookup(s->env->set, n->s, n->len);
    if (!t)
        return xerrorf(s, "template \"%s\" not defined", n->s);
    if (s->depth >= MAX_EXEC_DEPTH)
        return xerrorf(s, "exceeded maximum template depth (%d)", MAX_EXEC_DEPTH);
    xval d;
    if (eval_pipeline(s, dot, n->tpipe, &d))
        return W_ERR;
    return exec_tree_in(s, t, d, s->depth + 1);
}

static int walk(xstate *s, xval dot, const tnode *n)
{
    s->node = n;
    switch ((tn_type)n->type) {
    case TN_ACTION: {
        const tnode *cmd = n->pipe->nkids == 1 && n->pipe->ndecl == 0 ? n->pipe->kids[0] : NULL;
        if (cmd && cmd->nkids == 1 && cmd->kids[0]->type == TN_STRING) {
            /* {{ "text" }}, {{ `text` }}: the text as it is, with no value made
             * for it (dashboards print hundreds of kilobytes so) */
            s->node = n;
            sb_add(s->out, cmd->kids[0]->s, cmd->kids[0]->len);
            return 0;
        }
        xval v;
        if (eval_pipeline(s, dot, n->pipe, &v))
            return W_ERR;
        if (n->pipe->ndecl == 0)
            return print_value(s, n, v);
        return 0;
    }
    case TN_BREAK: return W_BREAK;
    case TN_CONTINUE: return W_CONTINUE;
    case TN_COMMENT: return 0;
    case TN_IF: case TN_WITH: return walk_if_with(s, dot, n);
    case TN_LIST: return walk_list(s, dot, n);
    case TN_RANGE: return walk_range(s, dot, n);
    case TN_TEMPLATE: return walk_template(s, dot, n);
    case TN_TEXT: sb_add(s->out, n->s, n->len); return 0;
    default: return xerrorf(s, "unknown node: %s", node_str(s, n));
    }
}

/* A template invocation: fresh variables ($ = dot) on the shared stack. */
static int exec_tree_in(xstate *parent, const tmpl_tree *t, xval dot, int depth)
{
    xstate st = *parent;
    st.tmpl = t;
    st.depth = depth;
    st.node = NULL;
    st.err = NULL;
    size_t mark = *st.nvars;
    st.vbase = mark;
    vpush(&st, "$", dot);
    int rc = W_OK;
    arena_mark m;
    arena_mark_take(st.env->a, &m);
    if (stop_check(&st)) {
        rc = W_ERR;
    } else if (!t->root) {
        rc = xerrorf(&st, "\"%s\" is an incomplete or empty template", t->name);
    } else {
        rc = walk(&st, dot, t->root);
        if (rc > 0)
            rc = 0; /* cannot happen: the parser checks break/continue */
    }
    *st.nvars = mark;
    /* what it made went to the output, unless it escaped (arena.h) or failed */
    arena_mark_end(st.env->a, &m, rc == 0);
    parent->err = st.err;
    return rc;
}

int tmpl_exec_tree(tmpl_env *env, const tmpl_tree *tree, cval *dot, strbuf *out, terr **err)
{
    tvar first[16]; /* most templates declare a few variables: no malloc for them */
    tvar *vars = first;
    size_t nvars = 0, capvars = sizeof first / sizeof first[0];
    xstate s = { 0 };
    s.env = env;
    s.tmpl = tree;
    s.out = out;
    s.nvars = &nvars;
    s.capvars = &capvars;
    s.varsp = &vars;
    s.first_vars = first;
    int rc = exec_tree_in(&s, tree, X(dot ? dot : cv_novalue()), 0);
    if (vars != first)
        free(vars);
    if (rc) {
        *err = s.err;
        return -1;
    }
    return 0;
}

int tmpl_exec_named(tmpl_env *env, const char *name, cval *dot, strbuf *out, terr **err)
{
    const tmpl_tree *t = tmpl_set_lookup(env->set, name, strlen(name));
    if (!t) {
        *err = terr_plain(env->a, arena_printf(env->a, "template: no template \"%s\" associated with template \"gotpl\"", name), NULL);
        return -1;
    }
    return tmpl_exec_tree(env, t, dot, out, err);
}

void *tmpl_env_cache(tmpl_env *env, void **slot, void *(*make)(void), void (*drop)(void *))
{
    if (!env)
        return NULL;
    if (!*slot) {
        void *k = make();
        if (!k)
            return NULL;
        arena_defer(env->a, drop, k);
        /* no current mark may give back the deferred free */
        arena_pin(env->a);
        *slot = k;
    }
    return *slot;
}

bool tmpl_env_hasfn(void *ctx, const char *name, size_t len)
{
    tmpl_env *env = ctx;
    int b;
    return fn_index_find(env->fns, name, len, &b) != NULL;
}

const tmpl_opts *tmpl_call_opts(const cv_call *c)
{
    return ((const tmpl_env *)c->env)->opts;
}

void tmpl_strip_novalue(strbuf *sb)
{
    static const char nv[] = "<no value>";
    const size_t n = sizeof nv - 1;
    if (!sb->buf)
        return;
    /* the first "<no value>", found by its '<' (memmem is slow on megabytes) */
    const char *first = NULL;
    for (const char *p = sb->buf, *end = sb->buf + sb->len; (p = memchr(p, '<', (size_t)(end - p))); p++)
        if ((size_t)(end - p) >= n && memcmp(p, nv, n) == 0) {
            first = p;
            break;
        }
    if (!first)
        return;
    size_t w = (size_t)(first - sb->buf), r = w;
    while (r < sb->len) {
        if (sb->len - r >= n && memcmp(sb->buf + r, nv, n) == 0) {
            r += n;
            continue;
        }
        sb->buf[w++] = sb->buf[r++];
    }
    sb_setlen(sb, w);
}
