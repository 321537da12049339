/* plan_wait.h — what a --wait waits for, in words, per object: the rules of
 * ready.c (kstatus's), for the --dry-run plan. Keep the two in step: a kind
 * ready.c learns a rule for gets its sentence here.
 *
 * Strings are static or live in the arena given.
 */
#ifndef CAPSTAN_PLAN_WAIT_H
#define CAPSTAN_PLAN_WAIT_H

#include <stdbool.h>

#include "core/arena.h"
#include "core/value.h"

/* NULL when wait is false (nothing is waited for). */
const char *plan_wait_rule(arena *a, const cval *obj, bool wait, bool wait_for_jobs, bool wait_for_lb);

/* A hook of this kind: a Job must complete, a Pod succeed; others are only created. */
const char *plan_hook_wait(const char *kind);

#endif
