/* test_chart_ignore.c — .helmignore rules: the literal and "*suffix" rules
 * matched without fnmatch give what fnmatch gives (helm's filepath.Match on
 * the base name, or on the whole path for rules with a '/'). */
#include "unit.h"

#include <fnmatch.h>
#include <string.h>

#include "core/arena.h"
#include "renderer/chart/chart.h"

/* one rule, matched as fnmatch would on the path or its base name */
static bool by_fnmatch(const char *rule, const char *path)
{
    bool whole = rule[0] == '/' || strchr(rule, '/');
    if (rule[0] == '/')
        rule++;
    const char *n = path;
    const char *sl = strrchr(path, '/');
    if (!whole && sl)
        n = sl + 1;
    return fnmatch(rule, n, FNM_PATHNAME) == 0;
}

static void test_rules_as_fnmatch(void **state)
{
    (void)state;
    const char *rules[] = {"OWNERS", "*.swp", "*~", ".git", "/ci", "a/b.txt", "*.tgz", "*", "*.", "*b",
                           "docs/*.md", "/*.md", "kube-*.tgz", "x?z", NULL};
    const char *paths[] = {"OWNERS", "sub/OWNERS", "OWNERSX", "a.swp", ".swp", "swp", "d/a.swp", "x~", "~",
                           ".git", "d/.git", "ci", "d/ci", "a/b.txt", "c/a/b.txt", "x.tgz", "d/x.tgz",
                           "a.", "b", "ab", "a/b", "docs/x.md", "docs/d/x.md", "r.md", "d/r.md",
                           "kube-1.tgz", "xyz", "d/xyz", NULL};
    for (int i = 0; rules[i]; i++) {
        arena *a = arena_new();
        cap_err e = CAP_ERR_INIT;
        chart_ignore *ig = chart_ignore_parse(a, rules[i], strlen(rules[i]), &e);
        assert_non_null(ig);
        for (int k = 0; paths[k]; k++) {
            bool want = by_fnmatch(rules[i], paths[k]);
            if (chart_ignore_match(ig, paths[k], false) != want)
                fail_msg("rule \"%s\" on \"%s\": want %d", rules[i], paths[k], want);
        }
        arena_free(a);
    }
}

static void test_negation_and_dirs(void **state)
{
    (void)state;
    arena *a = arena_new();
    cap_err e = CAP_ERR_INIT;
    const char *text = "*.md\nhack/\n";
    chart_ignore *ig = chart_ignore_parse(a, text, strlen(text), &e);
    assert_non_null(ig);
    assert_true(chart_ignore_match(ig, "NOTES.md", false));
    assert_true(chart_ignore_match(ig, "hack", true));
    assert_false(chart_ignore_match(ig, "hack", false)); /* a file named so: the rule is for directories */
    assert_false(chart_ignore_match(ig, "templates/x.yaml", false));
    /* helm's default: templates/.?* */
    assert_true(chart_ignore_match(ig, "templates/.hidden", false));
    /* helm's negation: what does not match it is ignored */
    text = "!README.md\n";
    ig = chart_ignore_parse(a, text, strlen(text), &e);
    assert_false(chart_ignore_match(ig, "README.md", false));
    assert_true(chart_ignore_match(ig, "values.yaml", false));
    arena_free(a);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_rules_as_fnmatch),
    cmocka_unit_test(test_negation_and_dirs),
};

UNIT_MAIN(tests)
