/* fn_semver.c — Sprig's semver and semverCompare (Masterminds/semver v3.4.0).
 * `semver` returns a *semver.Version object whose methods are those of
 * Masterminds' type (Major, Minor, Patch, Prerelease, Metadata, Original,
 * String, IncMajor/IncMinor/IncPatch, SetPrerelease/SetMetadata, Compare,
 * Equal, LessThan, ...). */
#include <stdlib.h>
#include <string.h>

#include "core/value.h"
#include "core/semver.h"
#include "core/strbuf.h"
#include "renderer/engine/tmpl_exec.h"

const cv_class fn_semver_ptr_class;
const cv_class fn_semver_val_class;

static cval *wrap(arena *a, const cv_class *cls, const semver_version *v)
{
    semver_version *p = arena_alloc(a, sizeof *p);
    *p = *v;
    return cv_object(a, cls, p);
}

static void fmt_version(strbuf *out, void *self)
{
    const semver_version *v = self;
    sb_addf(out, "%llu.%llu.%llu", (unsigned long long)v->major, (unsigned long long)v->minor,
            (unsigned long long)v->patch);
    if (*v->pre)
        sb_addf(out, "-%s", v->pre);
    if (*v->metadata)
        sb_addf(out, "+%s", v->metadata);
}

static const semver_version *self_of(cv_call *c) { return c->self; }

static cval *m_string(cv_call *c, int argc, cval **argv)
{
    (void)argc, (void)argv;
    return cv_cstring(c->a, semver_string(c->a, self_of(c)));
}
static cval *m_original(cv_call *c, int argc, cval **argv)
{
    (void)argc, (void)argv;
    return cv_cstring(c->a, self_of(c)->original);
}
static cval *m_major(cv_call *c, int argc, cval **argv)
{
    (void)argc, (void)argv;
    return cv_uint(c->a, self_of(c)->major, NULL);
}
static cval *m_minor(cv_call *c, int argc, cval **argv)
{
    (void)argc, (void)argv;
    return cv_uint(c->a, self_of(c)->minor, NULL);
}
static cval *m_patch(cv_call *c, int argc, cval **argv)
{
    (void)argc, (void)argv;
    return cv_uint(c->a, self_of(c)->patch, NULL);
}
static cval *m_pre(cv_call *c, int argc, cval **argv)
{
    (void)argc, (void)argv;
    return cv_cstring(c->a, self_of(c)->pre);
}
static cval *m_meta(cv_call *c, int argc, cval **argv)
{
    (void)argc, (void)argv;
    return cv_cstring(c->a, self_of(c)->metadata);
}

/* originalVPrefix() + String() */
static void set_original(arena *a, const semver_version *from, semver_version *v)
{
    const char *s = semver_string(a, v);
    v->original = from->original && from->original[0] == 'v' ? arena_printf(a, "v%s", s) : s;
}

static cval *inc(cv_call *c, int which)
{
    semver_version v = *self_of(c);
    if (which == 0) {
        if (!*v.pre)
            v.patch++;
    } else if (which == 1) {
        v.minor++;
        v.patch = 0;
    } else {
        v.major++;
        v.minor = v.patch = 0;
    }
    v.pre = v.metadata = "";
    set_original(c->a, self_of(c), &v);
    return wrap(c->a, &fn_semver_val_class, &v);
}
static cval *m_incpatch(cv_call *c, int argc, cval **argv) { (void)argc, (void)argv; return inc(c, 0); }
static cval *m_incminor(cv_call *c, int argc, cval **argv) { (void)argc, (void)argv; return inc(c, 1); }
static cval *m_incmajor(cv_call *c, int argc, cval **argv) { (void)argc, (void)argv; return inc(c, 2); }

static bool valid_dotted(const char *s, bool pre, const char **err)
{
    const char *p = s;
    while (1) {
        size_t n = strcspn(p, ".");
        bool num = n > 0;
        for (size_t i = 0; i < n; i++) {
            char ch = p[i];
            if (!(ch >= '0' && ch <= '9'))
                num = false;
            if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  ch == '-')) {
                *err = pre ? "invalid prerelease string" : "invalid metadata string";
                return false;
            }
        }
        if (n == 0) {
            *err = pre ? "invalid prerelease string" : "invalid metadata string";
            return false;
        }
        if (pre && num && n > 1 && p[0] == '0') {
            *err = "version segment starts with 0";
            return false;
        }
        p += n;
        if (!*p)
            return true;
        p++;
    }
}

