/* test_sprig_dates.c — Sprig's date functions against helm v4.1.4's output,
 * with fixed times in many zones (Local as $TZ=UTC and America/New_York). */
#include "unit.h"
#include <stdlib.h>
#include "sprig_extra_run.h"
#include "renderer/funcs/fn_dates.h"

#include <stdlib.h>

static const char *dur(arena *a, int64_t d)
{
    strbuf sb = STRBUF_INIT;
    fn_duration_string(&sb, d);
    char *s = arena_strdup(a, sb_str(&sb));
    sb_release(&sb);
    return s;
}

static void duration_string_and_parse(void **state)
{
    (void)state;
    arena *a = arena_new();
    assert_string_equal(dur(a, 0), "0s");
    assert_string_equal(dur(a, 1), "1ns");
    assert_string_equal(dur(a, 1500), "1.5\xc2\xb5s");
    assert_string_equal(dur(a, 1500000), "1.5ms");
    assert_string_equal(dur(a, 3723500000000LL), "1h2m3.5s");
    assert_string_equal(dur(a, -60000000000LL), "-1m0s");
    assert_string_equal(dur(a, INT64_MIN), "-2562047h47m16.854775808s");
    int64_t d;
    const char *err;
    assert_int_equal(fn_parse_duration(a, "1h2m3.5s", 8, &d, &err), 0);
    assert_int_equal(d, 3723500000000LL);
    assert_int_equal(fn_parse_duration(a, "-1.5h", 5, &d, &err), 0);
    assert_int_equal(d, -5400000000000LL);
    assert_int_equal(fn_parse_duration(a, "1\xc2\xb5s", 4, &d, &err), 0);
    assert_int_equal(d, 1000);
    assert_int_equal(fn_parse_duration(a, "9223372036854775808ns", 21, &d, &err), -1);
    assert_string_equal(err, "time: invalid duration \"9223372036854775808ns\"");
    assert_int_equal(fn_parse_duration(a, "-9223372036854775808ns", 22, &d, &err), 0);
    assert_int_equal(d, INT64_MIN);
    arena_free(a);
}

static void time_methods(void **state)
{
    (void)state;
    setenv("TZ", "UTC", 1);
    arena *a = arena_new();
    cval *argv[3] = {cv_cstring(a, "2006-01-02T15:04:05Z07:00"), cv_cstring(a, "2024-02-29T23:30:00+05:30")};
    const char *err;
    cval *t = tcall(a, fn_dates_table, "toDate", 2, argv, &err);
    assert_non_null(t);
    assert_string_equal(cv_gotype(t), "time.Time");
    assert_int_equal(tmethod(a, t, "Year", 0, NULL, &err)->u.i, 2024);
    assert_int_equal(tmethod(a, t, "YearDay", 0, NULL, &err)->u.i, 60);
    assert_int_equal(tmethod(a, t, "Unix", 0, NULL, &err)->u.i, 1709229600);
    cval *wd = tmethod(a, t, "Weekday", 0, NULL, &err);
    strbuf sb = STRBUF_INIT;
    wd->u.obj.cls->format(&sb, wd->u.obj.self);
    assert_string_equal(sb_str(&sb), "Thursday");
    sb_reset(&sb);
    cval *u = tmethod(a, t, "UTC", 0, NULL, &err);
    u->u.obj.cls->format(&sb, u->u.obj.self);
    assert_string_equal(sb_str(&sb), "2024-02-29 18:00:00 +0000 UTC");
    sb_reset(&sb);
    cval *nx = tmethod(a, t, "AddDate", 3, (cval *[]){cv_goint(a, 0), cv_goint(a, 1), cv_goint(a, 1)}, &err);
    nx->u.obj.cls->format(&sb, nx->u.obj.self);
    assert_string_equal(sb_str(&sb), "2024-03-30 23:30:00 +0530 +0530");
    sb_release(&sb);
    cval *diff = tmethod(a, nx, "Sub", 1, &t, &err);
    assert_string_equal(cv_gotype(diff), "time.Duration");
    assert_int_equal(diff->u.i, 30LL * 86400 * 1000000000);
    assert_true(tmethod(a, t, "Before", 1, &nx, &err)->u.b);
    /* a wrong argument type is an error with Go's wording */
    cval *bad[2] = {cv_cstring(a, "1h"), cv_cstring(a, "x")};
    assert_null(tcall(a, fn_dates_table, "dateModify", 2, bad, &err));
    assert_string_equal(err, "wrong type for value; expected time.Time; got string");
    /* now is a time in Local */
    cval *now = tcall(a, fn_dates_table, "now", 0, NULL, &err);
    assert_true(tmethod(a, now, "Year", 0, NULL, &err)->u.i >= 2024);
    arena_free(a);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(duration_string_and_parse),
    cmocka_unit_test(time_methods),
};

int main(void)
{
    xsuite s = {NULL, 0, 0};
    xsuite_cases(&s, "dates_utc", fn_dates_table, dates_utc, NELEM(dates_utc), NULL, false, "UTC");
    xsuite_cases(&s, "dates_ny", fn_dates_table, dates_ny, NELEM(dates_ny), NULL, false, "America/New_York");
    xsuite_cases(&s, "dates_err", fn_dates_table, dates_err, NELEM(dates_err), NULL, true, "UTC");
    for (size_t i = 0; i < sizeof tests / sizeof *tests; i++)
        xsuite_add(&s, tests[i].name, tests[i].test_func, NULL);
    return xsuite_run(&s, "sprig_dates");
}
