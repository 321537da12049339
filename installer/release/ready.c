/* ready.c — see ready.h. The rules follow kstatus's: a controller must have
 * observed the latest generation before its status counts. */
#include "installer/release/ready.h"
#include "core/value.h"

#include <string.h>


static cval *path2(const cval *m, const char *a, const char *b) { return cv_get(cv_get(m, a), b); }


/* Numbers come back from JSON as float64. */
static long num(const cval *v, long dflt)
{
    if (!v)
        return dflt;
    /* a float only within ±2^53 (exact, and far enough from long's ends for
     * the sums made of it): the cast is undefined beyond long and for NaN */
    if (v->kind == CV_FLOAT)
        return v->u.f >= -9007199254740992.0 && v->u.f <= 9007199254740992.0 ? (long)v->u.f : dflt;
    if (v->kind == CV_INT)
        return (long)v->u.i;
    return dflt;
}

static const cval *condition(const cval *obj, const char *type)
{
    cval *conds = path2(obj, "status", "conditions");
    if (!conds || conds->kind != CV_LIST)
        return NULL;
    for (size_t i = 0; i < cv_list_len(conds); i++) {
        cval *c = cv_list_get(conds, i);
        const char *t = cv_str(cv_get(c, "type"));
        if (t && strcmp(t, type) == 0)
            return c;
    }
    return NULL;
}

static bool cond_is(const cval *c, const char *status)
{
    const char *s = c ? cv_str(cv_get(c, "status")) : NULL;
    return s && strcmp(s, status) == 0;
}

static ready_result res(ready_state s, const char *m) { return (ready_result){s, m}; }

/* metadata.generation > status.observedGeneration: the controller has not
 * caught up with the latest spec. */
static bool stale(const cval *obj)
{
    long gen = num(path2(obj, "metadata", "generation"), 0);
    cval *og = path2(obj, "status", "observedGeneration");
    return og && gen > num(og, 0);
}

static ready_result deployment(arena *a, const cval *o)
{
    long want = num(path2(o, "spec", "replicas"), 1);
    if (!cv_get(o, "status") || stale(o))
        return res(READY_IN_PROGRESS, "waiting for the controller to observe the latest generation");
    const cval *prog = condition(o, "Progressing");
    const char *reason = prog ? cv_str(cv_get(prog, "reason")) : NULL;
    if (reason && strcmp(reason, "ProgressDeadlineExceeded") == 0)
        return res(READY_FAILED, arena_printf(a, "progress deadline exceeded: %s",
                                              cv_str(cv_get(prog, "message")) ? cv_str(cv_get(prog, "message")) : ""));
    long updated = num(path2(o, "status", "updatedReplicas"), 0);
    long total = num(path2(o, "status", "replicas"), 0);
    long ready = num(path2(o, "status", "readyReplicas"), 0);
    long avail = num(path2(o, "status", "availableReplicas"), 0);
    if (updated < want)
        return res(READY_IN_PROGRESS, arena_printf(a, "%ld/%ld replicas updated", updated, want));
    if (total > updated)
        return res(READY_IN_PROGRESS, arena_printf(a, "%ld old replicas pending termination", total - updated));
    if (avail < want)
        return res(READY_IN_PROGRESS, arena_printf(a, "%ld/%ld replicas available", avail, want));
    if (ready < want)
        return res(READY_IN_PROGRESS, arena_printf(a, "%ld/%ld replicas ready", ready, want));
    return res(READY_CURRENT, arena_printf(a, "%ld/%ld replicas available", avail, want));
}

static ready_result statefulset(arena *a, const cval *o)
{
    long want = num(path2(o, "spec", "replicas"), 1);
    if (!cv_get(o, "status") || stale(o))
        return res(READY_IN_PROGRESS, "waiting for the controller to observe the latest generation");
    long ready = num(path2(o, "status", "readyReplicas"), 0);
    long current = num(path2(o, "status", "currentReplicas"), 0);
    long updated = num(path2(o, "status", "updatedReplicas"), 0);
    const char *strategy = cv_str(cv_get(path2(o, "spec", "updateStrategy"), "type"));
    bool ondelete = strategy && strcmp(strategy, "OnDelete") == 0;
    long partition = num(cv_get(cv_get(path2(o, "spec", "updateStrategy"), "rollingUpdate"), "partition"), 0);
    if (ready < want)
        return res(READY_IN_PROGRESS, arena_printf(a, "%ld/%ld replicas ready", ready, want));
    if (!ondelete) {
        if (partition > 0) {
            if (updated < want - partition)
                return res(READY_IN_PROGRESS, arena_printf(a, "%ld/%ld replicas updated (partition %ld)", updated,
                                                           want - partition, partition));
        } else {
            const char *cur = cv_str(path2(o, "status", "currentRevision"));
            const char *upd = cv_str(path2(o, "status", "updateRevision"));
            if (cur && upd && strcmp(cur, upd) != 0)
                return res(READY_IN_PROGRESS, arena_printf(a, "%ld/%ld replicas updated", updated, want));
            if (current < want && want > 0)
                return res(READY_IN_PROGRESS, arena_printf(a, "%ld/%ld replicas current", current, want));
        }
    }
    return res(READY_CURRENT, arena_printf(a, "%ld/%ld replicas ready", ready, want));
}

