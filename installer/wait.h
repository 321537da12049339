/* wait.h — wait until objects are ready, with watches, failing fast.
 *
 * wait_ready() lists each kind once, then watches it, re-judging an object
 * with ready_status() on every change. Pods of the workloads waited on are
 * watched too: a pod stuck in ImagePullBackOff, CrashLoopBackOff, ... fails
 * the wait at once, naming the workload, the pod and the reason. A wait that
 * runs out of time names every object still not ready and why.
 *
 * Progress: on a terminal, a live line per object; otherwise one log line per
 * change of an object's state.
 */
#ifndef CAPSTAN_WAIT_H
#define CAPSTAN_WAIT_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "kube_api.h"
#include "ready.h"

typedef struct wait_target {
    const char *api_version, *kind, *namespace, *name;
    /* filled in */
    ready_result state;
    bool seen;
} wait_target;

typedef struct wait_opts {
    long timeout_ms;      /* the whole wait; 0: 5 minutes */
    FILE *log;            /* progress; NULL: silent */
    bool live;            /* rewrite lines in place (a terminal) */
    const char *label;    /* e.g. "wave 2/4", printed before each line */
    volatile sig_atomic_t *cancel; /* set by a signal: give up at once */
    void (*tick)(void *ctx);  /* called about twice a second while waiting (e.g. to renew a lease) */
    void *tick_ctx;
} wait_opts;

int wait_ready(kube_api *api, wait_target *targets, size_t n, const wait_opts *o, cap_err *err);

#endif
