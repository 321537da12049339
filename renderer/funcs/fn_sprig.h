/* fn_sprig.h — what the files of Sprig's everyday families
 * share besides fn_util.h.
 *
 * Each table ends with a zeroed row. Sprig functions that Helm replaces
 * (toJson, mustToJson, fromJson, ...) or removes (env, expandenv) are not
 * here; toPrettyJson, toRawJson and their must* forms are (fn_defaults). */
#ifndef CAPSTAN_FN_SPRIG_H
#define CAPSTAN_FN_SPRIG_H

#include <stdint.h>

#include "renderer/funcs/funcs.h"
#include "core/value.h"

/* The tables (fn_strings_table ... fn_random_table) are declared in funcs.h. */

/* A uniformly random integer in [0, n) (n > 0): getrandom(2), or, when the
 * render has a seed (tmpl_opts.seed), a reproducible draw. */
uint64_t fn_rand_below(cv_call *c, uint64_t n);

/* Sprig's empty(): Go's zero value test (nil, 0, "", false, len 0). */
bool fn_empty(const cval *v);

#endif