static ready_result daemonset(arena *a, const cval *o)
{
    if (!cv_get(o, "status") || stale(o))
        return res(READY_IN_PROGRESS, "waiting for the controller to observe the latest generation");
    long desired = num(path2(o, "status", "desiredNumberScheduled"), 0);
    long updated = num(path2(o, "status", "updatedNumberScheduled"), 0);
    long avail = num(path2(o, "status", "numberAvailable"), 0);
    long ready = num(path2(o, "status", "numberReady"), 0);
    if (updated < desired)
        return res(READY_IN_PROGRESS, arena_printf(a, "%ld/%ld pods updated", updated, desired));
    if (avail < desired)
        return res(READY_IN_PROGRESS, arena_printf(a, "%ld/%ld pods available", avail, desired));
    if (ready < desired)
        return res(READY_IN_PROGRESS, arena_printf(a, "%ld/%ld pods ready", ready, desired));
    return res(READY_CURRENT, arena_printf(a, "%ld/%ld pods ready", ready, desired));
}

static ready_result replicaset(arena *a, const cval *o)
{
    long want = num(path2(o, "spec", "replicas"), 1);
    if (!cv_get(o, "status") || stale(o))
        return res(READY_IN_PROGRESS, "waiting for the controller to observe the latest generation");
    long ready = num(path2(o, "status", "readyReplicas"), 0);
    long avail = num(path2(o, "status", "availableReplicas"), 0);
    if (ready < want)
        return res(READY_IN_PROGRESS, arena_printf(a, "%ld/%ld replicas ready", ready, want));
    if (avail < want)
        return res(READY_IN_PROGRESS, arena_printf(a, "%ld/%ld replicas available", avail, want));
    return res(READY_CURRENT, arena_printf(a, "%ld/%ld replicas ready", ready, want));
}

static ready_result job(arena *a, const cval *o)
{
    const cval *failed = condition(o, "Failed");
    if (cond_is(failed, "True")) {
        const char *reason = cv_str(cv_get(failed, "reason"));
        const char *msg = cv_str(cv_get(failed, "message"));
        return res(READY_FAILED, arena_printf(a, "Job failed: %s%s%s", reason ? reason : "Failed",
                                              msg ? ": " : "", msg ? msg : ""));
    }
    if (cond_is(condition(o, "Complete"), "True"))
        return res(READY_CURRENT, arena_printf(a, "Job complete (%ld succeeded)",
                                               num(path2(o, "status", "succeeded"), 0)));
    cval *susp = path2(o, "spec", "suspend");
    if (susp && susp->kind == CV_BOOL && susp->u.b)
        return res(READY_CURRENT, "Job suspended");
    return res(READY_IN_PROGRESS, arena_printf(a, "Job running: %ld active, %ld succeeded, %ld failed",
                                               num(path2(o, "status", "active"), 0),
                                               num(path2(o, "status", "succeeded"), 0),
                                               num(path2(o, "status", "failed"), 0)));
}

static ready_result pvc(arena *a, const cval *o)
{
    const char *phase = cv_str(path2(o, "status", "phase"));
    if (phase && strcmp(phase, "Bound") == 0)
        return res(READY_CURRENT, "Bound");
    if (phase && strcmp(phase, "Lost") == 0)
        return res(READY_FAILED, "claim Lost: its volume is gone");
    return res(READY_IN_PROGRESS, arena_printf(a, "claim %s", phase ? phase : "Pending"));
}

