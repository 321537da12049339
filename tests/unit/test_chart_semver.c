/* test_chart_semver.c — a dependency's version checks (helm's
 * IsCompatibleRange) answer the same with one constraint grammar kept for the
 * whole walk (chart_semver_check_with, as chart_process_deps uses it) as with
 * a grammar made for each check (chart_semver_check). */
#include "unit.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/semver.h"
#include "renderer/chart/chart.h"

struct scase {
    const char *constraint, *version;
    bool want;
};

/* Masterminds/semver v3 answers (helm's dependency processing): exact,
 * ranges, wildcards, tilde and caret, hyphen ranges, ||, prereleases, and
 * strings that do not parse (false, and the grammar must keep working). */
static const struct scase cases[] = {
    {"8.4.0", "8.4.0", true},
    {"8.4.0", "8.4.1", false},
    {"0.12.*", "0.12.8", true},
    {"0.12.*", "0.13.0", false},
    {"~1.2.3", "1.2.9", true},
    {"~1.2.3", "1.3.0", false},
    {"^1.2", "1.9.0", true},
    {"^1.2", "2.0.0", false},
    {">= 1.0, < 2.0 || 3.x", "3.4.5", true},
    {">= 1.0, < 2.0 || 3.x", "2.5.0", false},
    {"1.0 - 2.0", "1.5.0", true},
    {"1.0 - 2.0", "2.1.0", false},
    {"1.0\t-\n2.0", "1.5.0", true},  /* the range's spaces are any of \t\n\f\r and space */
    {"1.0\f-\r2.0", "2.1.0", false},
    {"1.0 -2.0", "1.5.0", false},     /* not a range: "-2.0" is not a version */
    {">=1.0-0", "1.0.0-rc.1", true},  /* not a range either: a prerelease */
    {"*", "0.0.0", true},
    {">=1.0.0-0", "1.0.0-rc.1", true},
    {">=1.0.0", "1.0.0-rc.1", false},
    {"not a range", "1.0.0", false},
    {"1.0.0", "not a version", false},
    {"", "1.0.0", false}, /* NewConstraint("") fails */
    {"x", "4.56.1", true},
    {"v2", "2.3.4", true},
};

static void test_same_answers_with_one_grammar(void **state)
{
    (void)state;
    semver_grammar *g = NULL;
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            const struct scase *c = &cases[i];
            bool alone = chart_semver_check(c->constraint, c->version);
            bool shared = chart_semver_check_with(&g, c->constraint, c->version);
            if (alone != c->want || shared != c->want)
                fail_msg("%s against %s: want %d, got %d alone and %d with one grammar", c->constraint,
                         c->version, c->want, alone, shared);
        }
    assert_non_null(g); /* made at the first check, kept for the others */
    semver_grammar_free(g);
    /* no grammar given: one is made and freed for the call */
    assert_true(chart_semver_check_with(NULL, "^1.2", "1.9.0"));
}

/* The hand-read path for simple constraints (semver_constraints_parse_with)
 * against the grammar's patterns (semver_constraints_parse_patterns), on
 * every constraint made of the pieces below: simple ones, and near misses
 * that must go to the patterns (wildcards, metadata, four numbers, bad
 * operators or prereleases). Both must fail alike (same message) or accept
 * alike, and then answer alike for every version. */
static void test_simple_constraints_as_the_patterns_read_them(void **state)
{
    (void)state;
    static const char *const lead[] = { "", " \t" }, *const mid[] = { "", "  " }, *const trail[] = { "", " \n" };
    static const char *const ops[] = { "", "=", "!=", ">", "<", ">=", "=>", "<=", "=<", "~", "~>", "^", "!", ">>", "==" };
    static const char *const vs[] = { "", "v" };
    static const char *const nums[] = { "1", "1.2", "1.2.3", "0", "0.0.0", "01.20", "1.21", "1.2.3.4", "1.x", "*",
                                        "99999999999999999999", "1.2abc" };
    static const char *const pres[] = { "", "-0", "-rc.1", "-a-b.c-", "-", "-a." };
    static const char *const metas[] = { "", "+b.1" };
    static const char *const versions[] = { "0.0.0", "0.1.0", "1.0.0", "1.2.0", "1.2.3", "1.2.4", "1.3.0", "1.20.0",
                                            "1.21.0-0", "1.21.5-gke.100", "1.2.3-rc.1", "2.0.0", "10.0.0" };
    semver_grammar *g = semver_grammar_new();
    size_t n = 0, accepted = 0;
    char buf[128];
    for (size_t a = 0; a < 2; a++)
     for (size_t o = 0; o < sizeof ops / sizeof *ops; o++)
      for (size_t b = 0; b < 2; b++)
       for (size_t v = 0; v < 2; v++)
        for (size_t k = 0; k < sizeof nums / sizeof *nums; k++)
         for (size_t p = 0; p < sizeof pres / sizeof *pres; p++)
          for (size_t m = 0; m < 2; m++)
           for (size_t t = 0; t < 2; t++) {
               snprintf(buf, sizeof buf, "%s%s%s%s%s%s%s%s", lead[a], ops[o], mid[b], vs[v], nums[k], pres[p],
                        metas[m], trail[t]);
               arena *ar = arena_new();
               const char *e1 = NULL, *e2 = NULL;
               semver_constraints *c1 = semver_constraints_parse_with(g, ar, buf, &e1);
               semver_constraints *c2 = semver_constraints_parse_patterns(g, ar, buf, &e2);
               n++;
               if (!c1 != !c2)
                   fail_msg("\"%s\": %s by the simple path, %s by the patterns", buf, c1 ? "accepted" : e1,
                            c2 ? "accepted" : e2);
               if (!c1) {
                   if (strcmp(e1, e2) != 0)
                       fail_msg("\"%s\": \"%s\" against \"%s\"", buf, e1, e2);
               } else {
                   accepted++;
                   for (size_t i = 0; i < sizeof versions / sizeof *versions; i++) {
                       semver_version ver;
                       const char *ve;
                       assert_int_equal(semver_parse(ar, versions[i], &ver, &ve), 0);
                       if (semver_constraints_check(c1, &ver) != semver_constraints_check(c2, &ver))
                           fail_msg("\"%s\" with %s: %d by the simple path, %d by the patterns", buf, versions[i],
                                    semver_constraints_check(c1, &ver), semver_constraints_check(c2, &ver));
                   }
               }
               semver_constraints_free(c1);
               semver_constraints_free(c2);
               arena_free(ar);
           }
    semver_grammar_free(g);
    assert_true(n == 2u * 15 * 2 * 2 * 12 * 6 * 2 * 2);
    assert_true(accepted > n / 4 && accepted < n); /* both kinds are there */
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_same_answers_with_one_grammar),
    cmocka_unit_test(test_simple_constraints_as_the_patterns_read_them),
};

UNIT_MAIN(tests)