static cval *set_part(cv_call *c, cval *arg, bool pre)
{
    semver_version v = *self_of(c);
    const char *s = arg->u.str.s, *err;
    if (*s && !valid_dotted(s, pre, &err))
        return cv_call_fail(c, "%s", err);
    if (pre)
        v.pre = arena_strdup(c->a, s);
    else
        v.metadata = arena_strdup(c->a, s);
    set_original(c->a, self_of(c), &v);
    return wrap(c->a, &fn_semver_val_class, &v);
}
static cval *m_setpre(cv_call *c, int argc, cval **argv) { (void)argc; return set_part(c, argv[0], true); }
static cval *m_setmeta(cv_call *c, int argc, cval **argv) { (void)argc; return set_part(c, argv[0], false); }

static const semver_version *other(cv_call *c, cval *o)
{
    if (!cv_is(o, CV_OBJECT) || (o->u.obj.cls != &fn_semver_ptr_class)) {
        cv_call_fail(c, "wrong type for value; expected *semver.Version; got %s", cv_gotype(o));
        return NULL;
    }
    return o->u.obj.self;
}

static cval *cmp_method(cv_call *c, cval *o, int mode)
{
    const semver_version *w = other(c, o);
    if (!w)
        return NULL;
    int d = semver_compare(self_of(c), w);
    switch (mode) {
    case 0: return cv_bool(d < 0);
    case 1: return cv_bool(d <= 0);
    case 2: return cv_bool(d > 0);
    case 3: return cv_bool(d >= 0);
    case 4: return cv_bool(d == 0);
    default: return cv_goint(c->a, d);
    }
}
static cval *m_lt(cv_call *c, int argc, cval **argv) { (void)argc; return cmp_method(c, argv[0], 0); }
static cval *m_le(cv_call *c, int argc, cval **argv) { (void)argc; return cmp_method(c, argv[0], 1); }
static cval *m_gt(cv_call *c, int argc, cval **argv) { (void)argc; return cmp_method(c, argv[0], 2); }
static cval *m_ge(cv_call *c, int argc, cval **argv) { (void)argc; return cmp_method(c, argv[0], 3); }
static cval *m_eq(cv_call *c, int argc, cval **argv) { (void)argc; return cmp_method(c, argv[0], 4); }
static cval *m_cmp(cv_call *c, int argc, cval **argv) { (void)argc; return cmp_method(c, argv[0], 5); }

static cval *m_marshal_json(cv_call *c, int argc, cval **argv)
{
    (void)argc, (void)argv;
    const char *s = semver_string(c->a, self_of(c));
    char *j = arena_printf(c->a, "\"%s\"", s); /* versions hold no characters JSON escapes */
    return cv_bytes(c->a, j, strlen(j));
}
static cval *m_marshal_text(cv_call *c, int argc, cval **argv)
{
    (void)argc, (void)argv;
    const char *s = semver_string(c->a, self_of(c));
    return cv_bytes(c->a, s, strlen(s));
}

/* Methods of the value type semver.Version (value receivers only). */
#define VALUE_METHODS                                                                            \
    {"IncMajor", m_incmajor, ""}, {"IncMinor", m_incminor, ""}, {"IncPatch", m_incpatch, ""},    \
    {"Major", m_major, ""}, {"MarshalJSON", m_marshal_json, ""},                                 \
    {"MarshalText", m_marshal_text, ""}, {"Metadata", m_meta, ""}, {"Minor", m_minor, ""},       \
    {"Patch", m_patch, ""}, {"Prerelease", m_pre, ""}, {"SetMetadata", m_setmeta, "s"},          \
    {"SetPrerelease", m_setpre, "s"}, {"String", m_string, ""}

static const cv_fnreg ptr_methods[] = {
    VALUE_METHODS,
    {"Compare", m_cmp, "v"},
    {"Equal", m_eq, "v"},
    {"GreaterThan", m_gt, "v"},
    {"GreaterThanEqual", m_ge, "v"},
    {"LessThan", m_lt, "v"},
    {"LessThanEqual", m_le, "v"},
    {"Original", m_original, ""},
    {NULL, NULL, NULL},
};
static const cv_fnreg val_methods[] = {VALUE_METHODS, {NULL, NULL, NULL}};

