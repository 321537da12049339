/* fn_dicts.c — Sprig's dict functions (dict.go), with dario.cat/mergo's
 * Merge / MergeWithOverwrite semantics for map[string]interface{} as Sprig
 * calls them, copystructure's deepCopy, and dig.
 *
 * Go ranges over maps in random order; where Sprig's answer depends on that
 * order (keys, values) we answer in sorted key order. */
#include <string.h>

#include "renderer/funcs/fn_sprig.h"
#include "renderer/funcs/fn_util.h"

#define MERGE_MAX_DEPTH 1000

/* A map[string]interface{} parameter converts a named map type (such as
 * common.Values) to the plain type; the map itself is shared. */
static cval *as_plain_map(cv_call *c, cval *m)
{
    if (!m->gotype)
        return m;
    cval *r = arena_alloc(c->a, sizeof *r);
    *r = *m;
    r->gotype = NULL;
    return r;
}

static cval *f_get(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    cval *v = cv_map_getn(argv[0], argv[1]->u.str.s, argv[1]->u.str.len);
    return v ? v : cv_string(c->a, "", 0);
}

static cval *f_set(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    cv_map_setn(argv[0], argv[1]->u.str.s, argv[1]->u.str.len, argv[2]);
    return as_plain_map(c, argv[0]);
}

static cval *f_unset(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    const char *k = argv[1]->u.str.s;
    if (strlen(k) == argv[1]->u.str.len)
        cv_map_delete(argv[0], k);
    return as_plain_map(c, argv[0]);
}

static cval *f_has_key(cv_call *c, int argc, cval **argv)
{
    (void)c; (void)argc;
    return cv_bool(cv_map_getn(argv[0], argv[1]->u.str.s, argv[1]->u.str.len) != NULL);
}

static cval *f_pluck(cv_call *c, int argc, cval **argv)
{
    cval *l = cv_list_new(c->a, (size_t)argc);
    for (int i = 1; i < argc; i++) {
        cval *v = cv_map_getn(argv[i], argv[0]->u.str.s, argv[0]->u.str.len);
        if (v)
            cv_list_push(l, v);
    }
    return l;
}

static cval *f_keys(cv_call *c, int argc, cval **argv)
{
    cval *l = cv_list_new(c->a, 0);
    l->gotype = "[]string";
    for (int i = 0; i < argc; i++) {
        size_t n;
        const cv_entry *e = cv_map_sorted(argv[i], &n);
        for (size_t k = 0; k < n; k++)
            cv_list_push(l, cv_string(c->a, e[k].key, e[k].keylen));
    }
    return l;
}

static cval *f_values(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    size_t n;
    const cv_entry *e = cv_map_sorted(argv[0], &n);
    cval *l = cv_list_new(c->a, n);
    for (size_t k = 0; k < n; k++)
        cv_list_push(l, e[k].val);
    return l;
}

static cval *f_pick(cv_call *c, int argc, cval **argv)
{
    cval *m = cv_map_new(c->a);
    for (int i = 1; i < argc; i++) {
        cval *v = cv_map_getn(argv[0], argv[i]->u.str.s, argv[i]->u.str.len);
        if (v)
            cv_map_setn(m, argv[i]->u.str.s, argv[i]->u.str.len, v);
    }
    return m;
}

static cval *f_omit(cv_call *c, int argc, cval **argv)
{
    cval *m = cv_map_new(c->a);
    size_t n;
    const cv_entry *e = cv_map_sorted(argv[0], &n);
    for (size_t k = 0; k < n; k++) {
        bool drop = false;
        for (int i = 1; i < argc && !drop; i++)
            drop = argv[i]->u.str.len == e[k].keylen && !memcmp(argv[i]->u.str.s, e[k].key, e[k].keylen);
        if (!drop)
            cv_map_setn(m, e[k].key, e[k].keylen, e[k].val);
    }
    return m;
}

static cval *f_dict(cv_call *c, int argc, cval **argv)
{
    cval *m = cv_map_new(c->a);
    for (int i = 0; i < argc; i += 2) {
        size_t kn;
        const char *k = fn_strval_a(c->a, argv[i], &kn);
        cv_map_setn(m, k, kn, i + 1 < argc ? argv[i + 1] : cv_string(c->a, "", 0));
    }
    return m;
}

/* mergo's deepMerge for two map[string]interface{} (see the file comment of
 * DESIGN: the rules below are mergo v1.0.1's, for interface{} elements):
 *   - a nil source value is copied only when overwriting;
 *   - a map source value is merged into a map destination value in place;
 *   - a destination value that is not "empty" (mergo's isEmptyValue) is kept
 *     when the source is a slice, or both are maps; otherwise
 *   - the source value replaces it when overwriting, or when the destination
 *     is absent or empty. */
