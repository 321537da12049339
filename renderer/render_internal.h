/* render_internal.h — what the installer (inside libcapstan) needs of a
 * rendered release beyond the public capstan_release: the chart itself and the
 * values the user supplied, both for the release record Helm keeps. */
#ifndef CAPSTAN_RENDER_INTERNAL_H
#define CAPSTAN_RENDER_INTERNAL_H

#include "capstan.h"
#include "chart.h"
#include "tmpl.h"
#include "value.h"

/* Both live as long as the release. Returns -1 for a release not rendered by capstan_render(). */
int render_release_parts(const capstan_release *r, chart **c, cval **config);

/* The user's values from -f/--set* of o, merged as helm's MergeValues (for helm lint). */
int render_merge_values(arena *a, const capstan_render_opts *o, cval **out, cap_err *err);
/* recAllTpls: the engine's sources of c and its subcharts; top holds Release,
 * Capabilities and Values (for helm lint, which renders on its own terms). */
void render_sources(arena *a, chart *c, cval *top, tmpl_source **out, size_t *n);

#endif
