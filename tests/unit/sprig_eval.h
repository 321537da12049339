/* sprig_eval.h — evaluate a template call expression with the Sprig tables
 * (tests only). Returns the value, or NULL with *err set (arena strings). */
#ifndef CAPSTAN_SPRIG_EVAL_H
#define CAPSTAN_SPRIG_EVAL_H

#include "core/value.h"

const cv_fnreg *sprig_find(const char *name);
cval *sprig_eval(arena *a, const char *expr, char **err);

#endif
