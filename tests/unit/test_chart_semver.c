/* test_chart_semver.c — a dependency's version checks (helm's
 * IsCompatibleRange) answer the same with one constraint grammar kept for the
 * whole walk (chart_semver_check_with, as chart_process_deps uses it) as with
 * a grammar made for each check (chart_semver_check). */
#include "unit.h"

#include <stdbool.h>

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

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_same_answers_with_one_grammar),
};

UNIT_MAIN(tests)
