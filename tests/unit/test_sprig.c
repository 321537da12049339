/* test_sprig.c — every Sprig function of the everyday families, called with the
 * expressions of sprig_cases.txt and compared byte for byte with what helm
 * v4.1.4 printed for them (sprig_cases.h, made by gen_sprig_cases.py):
 * fmt.Sprint of the result, or the "error calling NAME: MSG" text.
 * Plus checks of the random functions' form, and of in-place updates. */
#include "unit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "renderer/funcs/fn_sprig.h"
#include "renderer/funcs/fn_util.h"
#include "core/gofmt.h"
#include "sprig_eval.h"
#include "sprig_cases.h"
#include "renderer/engine/tmpl.h"

static void run_case(void **state)
{
    const struct sprig_case *k = *state;
    arena *a = arena_new();
    char *err = NULL;
    cval *v = sprig_eval(a, k->expr, &err);
    if (k->kind == 0) {
        if (!v)
            fail_msg("%s: unexpected error: %s", k->expr, err);
        strbuf sb = STRBUF_INIT;
        gofmt_sprint(&sb, 1, &v);
        if (sb.len != k->wantlen || memcmp(sb_str(&sb), k->want, sb.len)) {
            print_error("  expr: %s\n  want: [%s]\n  got:  [%s]\n", k->expr, k->want, sb_str(&sb));
            sb_release(&sb);
            arena_free(a);
            fail();
        }
        sb_release(&sb);
    } else {
        if (v) {
            strbuf sb = STRBUF_INIT;
            gofmt_sprint(&sb, 1, &v);
            print_error("  expr: %s\n  want error: %s\n  got: [%s]\n", k->expr, k->want, sb_str(&sb));
            sb_release(&sb);
            arena_free(a);
            fail();
        }
        if (k->kind == 1 && strcmp(err, k->want)) {
            print_error("  expr: %s\n  want: %s\n  got:  %s\n", k->expr, k->want, err);
            arena_free(a);
            fail();
        }
    }
    arena_free(a);
}

/* The same expressions through the template engine, {{ print (EXPR) }}: the
 * engine's argument conversion must agree with the sig letters. */
static void run_case_engine(void **state)
{
    const struct sprig_case *k = *state;
    arena *a = arena_new();
    strbuf t = STRBUF_INIT;
    sb_addf(&t, "{{ print (%s) }}", k->expr);
    cval *dot = cv_map_new(a);
    cv_map_set(dot, "Values", cv_map_new(a));
    tmpl_source src = {"t/templates/t.yaml", sb_str(&t), t.len, dot, "t/templates"};
    tmpl_opts opts;
    memset(&opts, 0, sizeof opts);
    tmpl_result *res = NULL;
    size_t nres = 0;
    cap_err err = CAP_ERR_INIT;
    int rc = tmpl_render(a, &src, 1, &opts, &res, &nres, &err);
    bool bad = false;
    if (k->kind == 0) {
        if (rc < 0) {
            print_error("  expr: %s\n  unexpected error: %s\n", k->expr, err.msg);
            bad = true;
        } else if (nres != 1 || res[0].len != k->wantlen || memcmp(res[0].text, k->want, k->wantlen)) {
            print_error("  expr: %s\n  want: [%s]\n  got:  [%s]\n", k->expr, k->want, nres ? res[0].text : "");
            bad = true;
        }
    } else if (rc == 0) {
        print_error("  expr: %s\n  want error: %s\n  got: [%s]\n", k->expr, k->want, nres ? res[0].text : "");
        bad = true;
    } else if (k->kind == 1 && !strstr(err.msg, k->want)) {
        print_error("  expr: %s\n  want: %s\n  got:  %s\n", k->expr, k->want, err.msg);
        bad = true;
    }
    cap_err_clear(&err);
    sb_release(&t);
    arena_free(a);
    if (bad)
        fail();
}

/* Values as Helm hands them over: a common.Values map, float64 numbers from
 * values files, int64 from --set. Expected lines from helm v4.1.4
 * (-f {a: {}, f: 1.5e6} --set i=5). */
