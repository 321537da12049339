/* wait.h — wait until objects are ready, with watches, failing fast.
 *
 * wait_ready() lists each kind once, then watches it, re-judging an object
 * with ready_status() on every change. Pods of the workloads waited on are
 * watched too: a pod stuck in ImagePullBackOff, CrashLoopBackOff, ... fails
 * the wait at once, naming the workload, the pod and the reason. A wait that
 * runs out of time names every object still not ready and why.
 *
 * Persistent failures that a controller reports rather than a pod are failed
 * too, after a grace period (fail_grace_ms) in which they may clear: a
 * FailedCreate Warning event on a Job, ReplicaSet, StatefulSet, DaemonSet or
 * ReplicationController (a missing ServiceAccount, forbidden, an exceeded
 * quota, an admission webhook's denial), a ReplicaFailure condition on a
 * Deployment or ReplicaSet, and a pod that cannot be scheduled for a reason
 * that will not change by itself (no node matches its selector or affinity,
 * an untolerated taint). The failure carries the controller's message. A new
 * pod of the workload, or the condition clearing, cancels the grace period.
 *
 * A Service of type LoadBalancer is ready once it has a cluster IP, as
 * kstatus (helm 4's watcher) judges it; wait_for_lb also waits for the load
 * balancer's address.
 *
 * Progress: with o->progress on, a CAPSTAN_PROGRESS_OBJECT event per change of
 * an object's state; else on a terminal (live), a live line per object, and
 * otherwise one log line per change. When the wait fails or times out, the
 * objects that failed (on a timeout: every one not ready) are diagnosed
 * (diagnose.h): conditions, Warning events, the logs of failing containers.
 */
#ifndef CAPSTAN_WAIT_H
#define CAPSTAN_WAIT_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "installer/kube/kube_api.h"
#include "installer/release/progress.h"
#include "installer/release/ready.h"

typedef struct wait_target {
    const char *api_version, *kind, *namespace, *name;
    /* filled in */
    ready_result state;
    bool seen;
    /* a controller's persistent failure, while it lasts */
    const char *failing;  /* its message, or NULL */
    long failing_since;   /* monotonic ms */
    const char *uid;      /* metadata.uid, once seen */
} wait_target;

typedef struct wait_opts {
    long timeout_ms;      /* the whole wait; 0: 5 minutes */
    FILE *log;            /* progress; NULL: silent */
    bool live;            /* rewrite lines in place (a terminal) */
    const char *label;    /* e.g. "wave 2/4", printed before each line */
    volatile sig_atomic_t *cancel; /* set by a signal: give up at once */
    void (*tick)(void *ctx);  /* called about twice a second while waiting (e.g. to renew a lease) */
    void *tick_ctx;
    long fail_grace_ms;   /* how long a controller's failure may last before the wait fails; 0: 10 s */
    bool wait_for_lb;     /* a LoadBalancer Service also needs its address (stricter than kstatus) */
    bool started_jobs;    /* a Job counts as ready once started, as kstatus counts it (helm --wait
                             without --wait-for-jobs); false: once complete (hooks, --wait-for-jobs) */
    const progress *progress; /* on: object events instead of log lines, and the diagnostics
                                 (diagnose.h) of what failed or timed out as an event;
                                 off: the diagnostics go to log */
} wait_opts;

int wait_ready(kube_api *api, wait_target *targets, size_t n, const wait_opts *o, cap_err *err);

#endif
