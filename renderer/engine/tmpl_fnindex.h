/* tmpl_fnindex.h — the functions a render can call, indexed by name (one
 * index per render; no global mutable state). The tables themselves are the
 * function library's (renderer/funcs/funcs.h: fn_all_tables). */
#ifndef CAPSTAN_TMPL_FNINDEX_H
#define CAPSTAN_TMPL_FNINDEX_H

#include <stddef.h>

#include "core/arena.h"
#include "core/value.h"

/* Go text/template's own functions (and, or, not, len, index, print...):
 * renderer/engine/tmpl_builtins.c. */
extern const cv_fnreg tmpl_builtins_table[];

typedef struct fn_index fn_index;

/* An index over tables (a NULL-terminated array, in override order: a later
 * row of the same name wins), in a's memory. */
fn_index *fn_index_new(arena *a, const cv_fnreg *const *tables);
/* The row for name, or NULL. *builtin says whether it came from the builtins
 * table (tmpl_builtins_table: and, or and call are special there). */
const cv_fnreg *fn_index_find(const fn_index *ix, const char *name, size_t len, int *builtin);

#endif