/* kstatus: a LoadBalancer Service is ready once it has a cluster IP. */
static ready_result service(arena *a, const cval *o)
{
    (void)a;
    const char *type = cv_str(path2(o, "spec", "type"));
    if (type && strcmp(type, "LoadBalancer") == 0) {
        const char *ip = cv_str(path2(o, "spec", "clusterIP"));
        if (!ip || !*ip)
            return res(READY_IN_PROGRESS, "ClusterIP not set. Service type: LoadBalancer");
        if (ready_lb_pending(o))
            return res(READY_CURRENT, "Service ready (no load balancer address yet)");
    }
    return res(READY_CURRENT, "Service ready");
}

bool ready_lb_pending(const cval *o)
{
    const char *type = cv_str(path2(o, "spec", "type"));
    const char *kind = cv_str(cv_get(o, "kind"));
    if (!type || strcmp(type, "LoadBalancer") != 0 || !kind || strcmp(kind, "Service") != 0)
        return false;
    cval *ing = cv_get(path2(o, "status", "loadBalancer"), "ingress");
    return !ing || ing->kind != CV_LIST || cv_list_len(ing) == 0;
}

const char *ready_replica_failure(arena *a, const cval *o)
{
    const cval *c = condition(o, "ReplicaFailure");
    if (!cond_is(c, "True"))
        return NULL;
    const char *reason = cv_str(cv_get(c, "reason")), *msg = cv_str(cv_get(c, "message"));
    return arena_printf(a, "%s: %s", reason ? reason : "ReplicaFailure", msg ? msg : "");
}

const char *ready_pod_unschedulable(arena *a, const cval *p)
{
    static const char *const lasting[] = {
        "didn't match Pod's node affinity/selector", "untolerated taint", "volume node affinity conflict",
        "didn't match pod anti-affinity rules", "didn't match pod affinity rules", NULL,
    };
    const cval *c = condition(p, "PodScheduled");
    const char *reason = c ? cv_str(cv_get(c, "reason")) : NULL;
    const char *msg = c ? cv_str(cv_get(c, "message")) : NULL;
    if (!cond_is(c, "False") || !reason || strcmp(reason, "Unschedulable") != 0 || !msg)
        return NULL;
    if (strstr(msg, "Insufficient ") || strstr(msg, "Too many pods"))
        return NULL;
    for (const char *const *l = lasting; *l; l++)
        if (strstr(msg, *l))
            return arena_printf(a, "Unschedulable: %s", msg);
    return NULL;
}

static ready_result crd(arena *a, const cval *o)
{
    const cval *names = condition(o, "NamesAccepted");
    if (cond_is(names, "False"))
        return res(READY_FAILED, arena_printf(a, "names not accepted: %s",
                                              cv_str(cv_get(names, "message")) ? cv_str(cv_get(names, "message")) : ""));
    if (cond_is(condition(o, "Established"), "True"))
        return res(READY_CURRENT, "Established");
    return res(READY_IN_PROGRESS, "waiting for Established");
}

static ready_result namespace_(arena *a, const cval *o)
{
    const char *phase = cv_str(path2(o, "status", "phase"));
    if (phase && strcmp(phase, "Terminating") == 0)
        return res(READY_TERMINATING, "namespace terminating");
    return res(READY_CURRENT, "Active");
}

static ready_result pod(arena *a, const cval *o)
{
    const char *why = ready_pod_failure(a, o);
    if (why)
        return res(READY_FAILED, why);
    const char *phase = cv_str(path2(o, "status", "phase"));
    if (phase && strcmp(phase, "Succeeded") == 0)
        return res(READY_CURRENT, "Succeeded");
    if (phase && strcmp(phase, "Failed") == 0) {
        const char *reason = cv_str(path2(o, "status", "reason"));
        return res(READY_FAILED, arena_printf(a, "pod Failed%s%s", reason ? ": " : "", reason ? reason : ""));
    }
    if (cond_is(condition(o, "Ready"), "True"))
        return res(READY_CURRENT, "Ready");
    return res(READY_IN_PROGRESS, arena_printf(a, "pod %s", phase ? phase : "Pending"));
}

static ready_result custom(arena *a, const cval *o)
{
    const cval *r = condition(o, "Ready");
    if (!r)
        return res(READY_CURRENT, "exists (no Ready condition)");
    if (stale(o))
        return res(READY_IN_PROGRESS, "waiting for the controller to observe the latest generation");
    if (cond_is(r, "True"))
        return res(READY_CURRENT, "Ready");
    const char *msg = cv_str(cv_get(r, "message"));
    return res(READY_IN_PROGRESS, arena_printf(a, "not Ready%s%s", msg ? ": " : "", msg ? msg : ""));
}

