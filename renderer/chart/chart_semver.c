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
    arena *a = arena_new();
    const char *why;
    bool ok = semver_satisfies(a, constraint, version, &why) == 1;
    arena_free(a);
    return ok;
}
