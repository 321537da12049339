/* values.h — Helm's values: coalescing chart defaults with user values
 * (pkg/chart/common/util/coalesce.go), and values.schema.json validation.
 *
 * Ownership: results live in the arena given. The coalesce functions change
 * the maps they are given, as Helm's do; values_coalesce() changes neither
 * vals nor the charts' defaults: its result copies their maps and lists (and
 * shares their immutable scalars and keys, so the charts must outlive it).
 */
#ifndef CAPSTAN_VALUES_H
#define CAPSTAN_VALUES_H

#include <stdbool.h>

#include "renderer/chart/chart.h"
#include "core/err.h"
#include "core/value.h"

/* CoalesceValues (merge false: a null deletes a default) or MergeValues (merge true):
 * a copy of vals with the chart's defaults, its subcharts' and globals. */
int values_coalesce(arena *a, const chart *c, const cval *vals, bool merge, cval **out, cap_err *err);

/* values_coalesce, taking the chart's own defaults (c->values, not its
 * subcharts') into the result instead of copying them: the result and its
 * users may change them, so the chart's values must not be used again (a
 * render whose chart is dropped after it, as `helm template`'s). */
int values_coalesce_taking(arena *a, chart *c, const cval *vals, bool merge, cval **out, cap_err *err);

/* CoalesceTables / MergeTables: src's keys into dst where dst lacks them; dst wins. */
cval *values_coalesce_tables(arena *a, cval *dst, cval *src, bool merge);

/* Values.PathValue("a.b.c"): NULL when absent. */
cval *values_path(cval *vals, const char *path);
/* Values.Table("a.b"): the map at the path, or NULL. */
cval *values_table(cval *vals, const char *path);

/* values.schema.json of the chart and its subcharts against the coalesced values.
 * Error text as Helm 4's ("values don't meet the specifications of the schema(s)..."). */
int values_validate_schemas(arena *a, const chart *c, cval *vals, cap_err *err);
int values_validate_schema(arena *a, const char *schema, size_t len, const char *chartname,
                           cval *vals, strbuf *problems, cap_err *err);

#endif
