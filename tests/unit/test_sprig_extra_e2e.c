/* test_sprig_extra_e2e.c — the sprig-extra cases rendered through the
 * template engine (tmpl_render), compared with what helm v4.1.4 printed for
 * the same template. */
#include "unit.h"
#include "sprig_extra_run.h"
#include "renderer/engine/tmpl.h"

#include <stdlib.h>

static int render(arena *a, const char *text, const char **out, cap_err *err)
{
    cval *dot = cv_map_new(a);
    cv_map_set(dot, "Values", cv_map_new(a));
    tmpl_source src = {"t/templates/t.yaml", text, strlen(text), dot, "t/templates"};
    tmpl_result *res;
    size_t n;
    if (tmpl_render(a, &src, 1, NULL, &res, &n, err) < 0)
        return -1;
    *out = n ? res[0].text : "";
    return 0;
}

/* Compare line by line, printing the lines that differ; returns the count. */
static int compare(const char *name, const char *got, const char *want)
{
    int bad = 0;
    while (*got || *want) {
        size_t gl = strcspn(got, "\n"), wl = strcspn(want, "\n");
        if (gl != wl || memcmp(got, want, gl) != 0) {
            printf("%s:\n  got  %.*s\n  want %.*s\n", name, (int)gl, got, (int)wl, want);
            bad++;
        }
        got += gl + (got[gl] == '\n');
        want += wl + (want[wl] == '\n');
    }
    return bad;
}

static void check_tz(const char *name, const char *tpl, const char *want, const char *tz)
{
    setenv("TZ", tz, 1);
    arena *a = arena_new();
    cap_err err = CAP_ERR_INIT;
    const char *out = NULL;
    if (render(a, tpl, &out, &err) < 0) {
        printf("%s: render failed: %s\n", name, err.msg);
        cap_err_clear(&err);
        arena_free(a);
        fail();
    }
    int bad = compare(name, out, want);
    arena_free(a);
    setenv("TZ", "UTC", 1);
    assert_int_equal(bad, 0);
}

static void check(const char *name, const char *tpl, const char *want) { check_tz(name, tpl, want, "UTC"); }

static void e2e_regex(void **state) { (void)state; check("regex", e2e_regex_tpl, e2e_regex_out); }
static void e2e_semver(void **state) { (void)state; check("semver", e2e_semver_tpl, e2e_semver_out); }
static void e2e_dates(void **state) { (void)state; check("dates", e2e_dates_tpl, e2e_dates_out); }
static void e2e_dates_ny(void **state)
{
    (void)state;
    check_tz("dates_ny", e2e_dates_ny_tpl, e2e_dates_ny_out, "America/New_York");
}
static void e2e_crypto(void **state) { (void)state; check("crypto", e2e_crypto_tpl, e2e_crypto_out); }

/* failing calls: the whole message, as helm prints it after "Error: " */
static void e2e_errors(void **state)
{
    (void)state;
    setenv("TZ", "UTC", 1);
    int bad = 0;
    for (size_t i = 0; i < NELEM(e2e_all_err); i++) {
        arena *a = arena_new();
        cap_err err = CAP_ERR_INIT;
        const char *out = NULL;
        if (render(a, e2e_all_err[i].tpl, &out, &err) == 0) {
            printf("%s: no error, output %s\n", e2e_all_err[i].tpl, out);
            bad++;
        } else if (strcmp(err.msg, e2e_all_err[i].err) != 0) {
            printf("%s:\n  got  %s\n  want %s\n", e2e_all_err[i].tpl, err.msg, e2e_all_err[i].err);
            bad++;
        }
        cap_err_clear(&err);
        arena_free(a);
    }
    assert_int_equal(bad, 0);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(e2e_errors),
    cmocka_unit_test(e2e_regex),
    cmocka_unit_test(e2e_semver),
    cmocka_unit_test(e2e_dates),
    cmocka_unit_test(e2e_dates_ny),
    cmocka_unit_test(e2e_crypto),
};

UNIT_MAIN(tests)