static const char *const fatal_waiting[] = {
    "ImagePullBackOff", "ErrImagePull", "CrashLoopBackOff", "CreateContainerConfigError",
    "CreateContainerError", "InvalidImageName", "ErrImageNeverPull", "RunContainerError", NULL,
};

static const char *stuck_in(arena *a, const cval *statuses)
{
    if (!statuses || statuses->kind != CV_LIST)
        return NULL;
    for (size_t i = 0; i < cv_list_len(statuses); i++) {
        cval *cs = cv_list_get(statuses, i);
        cval *waiting = path2(cs, "state", "waiting");
        const char *reason = cv_str(cv_get(waiting, "reason"));
        if (!reason)
            continue;
        for (const char *const *f = fatal_waiting; *f; f++) {
            if (strcmp(reason, *f) == 0) {
                const char *msg = cv_str(cv_get(waiting, "message"));
                const char *name = cv_str(cv_get(cs, "name"));
                return arena_printf(a, "container %s: %s%s%s", name ? name : "?", reason, msg ? ": " : "",
                                    msg ? msg : "");
            }
        }
    }
    return NULL;
}

const char *ready_pod_failure(arena *a, const cval *p)
{
    const char *why = stuck_in(a, path2(p, "status", "initContainerStatuses"));
    if (!why)
        why = stuck_in(a, path2(p, "status", "containerStatuses"));
    return why;
}

const char *ready_state_name(ready_state s)
{
    switch (s) {
    case READY_IN_PROGRESS: return "InProgress";
    case READY_CURRENT: return "Current";
    case READY_FAILED: return "Failed";
    case READY_TERMINATING: return "Terminating";
    }
    return "?";
}

static bool core_group(const char *apiv)
{
    return apiv && !strchr(apiv, '/');
}

static bool group_is(const char *apiv, const char *group)
{
    size_t n = strlen(group);
    return apiv && strncmp(apiv, group, n) == 0 && apiv[n] == '/';
}

ready_result ready_status(arena *a, const cval *obj)
{
    if (!obj || obj->kind != CV_MAP)
        return res(READY_IN_PROGRESS, "not found");
    if (path2(obj, "metadata", "deletionTimestamp"))
        return res(READY_TERMINATING, "being deleted");
    const char *kind = cv_str(cv_get(obj, "kind"));
    const char *apiv = cv_str(cv_get(obj, "apiVersion"));
    if (!kind)
        return res(READY_CURRENT, "exists");
    if (group_is(apiv, "apps")) {
        if (strcmp(kind, "Deployment") == 0)
            return deployment(a, obj);
        if (strcmp(kind, "StatefulSet") == 0)
            return statefulset(a, obj);
        if (strcmp(kind, "DaemonSet") == 0)
            return daemonset(a, obj);
        if (strcmp(kind, "ReplicaSet") == 0)
            return replicaset(a, obj);
    }
    if (group_is(apiv, "batch") && strcmp(kind, "Job") == 0)
        return job(a, obj);
    if (core_group(apiv)) {
        if (strcmp(kind, "Pod") == 0)
            return pod(a, obj);
        if (strcmp(kind, "PersistentVolumeClaim") == 0)
            return pvc(a, obj);
        if (strcmp(kind, "Service") == 0)
            return service(a, obj);
        if (strcmp(kind, "Namespace") == 0)
            return namespace_(a, obj);
        if (strcmp(kind, "ReplicationController") == 0)
            return replicaset(a, obj);
        return res(READY_CURRENT, "exists");
    }
    if (group_is(apiv, "apiextensions.k8s.io") && strcmp(kind, "CustomResourceDefinition") == 0)
        return crd(a, obj);
    /* Built-in groups whose objects have no readiness of their own. */
    static const char *const statusless[] = {
        "rbac.authorization.k8s.io", "networking.k8s.io", "policy", "storage.k8s.io", "scheduling.k8s.io",
        "admissionregistration.k8s.io", "autoscaling", "coordination.k8s.io", "node.k8s.io",
        "apiregistration.k8s.io", "certificates.k8s.io", "discovery.k8s.io", "events.k8s.io", NULL,
    };
    for (const char *const *g = statusless; *g; g++)
        if (group_is(apiv, *g))
            return res(READY_CURRENT, "exists");
    if (group_is(apiv, "batch"))
        return res(READY_CURRENT, "exists"); /* CronJob */
    return custom(a, obj);
}
