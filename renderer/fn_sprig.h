/* fn_sprig.h — the function tables of Sprig's everyday families (branch
 * sprig), for the registry in renderer/funcs.c, and what they share.
 *
 * Each table ends with a zeroed row. Sprig functions that Helm replaces
 * (toJson, mustToJson, fromJson, ...) or removes (env, expandenv) are not
 * here; toPrettyJson, toRawJson and their must* forms are (fn_defaults). */
#ifndef CAPSTAN_FN_SPRIG_H
#define CAPSTAN_FN_SPRIG_H

#include <stdint.h>

#include "value.h"

extern const cv_fnreg fn_strings_table[];
extern const cv_fnreg fn_lists_table[];
extern const cv_fnreg fn_dicts_table[];
extern const cv_fnreg fn_math_table[];
extern const cv_fnreg fn_defaults_table[];
extern const cv_fnreg fn_reflect_table[];
extern const cv_fnreg fn_encoding_table[];
extern const cv_fnreg fn_paths_table[];
extern const cv_fnreg fn_url_table[];
extern const cv_fnreg fn_random_table[];

/* A uniformly random integer in [0, n) (n > 0), from the system's CSPRNG. */
uint64_t fn_rand_below(cv_call *c, uint64_t n);

/* Sprig's empty(): Go's zero value test (nil, 0, "", false, len 0). */
bool fn_empty(const cval *v);

#endif