static int merge_maps(arena *a, cval *dst, const cval *src, bool overwrite, int depth)
{
    if (depth > MERGE_MAX_DEPTH)
        return -1;
    size_t n;
    const cv_entry *sorted = cv_map_sorted(src, &n);
    /* copy the entries: dst may be src, and changes to dst reorder it */
    cv_entry *se = arena_alloc(a, (n ? n : 1) * sizeof *se);
    if (n)
        memcpy(se, sorted, n * sizeof *se);
    for (size_t i = 0; i < n; i++) {
        const cv_entry *e = &se[i];
        cval *sv = e->val;
        cval *dv = cv_map_getn(dst, e->key, e->keylen);
        if (cv_is_nil(sv)) {
            if (overwrite)
                cv_map_setn(dst, e->key, e->keylen, cv_nil());
            continue;
        }
        if (sv->kind == CV_MAP && dv && dv->kind == CV_MAP && dv != sv) {
            if (merge_maps(a, dv, sv, overwrite, depth + 1) < 0)
                return -1;
        }
        if (dv && !fn_empty(dv)) {
            if (fn_is_slice(sv)) {
                if (overwrite)
                    cv_map_setn(dst, e->key, e->keylen, sv);
                continue;
            }
            if (sv->kind == CV_MAP && dv->kind == CV_MAP)
                continue;
        }
        if (overwrite || !dv || fn_empty(dv))
            cv_map_setn(dst, e->key, e->keylen, sv);
    }
    return 0;
}

static cval *merge_all(cv_call *c, int argc, cval **argv, bool overwrite, bool must)
{
    for (int i = 1; i < argc; i++) {
        if (merge_maps(c->a, argv[0], argv[i], overwrite, 0) < 0) {
            if (must)
                return cv_call_fail(c, "capstan: merge: maps nested more than %d deep", MERGE_MAX_DEPTH);
            return cv_string(c->a, "", 0);
        }
    }
    return as_plain_map(c, argv[0]);
}

static cval *f_merge(cv_call *c, int argc, cval **argv) { return merge_all(c, argc, argv, false, false); }
static cval *f_must_merge(cv_call *c, int argc, cval **argv) { return merge_all(c, argc, argv, false, true); }
static cval *f_merge_over(cv_call *c, int argc, cval **argv) { return merge_all(c, argc, argv, true, false); }
static cval *f_must_merge_over(cv_call *c, int argc, cval **argv) { return merge_all(c, argc, argv, true, true); }

static cval *f_deep_copy(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    if (cv_is_nil(argv[0]))
        return cv_call_fail(c, "reflect: call of reflect.Value.Type on zero Value");
    /* copystructure walks a map that contains itself until Go's stack runs
     * out; capstan says why instead. */
    cval *r = cv_deep_copy_acyclic(c->a, argv[0]);
    if (!r)
        return cv_call_fail(c, "capstan: %s: the value contains itself, so it has no finite copy", c->name);
    return r;
}

static const char *type_name(const cval *v)
{
    return cv_is_nil(v) ? "nil" : cv_gotype(v);
}

/* v.(map[string]interface{}) — only the exact type passes, as in Go. */
static bool plain_map(const cval *v)
{
    return v->kind == CV_MAP && (!v->gotype || !strcmp(v->gotype, "map[string]interface {}"));
}

static cval *f_dig(cv_call *c, int argc, cval **argv)
{
    if (argc < 3)
        return cv_call_fail(c, "dig needs at least three arguments");
    cval *d = argv[argc - 1], *def = argv[argc - 2];
    if (!plain_map(d))
        return cv_call_fail(c, "interface conversion: interface {} is %s, not map[string]interface {}", type_name(d));
    for (int i = 0; i < argc - 2; i++)
        if (!cv_is(argv[i], CV_STRING) || (argv[i]->gotype && strcmp(argv[i]->gotype, "string")))
            return cv_call_fail(c, "interface conversion: interface {} is %s, not string", type_name(argv[i]));
    for (int i = 0; i < argc - 2; i++) {
        cval *step = cv_map_getn(d, argv[i]->u.str.s, argv[i]->u.str.len);
        if (!step)
            return def;
        if (i == argc - 3)
            return step;
        if (!plain_map(step))
            return cv_call_fail(c, "interface conversion: interface {} is %s, not map[string]interface {}",
                                type_name(step));
        d = step;
    }
    return def;
}

const cv_fnreg fn_dicts_table[] = {
    {"dict", f_dict, "v*"},
    {"get", f_get, "ms"},
    {"set", f_set, "msv"},
    {"unset", f_unset, "ms"},
    {"hasKey", f_has_key, "ms"},
    {"pluck", f_pluck, "sm*"},
    {"keys", f_keys, "m*"},
    {"pick", f_pick, "ms*"},
    {"omit", f_omit, "ms*"},
    {"values", f_values, "m"},
    {"merge", f_merge, "mm*"},
    {"mustMerge", f_must_merge, "mm*"},
    {"mergeOverwrite", f_merge_over, "mm*"},
    {"mustMergeOverwrite", f_must_merge_over, "mm*"},
    {"deepCopy", f_deep_copy, "v"},
    {"mustDeepCopy", f_deep_copy, "v"},
    {"dig", f_dig, "v*"},
    {NULL, NULL, NULL},
};
