/* render_internal.h — what the installer (inside libcapstan) needs of a
 * rendered release beyond the public capstan_release: the chart itself and the
 * values the user supplied, both for the release record Helm keeps. */
#ifndef CAPSTAN_RENDER_INTERNAL_H
#define CAPSTAN_RENDER_INTERNAL_H

#include "capstan.h"
#include "chart.h"
#include "value.h"

/* Both live as long as the release. Returns -1 for a release not rendered by capstan_render(). */
int render_release_parts(const capstan_release *r, chart **c, cval **config);

#endif
