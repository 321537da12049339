/* query.h — what the release queries (query.c: history, status, list) share
 * with the `get` commands (get.c) and the other text outputs of helm's
 * commands (search.c): Go structs written as encoding/json writes them,
 * fields in struct order, and helm's tables. */
#ifndef CAPSTAN_QUERY_H
#define CAPSTAN_QUERY_H

#include <stdbool.h>

#include "core/err.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "core/value.h"

/* One field of a struct: its JSON name, omitempty, and the fields of a
 * struct (or of each struct of a list) it holds, or NULL. */
typedef struct jfield {
    const char *name;
    bool omitempty;
    const struct jfield *sub;
} jfield;

/* m (a map) as json.Marshal writes a struct with these fields: in this
 * order, the absent ones (and the empty ones that are omitempty) left out. */
int query_emit_struct(strbuf *out, const cval *m, const jfield *fields, cap_err *e);

/* helm status's table text of a release record (all: helm get all's, with
 * the chart's lines, both values, the hooks and the manifest); malloc'd, or
 * NULL with e set. */
char *query_status_text(arena *a, const cval *rel, long version, bool all, bool hide_notes, const char *resources,
                        const char *not_ready, cap_err *e);

/* A table as helm's uitable prints one: the cells keys[c] of each row (a map),
 * columns padded to their widest cell, tab-separated; headers first unless false. */
void query_table(strbuf *out, const cval *rows, const char *const *cols, const char *const *keys, int ncols,
                 bool headers);

/* CoalesceValues(release.Chart, release.Config): the stored chart (no
 * subcharts) and the user's values, as `get values --all` shows them. */
int query_computed_values(arena *a, const cval *rel, cval **out, cap_err *e);

#endif