static void values_through_engine(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"typeOf (set .Values \"x\" 1)", "map[string]interface {}"},
        {"typeOf (merge .Values (dict))", "map[string]interface {}"},
        {"typeOf (unset .Values \"x\")", "map[string]interface {}"},
        {"typeOf (mergeOverwrite .Values (dict))", "map[string]interface {}"},
        {"typeOf (pick .Values \"a\")", "map[string]interface {}"},
        {"typeOf (deepCopy .Values)", "common.Values"},
        {"kindOf .Values", "map"},
        {"typeOf (first (list .Values))", "common.Values"},
        {"sortAlpha (keys .Values)", "[a f i]"},
        {"typeOf .Values.a", "map[string]interface {}"},
        {"toString .Values.f", "1.5e+06"},
        {"int .Values.f", "1500000"},
        {"typeOf .Values.f", "float64"},
        {"add .Values.f 1", "1500001"},
        {"typeOf .Values.i", "int64"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        arena *a = arena_new();
        cval *vals = cv_map_new(a);
        vals->gotype = "common.Values";
        cv_map_set(vals, "a", cv_map_new(a));
        cv_map_set(vals, "f", cv_float(a, 1.5e6));
        cv_map_set(vals, "i", cv_int(a, 5));
        cval *dot = cv_map_new(a);
        cv_map_set(dot, "Values", vals);
        strbuf t = STRBUF_INIT;
        sb_addf(&t, "{{ print (%s) }}", cases[k][0]);
        tmpl_source src = {"t/templates/t.yaml", sb_str(&t), t.len, dot, "t/templates"};
        tmpl_opts opts;
        memset(&opts, 0, sizeof opts);
        tmpl_result *res = NULL;
        size_t nres = 0;
        cap_err err = CAP_ERR_INIT;
        int rc = tmpl_render(a, &src, 1, &opts, &res, &nres, &err);
        if (rc < 0)
            fail_msg("%s: %s", cases[k][0], err.msg);
        assert_int_equal(nres, 1);
        if (strcmp(res[0].text, cases[k][1]))
            fail_msg("%s: want [%s] got [%s]", cases[k][0], cases[k][1], res[0].text);
        sb_release(&t);
        arena_free(a);
    }
}

/* ---- robustness: every function with odd arguments of its sig --------- */

