/* test_sprig_regex.c — Sprig's regex family against helm v4.1.4's output
 * (cases and expected results in sprig_extra_cases.h, made by
 * sprig_extra_gen.py from real helm). */
#include "unit.h"
#include <stdlib.h>
#include "sprig_extra_run.h"

extern const cv_fnreg fn_regex_table[];

static void regex_quote_meta_roundtrip(void **state)
{
    (void)state;
    arena *a = arena_new();
    const char *s = "a.b*c(d)[e]{f}|g^h$i+j?k\\l";
    cval *argv[3] = {cv_cstring(a, s)};
    const char *err;
    cval *q = tcall(a, fn_regex_table, "regexQuoteMeta", 1, argv, &err);
    argv[0] = cv_cstring(a, "^");
    argv[0] = cv_string(a, arena_printf(a, "^%s$", q->u.str.s), strlen(q->u.str.s) + 2);
    argv[1] = cv_cstring(a, s);
    cval *m = tcall(a, fn_regex_table, "mustRegexMatch", 2, argv, &err);
    assert_non_null(m);
    assert_true(m->u.b);
    arena_free(a);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(regex_quote_meta_roundtrip),
};

int main(void)
{
    xsuite s = {NULL, 0, 0};
    xsuite_cases(&s, "regex_ok", fn_regex_table, regex_ok, NELEM(regex_ok), NULL, false, "UTC");
    xsuite_cases(&s, "regex_err", fn_regex_table, regex_err, NELEM(regex_err), NULL, true, "UTC");
    for (size_t i = 0; i < sizeof tests / sizeof *tests; i++)
        xsuite_add(&s, tests[i].name, tests[i].test_func, NULL);
    return xsuite_run(&s, "sprig_regex");
}
