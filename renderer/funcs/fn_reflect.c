/* fn_reflect.c — Sprig's reflect.go and deepEqual: Go's %T and reflect.Kind
 * names, and reflect.DeepEqual. */
#include <string.h>

#include "renderer/funcs/fn_sprig.h"
#include "renderer/funcs/fn_util.h"

static const char *type_of(const cval *v)
{
    return cv_is_nil(v) ? "<nil>" : cv_gotype(v);
}

static const char *kind_of(const cval *v)
{
    return cv_is_nil(v) ? "invalid" : cv_gokind(v);
}

static cval *f_type_of(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    return cv_cstring(c->a, type_of(argv[0]));
}

static cval *f_kind_of(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    return cv_cstring(c->a, kind_of(argv[0]));
}

static bool same(const cval *s, const char *name)
{
    return strlen(name) == s->u.str.len && !memcmp(s->u.str.s, name, s->u.str.len);
}

static cval *f_type_is(cv_call *c, int argc, cval **argv)
{
    (void)c; (void)argc;
    return cv_bool(same(argv[0], type_of(argv[1])));
}

static cval *f_type_is_like(cv_call *c, int argc, cval **argv)
{
    (void)c; (void)argc;
    const char *t = type_of(argv[1]);
    return cv_bool(same(argv[0], t) || (t[0] == '*' && strlen(t + 1) == argv[0]->u.str.len &&
                                        !memcmp(t + 1, argv[0]->u.str.s, argv[0]->u.str.len)));
}

static cval *f_kind_is(cv_call *c, int argc, cval **argv)
{
    (void)c; (void)argc;
    return cv_bool(same(argv[0], kind_of(argv[1])));
}

static cval *f_deep_equal(cv_call *c, int argc, cval **argv)
{
    (void)c; (void)argc;
    return cv_bool(cv_deep_equal(argv[0], argv[1]));
}

const cv_fnreg fn_reflect_table[] = {
    {"typeOf", f_type_of, "v"},
    {"typeIs", f_type_is, "sv"},
    {"typeIsLike", f_type_is_like, "sv"},
    {"kindOf", f_kind_of, "v"},
    {"kindIs", f_kind_is, "sv"},
    {"deepEqual", f_deep_equal, "vv"},
    {NULL, NULL, NULL},
};