const cv_class fn_semver_ptr_class = {"*semver.Version", "ptr", NULL, ptr_methods, fmt_version, NULL};
const cv_class fn_semver_val_class = {"semver.Version", "struct", NULL, val_methods, fmt_version, NULL};

/* semver(version string) (*Version, error) */
static cval *fn_semver(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    semver_version v;
    const char *err;
    if (semver_parse(c->a, argv[0]->u.str.s, &v, &err) < 0)
        return cv_call_fail(c, "%s", err);
    return wrap(c->a, &fn_semver_ptr_class, &v);
}

/* ---- the render's parsed constraints ---------------------------------------
 * Charts call semverCompare with the same few constraints again and again
 * (">=1.21-0" for each API version check); compiling Masterminds' grammar and
 * parsing the constraint each time was a quarter of a large chart's render.
 * A render keeps the compiled grammar and its last constraints, bounded in
 * number and key length, first in first out; owned by the render (freed with
 * its arena), used by its one executing thread, so without a lock. */
#define SV_CACHE_SLOTS 32
#define SV_CACHE_KEY_MAX 256

typedef struct sv_cache {
    semver_grammar *g;
    char *key[SV_CACHE_SLOTS];
    semver_constraints *cs[SV_CACHE_SLOTS];
    unsigned next;
} sv_cache;

static void sv_cache_free(void *p)
{
    sv_cache *k = p;
    for (size_t i = 0; i < SV_CACHE_SLOTS; i++) {
        free(k->key[i]);
        semver_constraints_free(k->cs[i]);
    }
    semver_grammar_free(k->g);
    free(k);
}

static void *sv_cache_make(void)
{
    sv_cache *k = calloc(1, sizeof *k);
    if (k)
        k->g = semver_grammar_new();
    return k;
}

/* The render's cache, made when first needed; NULL outside a render. */
static sv_cache *sv_cache_of(cv_call *c)
{
    tmpl_env *env = c->env;
    return tmpl_env_cache(env, env ? &env->semver_cache : NULL, sv_cache_make, sv_cache_free);
}

/* The parsed constraint s, from the cache (*owned false) or new (*owned true:
 * the caller frees it); NULL with *err when it does not parse. */
static semver_constraints *constraints_get(cv_call *c, const char *s, size_t len, bool *owned, const char **err)
{
    sv_cache *k = sv_cache_of(c);
    *owned = true;
    if (!k)
        return semver_constraints_parse(c->a, s, err);
    for (size_t i = 0; i < SV_CACHE_SLOTS && k->key[i]; i++)
        if (strcmp(k->key[i], s) == 0) {
            *owned = false;
            return k->cs[i];
        }
    semver_constraints *cs = semver_constraints_parse_with(k->g, c->a, s, err);
    char *key;
    if (cs && len <= SV_CACHE_KEY_MAX && (key = strdup(s)) != NULL) {
        free(k->key[k->next]);
        semver_constraints_free(k->cs[k->next]);
        k->key[k->next] = key;
        k->cs[k->next] = cs;
        k->next = (k->next + 1) % SV_CACHE_SLOTS;
        *owned = false;
    }
    return cs;
}

/* semverCompare(constraint, version string) (bool, error) */
static cval *fn_semver_compare(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    const char *err;
    bool owned;
    semver_constraints *cs = constraints_get(c, argv[0]->u.str.s, argv[0]->u.str.len, &owned, &err);
    if (!cs)
        return cv_call_fail(c, "%s", err);
    semver_version v;
    bool ok = false;
    int rc = semver_parse(c->a, argv[1]->u.str.s, &v, &err);
    if (rc == 0)
        ok = semver_constraints_check(cs, &v);
    if (owned)
        semver_constraints_free(cs);
    if (rc < 0)
        return cv_call_fail(c, "%s", err);
    return cv_bool(ok);
}

const cv_fnreg fn_semver_table[] = {
    {"semver", fn_semver, "s"},
    {"semverCompare", fn_semver_compare, "ss"},
    {NULL, NULL, NULL},
};
