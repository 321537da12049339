/* get_template.h — `helm get all --template TEXT`: TEXT over {"Release": the release}
 * as helm's (pkg/cmd/get_all.go), the release a *release.Release read from its record. */
#ifndef CAPSTAN_GET_TEMPLATE_H
#define CAPSTAN_GET_TEMPLATE_H

#include "core/arena.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "core/value.h"

/* rel: the record (helm's JSON); labels: Release.Labels (NULL: nil). What was written
 * goes to out, on error too (Go writes up to the failing action). */
int get_all_template(arena *a, const cval *rel, const cval *labels, const char *text, strbuf *out, cap_err *e);

#endif