static uint64_t rng_next(uint64_t *st)
{
    uint64_t z = (*st += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static cval *odd_value(arena *a, uint64_t *st, int depth);

static cval *odd_string(arena *a, uint64_t *st)
{
    static const char *const pool[] = {"", "a", "héllo wörld", "\xff\xfe", "  x  ", "0x10", "3.0", "-1",
                                       "1e400", "nan", "http://[::1]:80/a?b#c", "a/../b//c", "YQ==",
                                       "%zz", "日本語", "ǅ_X-y z", "\n\n", ",", "$"};
    uint64_t r = rng_next(st);
    if (r % 4 == 0) { /* random bytes */
        size_t n = (size_t)(rng_next(st) % 24);
        char buf[24];
        for (size_t i = 0; i < n; i++)
            buf[i] = (char)rng_next(st);
        return cv_string(a, buf, n);
    }
    return cv_cstring(a, pool[r % (sizeof pool / sizeof *pool)]);
}

static int64_t odd_int(uint64_t *st)
{
    static const int64_t pool[] = {0, 1, 2, 3, -1, -2, 7, 100, 1000, INT64_MAX, INT64_MIN, INT32_MAX};
    return pool[rng_next(st) % (sizeof pool / sizeof *pool)];
}

static cval *odd_list(arena *a, uint64_t *st, int depth)
{
    cval *l = cv_list_new(a, 4);
    size_t n = (size_t)(rng_next(st) % 5);
    for (size_t i = 0; i < n; i++)
        cv_list_push(l, odd_value(a, st, depth + 1));
    if (rng_next(st) % 4 == 0) {
        l = fn_strslice(a, l);
    }
    return l;
}

static cval *odd_map(arena *a, uint64_t *st, int depth)
{
    static const char *const keys[] = {"a", "b", "scheme", "host", "path", "userinfo", "query", "x"};
    cval *m = cv_map_new(a);
    size_t n = (size_t)(rng_next(st) % 5);
    for (size_t i = 0; i < n; i++)
        cv_map_set(m, keys[rng_next(st) % 8], odd_value(a, st, depth + 1));
    if (rng_next(st) % 5 == 0)
        m->gotype = "common.Values";
    return m;
}

static cval *odd_value(arena *a, uint64_t *st, int depth)
{
    switch (rng_next(st) % (depth > 2 ? 6 : 8)) {
    case 0: return cv_nil();
    case 1: return cv_goint(a, odd_int(st));
    case 2: return cv_int(a, odd_int(st));
    case 3: {
        static const double f[] = {0, -0.0, 0.1, 1.5, -2.5, 1e300, 1e-320, 3.7};
        double x = f[rng_next(st) % 8];
        if (rng_next(st) % 16 == 0)
            x = rng_next(st) % 2 ? NAN : INFINITY;
        return cv_float(a, x);
    }
    case 4: return cv_bool(rng_next(st) % 2);
    case 5: return odd_string(a, st);
    case 6: return odd_list(a, st, depth);
    default: return odd_map(a, st, depth);
    }
}

static cval *odd_arg(arena *a, uint64_t *st, char letter)
{
    switch (letter) {
    case 's': return odd_string(a, st);
    case 'i': return cv_goint(a, odd_int(st) % 50);
    case 'I': return cv_int(a, odd_int(st));
    case 'f': return cv_float(a, (double)(odd_int(st) % 10) / 4);
    case 'b': return cv_bool(rng_next(st) % 2);
    case 'm': return odd_map(a, st, 0);
    case 'l': return odd_list(a, st, 0);
    case 'L': return fn_strslice(a, odd_list(a, st, 0));
    default: return odd_value(a, st, 0);
    }
}

static void odd_arguments_do_not_crash(void **state)
{
    (void)state;
    const cv_fnreg *tables[] = {fn_strings_table, fn_lists_table, fn_dicts_table, fn_math_table,
                                fn_defaults_table, fn_reflect_table, fn_encoding_table, fn_paths_table,
                                fn_url_table, fn_random_table};
    uint64_t st = 42;
    size_t calls = 0, fails = 0;
    for (int round = 0; round < 60; round++)
        for (size_t t = 0; t < sizeof tables / sizeof *tables; t++)
            for (const cv_fnreg *r = tables[t]; r->name; r++) {
                arena *a = arena_new();
                size_t sl = strlen(r->sig);
                bool variadic = sl && r->sig[sl - 1] == '*';
                size_t fixed = variadic ? sl - 2 : sl;
                size_t argc = fixed + (variadic ? (size_t)(rng_next(&st) % 4) : 0);
                cval *argv[8];
                for (size_t i = 0; i < argc; i++)
                    argv[i] = odd_arg(a, &st, i < fixed ? r->sig[i] : r->sig[sl - 2]);
                cv_call c = {a, NULL, NULL, r->name, NULL};
                cval *v = r->fn(&c, (int)argc, argv);
                calls++;
                if (!v) {
                    fails++;
                    assert_non_null(c.errmsg);
                    if (strcmp(r->name, "fail")) /* fail "" fails with "" */
                        assert_true(strlen(c.errmsg) > 0);
                } else {
                    strbuf sb = STRBUF_INIT;
                    gofmt_sprint(&sb, 1, &v);
                    sb_release(&sb);
                }
                arena_free(a);
            }
    assert_true(calls > 9000);
    assert_true(fails > 0 && fails < calls / 2);
}

static cval *eval_ok(arena *a, const char *expr)
{
    char *err = NULL;
    cval *v = sprig_eval(a, expr, &err);
    if (!v)
        fail_msg("%s: %s", expr, err);
    return v;
}

static bool all_in(const cval *v, const char *set)
{
    for (size_t i = 0; i < v->u.str.len; i++)
        if (!strchr(set, v->u.str.s[i]))
            return false;
    return true;
}

#define ALNUM "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

static void random_forms(void **state)
{
    (void)state;
    arena *a = arena_new();
    cval *v = eval_ok(a, "randAlphaNum 32");
    assert_int_equal(v->u.str.len, 32);
    assert_true(all_in(v, ALNUM));
    v = eval_ok(a, "randAlpha 50");
    assert_int_equal(v->u.str.len, 50);
    assert_true(all_in(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"));
    v = eval_ok(a, "randNumeric 20");
    assert_int_equal(v->u.str.len, 20);
    assert_true(all_in(v, "0123456789"));
    v = eval_ok(a, "randAscii 100");
    assert_int_equal(v->u.str.len, 100);
    for (size_t i = 0; i < 100; i++)
        assert_true(v->u.str.s[i] >= 32 && v->u.str.s[i] < 127);
    assert_int_equal(eval_ok(a, "randAlpha 0")->u.str.len, 0);
    assert_int_equal(eval_ok(a, "randAlpha -5")->u.str.len, 0);
    /* a long string takes its words from many draws ahead (fn_random.c's
     * pool): every character still comes about as often as the others
     * (about 100 times each; 6 standard deviations either side) */
    v = eval_ok(a, "randAlphaNum 6200");
    assert_int_equal(v->u.str.len, 6200);
    for (const char *ch = ALNUM; *ch; ch++) {
        int count = 0;
        for (size_t i = 0; i < v->u.str.len; i++)
            count += v->u.str.s[i] == *ch;
        if (count < 40 || count > 160)
            fail_msg("randAlphaNum 6200: '%c' %d times", *ch, count);
    }
    /* two draws differ (2^-190 chance of a false failure) */
    assert_string_not_equal(eval_ok(a, "randAlphaNum 32")->u.str.s, eval_ok(a, "randAlphaNum 32")->u.str.s);
    for (int i = 0; i < 200; i++) {
        cval *r = eval_ok(a, "randInt 3 6");
        assert_string_equal(cv_gotype(r), "int");
        assert_true(r->u.i >= 3 && r->u.i < 6);
        r = eval_ok(a, "randInt -2 -1");
        assert_int_equal(r->u.i, -2);
    }
    v = eval_ok(a, "uuidv4");
    assert_int_equal(v->u.str.len, 36);
    const char *u = v->u.str.s;
    assert_true(u[8] == '-' && u[13] == '-' && u[18] == '-' && u[23] == '-');
    assert_int_equal(u[14], '4');
    assert_non_null(strchr("89ab", u[19]));
    assert_true(all_in(v, "0123456789abcdef-"));
    v = eval_ok(a, "shuffle \"héllo wörld\"");
    assert_int_equal(v->u.str.len, strlen("héllo wörld"));
    cval *sorted = eval_ok(a, "sortAlpha (splitList \"\" (shuffle \"héllo wörld\"))");
    cval *want = eval_ok(a, "sortAlpha (splitList \"\" \"héllo wörld\")");
    assert_true(cv_deep_equal(sorted, want));
    assert_int_equal(eval_ok(a, "shuffle \"\"")->u.str.len, 0);
    arena_free(a);
}

/* set, unset, merge and sortAlpha change their argument in place, as in Go. */
static void updates_in_place(void **state)
{
    (void)state;
    arena *a = arena_new();
    cval *d = cv_map_new(a);
    cv_map_set(d, "a", cv_int(a, 1));
    const cv_fnreg *set = sprig_find("set"), *unset = sprig_find("unset"), *merge = sprig_find("merge");
    cv_call c = {a, NULL, NULL, "set", NULL};
    cval *args[3] = {d, cv_cstring(a, "b"), cv_cstring(a, "x")};
    assert_ptr_equal(set->fn(&c, 3, args), d);
    assert_string_equal(cv_map_get(d, "b")->u.str.s, "x");
    args[1] = cv_cstring(a, "a");
    assert_ptr_equal(unset->fn(&c, 2, args), d);
    assert_null(cv_map_get(d, "a"));
    cval *inner = cv_map_new(a), *src = cv_map_new(a), *srcin = cv_map_new(a);
    cv_map_set(d, "n", inner);
    cv_map_set(srcin, "k", cv_cstring(a, "v"));
    cv_map_set(src, "n", srcin);
    cv_map_set(inner, "old", cv_true());
    cval *margs[2] = {d, src};
    assert_ptr_equal(merge->fn(&c, 2, margs), d);
    assert_string_equal(cv_map_get(inner, "k")->u.str.s, "v"); /* the nested map itself changed */
    /* a map merged with itself stays whole */
    margs[1] = d;
    assert_ptr_equal(merge->fn(&c, 2, margs), d);
    assert_int_equal(cv_map_len(d), 2);
    /* sortAlpha sorts a []string in place */
    const char *items[] = {"b", "a"};
    cval *sl = fn_string_list(a, 2, items);
    cval *sargs[1] = {sl};
    sprig_find("sortAlpha")->fn(&c, 1, sargs);
    assert_string_equal(cv_list_get(sl, 0)->u.str.s, "a");
    /* deepCopy copies */
    cval *cp = sprig_find("deepCopy")->fn(&c, 1, (cval *[]){d});
    assert_true(cv_deep_equal(cp, d));
    cv_map_set(cp, "new", cv_nil());
    assert_false(cv_map_has(d, "new"));
    arena_free(a);
}

/* Every row of every table has a function and a well-formed sig. */
static void tables_well_formed(void **state)
{
    (void)state;
    const cv_fnreg *tables[] = {fn_strings_table, fn_lists_table, fn_dicts_table, fn_math_table,
                                fn_defaults_table, fn_reflect_table, fn_encoding_table, fn_paths_table,
                                fn_url_table, fn_random_table};
    size_t count = 0;
    for (size_t t = 0; t < sizeof tables / sizeof *tables; t++)
        for (const cv_fnreg *r = tables[t]; r->name; r++, count++) {
            assert_non_null(r->fn);
            assert_non_null(r->sig);
            size_t n = strlen(r->sig);
            for (size_t i = 0; i < n; i++) {
                if (r->sig[i] == '*')
                    assert_int_equal(i, n - 1);
                else
                    assert_non_null(strchr("vsbiIfulLmB", r->sig[i]));
            }
        }
    assert_true(count >= 156);
}

static void big_inputs_are_refused(void **state)
{
    (void)state;
    arena *a = arena_new();
    char *err;
    assert_null(sprig_eval(a, "until 2000000", &err));
    assert_non_null(strstr(err, "too long"));
    assert_null(sprig_eval(a, "repeat 4000000000 \"xx\"", &err));
    assert_null(sprig_eval(a, "randAlpha 100000000", &err));
    cval *v = eval_ok(a, "until 100000");
    assert_int_equal(cv_list_len(v), 100000);
    /* Go would wrap around and never stop; we stop at the edge */
    v = eval_ok(a, "untilStep 9223372036854775806 9223372036854775807 5");
    assert_int_equal(cv_list_len(v), 1);
    v = eval_ok(a, "untilStep -9223372036854775807 -9223372036854775808 -5");
    assert_int_equal(cv_list_len(v), 1);
    arena_free(a);
}

int main(void)
{
    size_t ncases = sizeof sprig_cases / sizeof *sprig_cases;
    struct CMUnitTest *tests = calloc(2 * ncases + 6, sizeof *tests);
    char **names = calloc(ncases, sizeof *names);
    for (size_t i = 0; i < ncases; i++) {
        tests[i].name = sprig_cases[i].expr;
        tests[i].test_func = run_case;
        tests[i].initial_state = (void *)&sprig_cases[i];
        names[i] = malloc(strlen(sprig_cases[i].expr) + 12);
        sprintf(names[i], "engine: %s", sprig_cases[i].expr);
        tests[ncases + 4 + i].name = names[i];
        tests[ncases + 4 + i].test_func = run_case_engine;
        tests[ncases + 4 + i].initial_state = (void *)&sprig_cases[i];
    }
    tests[ncases].name = "random_forms";
    tests[ncases].test_func = random_forms;
    tests[ncases + 1].name = "updates_in_place";
    tests[ncases + 1].test_func = updates_in_place;
    tests[ncases + 2].name = "tables_well_formed";
    tests[ncases + 2].test_func = tables_well_formed;
    tests[ncases + 3].name = "big_inputs_are_refused";
    tests[ncases + 3].test_func = big_inputs_are_refused;
    tests[2 * ncases + 4].name = "values_through_engine";
    tests[2 * ncases + 4].test_func = values_through_engine;
    tests[2 * ncases + 5].name = "odd_arguments_do_not_crash";
    tests[2 * ncases + 5].test_func = odd_arguments_do_not_crash;
    size_t n = 2 * ncases + 6;
    int failed = _cmocka_run_group_tests("sprig", tests, n, NULL, NULL);
    printf("%zu passed, %d failed\n", n - (size_t)failed, failed);
    for (size_t i = 0; i < ncases; i++)
        free(names[i]);
    free(names);
    free(tests);
    return failed ? 1 : 0;
}
