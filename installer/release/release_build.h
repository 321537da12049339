/* release_build.h — the release record Helm keeps, built from a rendered release.
 *
 * Fields as pkg/release/v1.Release writes them: name, namespace, version,
 * info {first_deployed, last_deployed, description, status, notes}, chart
 * {metadata, lock, templates, values, schema, files}, config (the values the
 * user supplied), manifest (the "---\n# Source: ..." text), hooks,
 * apply_method "ssa". Ownership: values live in the arena given.
 */
#ifndef CAPSTAN_RELEASE_BUILD_H
#define CAPSTAN_RELEASE_BUILD_H

#include "capstan.h"
#include "renderer/chart/chart.h"
#include "core/err.h"
#include "core/value.h"

/* The chart as Helm serialises it (subcharts are not part of it, as in Helm). */
cval *release_chart_json(arena *a, const chart *c, const char *modtime);

/* The manifest text of a release: every non-hook manifest, in install order. */
char *release_manifest_text(arena *a, const capstan_release *r, bool hide_secrets);

cval *release_new_record(arena *a, const char *name, const char *ns, long version, const char *status,
                         const char *description, const char *first_deployed, const char *now,
                         const capstan_release *r, cval *hooks);

/* The manifests of a stored release, split back into objects (for pruning and
 * rollback): sources[i] and objs[i], from "# Source:" lines. */
int release_manifest_objects(arena *a, const char *manifest, const char ***sources, cval ***objs, size_t *n,
                             cap_err *err);

#endif
