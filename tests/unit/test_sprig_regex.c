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

/* Subjects that are not valid UTF-8 run on the linear-time engine, which
 * reads an invalid byte as U+FFFD of width 1 as Go does (PCRE2 never matched
 * them). Expected values: helm v4.1.4. */
static void regex_invalid_utf8_subject(void **state)
{
    (void)state;
    static const struct {
        const char *fn, *pat, *s, *repl, *want;
    } cases[] = {
        {"regexReplaceAll", "\\x{fffd}", "a\xff" "b", "X", "aXb"},
        {"regexReplaceAll", "[^a-z]", "a\xff" "b\xc3\xa9", "_", "a_b_"},
        {"regexReplaceAll", ".", "a\xff" "b\xe2\x82", "<$0>", "<a><\xff><b><\xe2><\x82>"},
        {"regexReplaceAll", "\\b", "ab\xff" "cd ef", "|", "|ab|\xff|cd| |ef|"},
        {"regexMatch", "^(?i)AB.C$", "ab\xff" "c", NULL, "true"},
    };
    arena *a = arena_new();
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cval *argv[3] = {cv_cstring(a, cases[i].pat), cv_cstring(a, cases[i].s),
                         cases[i].repl ? cv_cstring(a, cases[i].repl) : NULL};
        const char *err = NULL;
        cval *v = tcall(a, fn_regex_table, cases[i].fn, cases[i].repl ? 3 : 2, argv, &err);
        assert_non_null(v);
        const char *got = v->kind == CV_BOOL ? (v->u.b ? "true" : "false") : v->u.str.s;
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("case %zu %s(%s): got %s want %s", i, cases[i].fn, cases[i].pat, got, cases[i].want);
    }
    arena_free(a);
}

/* The linear-time engine answers where PCRE2 hits its match limit; helm's
 * answers. */
static void regex_match_limit_answers(void **state)
{
    (void)state;
    arena *a = arena_new();
    char s[64];
    memset(s, 'a', 40);
    memcpy(s + 40, "!c", 3);
    cval *argv[3] = {cv_cstring(a, "(a+)+b|c"), cv_cstring(a, s), cv_cstring(a, "<$0>")};
    const char *err = NULL;
    cval *v = tcall(a, fn_regex_table, "mustRegexMatch", 2, argv, &err);
    assert_non_null(v);
    assert_true(v->u.b);
    v = tcall(a, fn_regex_table, "regexReplaceAll", 3, argv, &err);
    assert_non_null(v);
    assert_string_equal(v->u.str.s, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!<c>");
    argv[0] = cv_cstring(a, "(\\pL+)+b|c"); /* beyond the linear engine: an error */
    v = tcall(a, fn_regex_table, "regexMatch", 2, argv, &err);
    assert_null(v);
    assert_non_null(strstr(err, "match limit"));
    arena_free(a);
}

/* A repeat of something that can match empty: PCRE2 differs from Go there,
 * so such patterns run on the Pike VM. Expected values: helm v4.1.4. */
static void regex_empty_loops(void **state)
{
    (void)state;
    static const struct {
        const char *pat, *s, *repl, *want;
    } cases[] = {
        {"(?:(?:\\B|[a-c])?)+", "ab", "<$0>", "<ab>"},
        {"(((a)*)*|(?:\\sx)?)+", "ab", "<$1|$2>", "<a|a>b<|>"},
        {"((?:[a-c])?)+", "a1_b2 c3", "<$1>", "<a>1<>_<b>2<> <c>3<>"},
    };
    arena *a = arena_new();
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cval *argv[3] = {cv_cstring(a, cases[i].pat), cv_cstring(a, cases[i].s), cv_cstring(a, cases[i].repl)};
        const char *err = NULL;
        cval *v = tcall(a, fn_regex_table, "regexReplaceAll", 3, argv, &err);
        assert_non_null(v);
        if (strcmp(v->u.str.s, cases[i].want) != 0)
            fail_msg("case %zu (%s): got %s want %s", i, cases[i].pat, v->u.str.s, cases[i].want);
    }
    arena_free(a);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(regex_empty_loops),
    cmocka_unit_test(regex_quote_meta_roundtrip),
    cmocka_unit_test(regex_invalid_utf8_subject),
    cmocka_unit_test(regex_match_limit_answers),
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
