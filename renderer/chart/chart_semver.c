/* chart_semver.c — the chart's questions about versions (a dependency's
 * range, kubeVersion, a Chart.yaml version), answered by the one semver engine
 * (semver.c, Masterminds/semver v3.4.0) as helm's IsCompatibleRange and
 * isValidSemver answer them. */
#include "renderer/chart/chart.h"
#include "core/semver.h"

/* NewVersion, so that chart versions are judged as helm's Validate and lint
 * judge them ("1.0.0-01" is not a version). */
bool chart_semver_valid(const char *version)
{
    arena *a = arena_new();
    semver_version v;
    const char *why;
    bool ok = semver_parse(a, version, &v, &why) == 0;
    arena_free(a);
    return ok;
}

/* IsCompatibleRange: NewVersion(version), NewConstraint(constraint), Check;
 * false when either does not parse. */
bool chart_semver_check(const char *constraint, const char *version)
{
    return chart_semver_check_with(NULL, constraint, version);
}

/* The same with the constraint grammar made once in *g (when g is not NULL)
 * for all the checks of one walk: compiling it was a quarter of the
 * dependency processing of kube-prometheus-stack (ten checks, ten compiles). */
bool chart_semver_check_with(semver_grammar **g, const char *constraint, const char *version)
{
    semver_grammar *own = NULL;
    if (!g)
        g = &own;
    if (!*g)
        *g = semver_grammar_new();
    arena *a = arena_new();
    const char *why;
    semver_version v;
    semver_constraints *cs = semver_constraints_parse_with(*g, a, constraint, &why);
    bool ok = cs && semver_parse(a, version, &v, &why) == 0 && semver_constraints_check(cs, &v);
    semver_constraints_free(cs);
    arena_free(a);
    semver_grammar_free(own);
    return ok;
}
