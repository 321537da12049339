/* ready.h — is a live object ready? Per-kind rules at least as strict as
 * kstatus (kubernetes-sigs/cli-utils), plus fail-fast diagnostics.
 *
 * ready_status() looks at one object as the API server returned it. For
 * workloads, the pods matter too: ready_pod_failure() says whether a pod is
 * stuck in a state that will not fix itself (ImagePullBackOff, ErrImagePull,
 * CrashLoopBackOff, CreateContainerConfigError, ...), so that a wait can fail
 * at once, naming the pod and the reason, instead of running out its timeout.
 *
 * Messages live in the arena passed in.
 */
#ifndef CAPSTAN_READY_H
#define CAPSTAN_READY_H

#include <stdbool.h>

#include "core/arena.h"
#include "core/value.h"

typedef enum ready_state {
    READY_IN_PROGRESS = 0,  /* not yet; keep waiting */
    READY_CURRENT,          /* ready */
    READY_FAILED,           /* will not become ready by waiting */
    READY_TERMINATING,      /* being deleted */
} ready_state;

typedef struct ready_result {
    ready_state state;
    const char *message;    /* e.g. "2/3 replicas available", "Job failed: BackoffLimitExceeded" */
} ready_result;

/* Kinds without status (ConfigMap, Secret, RBAC, ...) are ready once they exist.
 * Custom resources are ready when they have no Ready condition, or it is True. */
ready_result ready_status(arena *a, const cval *obj);

/* NULL when the pod is fine or still starting; else "ImagePullBackOff: <message>"
 * for the first stuck container (init containers included). */
const char *ready_pod_failure(arena *a, const cval *pod);

/* A Deployment's or ReplicaSet's ReplicaFailure condition (True): its reason
 * and message (e.g. "FailedCreate: pods \"x\" is forbidden: ..."), else NULL. */
const char *ready_replica_failure(arena *a, const cval *obj);

/* A pod the scheduler cannot place for a reason that will not change by
 * itself (no node matches its node selector or affinity, an untolerated
 * taint, a volume node affinity conflict): "Unschedulable: <message>", else NULL.
 * A shortage of CPU or memory is not counted: other pods may free it. */
const char *ready_pod_unschedulable(arena *a, const cval *pod);

/* A Service of type LoadBalancer that has no load balancer address yet. Such
 * a Service counts as ready once it has a cluster IP, as kstatus counts it;
 * this is the stricter check, for --wait-for-load-balancer. */
bool ready_lb_pending(const cval *obj);

const char *ready_state_name(ready_state s);

#endif
