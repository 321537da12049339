/* test_sprig_semver.c — semver and semverCompare against helm v4.1.4's
 * output, and the reusable semver_ module. */
#include "unit.h"
#include <stdlib.h>
#include "sprig_extra_run.h"
#include "core/semver.h"

extern const cv_fnreg fn_semver_table[];

static cval *semver_method(arena *a, const struct xcase *c, const char **err)
{
    cval *argv[1] = {cv_cstring(a, c->argv[0].s)};
    cval *obj = tcall(a, fn_semver_table, "semver", 1, argv, err);
    if (!obj)
        return NULL;
    return tmethod(a, obj, c->fn + 1, 0, NULL, err);
}

static void semver_module_order(void **state)
{
    (void)state;
    arena *a = arena_new();
    /* SemVer 2.0's example ordering */
    const char *order[] = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                           "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0"};
    size_t n = sizeof order / sizeof *order;
    semver_version v[16];
    const char *err;
    for (size_t i = 0; i < n; i++)
        assert_int_equal(semver_parse(a, order[i], &v[i], &err), 0);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            assert_int_equal(semver_compare(&v[i], &v[j]), i < j ? -1 : i > j ? 1 : 0);
    assert_int_equal(semver_satisfies(a, ">=1.21.0-0", "v1.28.3+k3s1", &err), 1);
    assert_int_equal(semver_satisfies(a, "<1.21.0", "v1.28.3", &err), 0);
    assert_int_equal(semver_satisfies(a, "nope", "1.0.0", &err), -1);
    assert_string_equal(err, "improper constraint: nope");
    arena_free(a);
}

/* One compiled grammar parses many constraints, bad ones among them, with
 * the answers a fresh grammar gives each time. */
static void semver_grammar_reuse(void **state)
{
    (void)state;
    arena *a = arena_new();
    semver_grammar *g = semver_grammar_new();
    static const struct { const char *c, *v; int want; } cases[] = {
        {">=1.21.0-0", "v1.28.3+k3s1", 1}, {"nope", "1.0.0", -1}, {"<1.21.0", "v1.28.3", 0},
        {"1.0 - 2.0", "1.5.0", 1}, {"1.0 - 2.0 || >= 3.1", "2.5.0", 0}, {"1.0 - 2.0 || >= 3.1", "3.2.0", 1},
        {"~1.2.x", "1.2.9", 1}, {"^0.2", "0.3.0", 0}, {">= 1.0, < 2.0", "1.9.9", 1}, {"=>>1", "1.0.0", -1},
        {"1.x", "1.7.0", 1}, {"!=1.2.3", "1.2.3", 0}, {">=1.21.0-0", "1.20.9", 0},
    };
    for (int round = 0; round < 3; round++)
        for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
            const char *err = NULL, *err2 = NULL;
            semver_constraints *cs = semver_constraints_parse_with(g, a, cases[i].c, &err);
            assert_int_equal(semver_satisfies(a, cases[i].c, cases[i].v, &err2), cases[i].want);
            if (cases[i].want < 0) {
                assert_null(cs);
                assert_string_equal(err, err2);
                continue;
            }
            semver_version v;
            assert_int_equal(semver_parse(a, cases[i].v, &v, &err), 0);
            assert_int_equal(semver_constraints_check(cs, &v), cases[i].want);
            semver_constraints_free(cs);
        }
    semver_grammar_free(g);
    arena_free(a);
}

static void semver_object_methods(void **state)
{
    (void)state;
    arena *a = arena_new();
    const char *err;
    cval *argv[1] = {cv_cstring(a, "v1.2.3-rc.1+meta")};
    cval *v = tcall(a, fn_semver_table, "semver", 1, argv, &err);
    assert_non_null(v);
    assert_string_equal(cv_gotype(v), "*semver.Version");
    cval *inc = tmethod(a, v, "IncMinor", 0, NULL, &err);
    assert_string_equal(cv_gotype(inc), "semver.Version");
    strbuf sb = STRBUF_INIT;
    inc->u.obj.cls->format(&sb, inc->u.obj.self);
    assert_string_equal(sb_str(&sb), "1.3.0");
    sb_release(&sb);
    argv[0] = cv_cstring(a, "1.2.4");
    cval *w = tcall(a, fn_semver_table, "semver", 1, argv, &err);
    cval *lt = tmethod(a, v, "LessThan", 1, &w, &err);
    assert_true(lt->u.b);
    cval *cmp = tmethod(a, w, "Compare", 1, &v, &err);
    assert_int_equal(cmp->u.i, 1);
    cval *bad = tmethod(a, v, "SetPrerelease", 1, (cval *[]){cv_cstring(a, "01")}, &err);
    assert_null(bad);
    assert_string_equal(err, "version segment starts with 0");
    arena_free(a);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(semver_module_order),
    cmocka_unit_test(semver_object_methods),
    cmocka_unit_test(semver_grammar_reuse),
};

int main(void)
{
    xsuite s = {NULL, 0, 0};
    xsuite_cases(&s, "semver_ok", fn_semver_table, semver_ok, NELEM(semver_ok), semver_method, false, "UTC");
    xsuite_cases(&s, "semver_err", fn_semver_table, semver_err, NELEM(semver_err), NULL, true, "UTC");
    for (size_t i = 0; i < sizeof tests / sizeof *tests; i++)
        xsuite_add(&s, tests[i].name, tests[i].test_func, NULL);
    return xsuite_run(&s, "sprig_semver");
}
