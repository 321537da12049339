/* query.h — what the release queries (query.c: history, status, list) share
 * with the `get` commands (get.c): Go structs written as encoding/json writes
 * them, fields in struct order. */
#ifndef CAPSTAN_QUERY_H
#define CAPSTAN_QUERY_H

#include <stdbool.h>

#include "err.h"
#include "strbuf.h"
#include "value.h"

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

#endif
