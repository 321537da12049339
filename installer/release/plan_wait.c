/* plan_wait.c — the readiness rules of ready.c, said in words (plan_wait.h). */
#include "installer/release/plan_wait.h"
#include "core/value.h"

#include <string.h>

static const char *str_or_empty(const cval *v)
{
    const char *s = cv_str(v);
    return s ? s : "";
}

static bool group_is(const char *apiv, const char *group)
{
    size_t n = strlen(group);
    return strncmp(apiv, group, n) == 0 && apiv[n] == '/';
}

static long replicas(const cval *obj)
{
    const cval *r = cv_get(cv_get(obj, "spec"), "replicas");
    return !r ? 1 : r->kind == CV_INT ? (long)r->u.i : r->kind == CV_FLOAT ? (long)r->u.f : 1;
}

const char *plan_wait_rule(arena *a, const cval *obj, bool wait, bool wait_for_jobs, bool wait_for_lb)
{
    if (!wait)
        return NULL;
    const char *kind = str_or_empty(cv_get(obj, "kind")), *apiv = str_or_empty(cv_get(obj, "apiVersion"));
    bool core = strchr(apiv, '/') == NULL;
    if (group_is(apiv, "apps")) {
        if (strcmp(kind, "Deployment") == 0)
            return arena_printf(a, "%ld/%ld replicas updated, ready and available", replicas(obj), replicas(obj));
        if (strcmp(kind, "StatefulSet") == 0)
            return arena_printf(a, "%ld/%ld replicas ready and updated", replicas(obj), replicas(obj));
        if (strcmp(kind, "DaemonSet") == 0)
            return "its pods updated, ready and available on every node it runs on";
        if (strcmp(kind, "ReplicaSet") == 0)
            return arena_printf(a, "%ld/%ld replicas ready and available", replicas(obj), replicas(obj));
    }
    if (group_is(apiv, "batch") && strcmp(kind, "Job") == 0)
        return wait_for_jobs ? "the Job to complete" : "the Job to start (--wait-for-jobs: to complete)";
    if (core) {
        if (strcmp(kind, "Pod") == 0)
            return "the pod Ready (or Succeeded)";
        if (strcmp(kind, "PersistentVolumeClaim") == 0)
            return "the claim Bound";
        if (strcmp(kind, "Service") == 0 && strcmp(str_or_empty(cv_get(cv_get(obj, "spec"), "type")), "LoadBalancer") == 0)
            return wait_for_lb ? "a load balancer address" : "a cluster IP (--wait-for-load-balancer: an address)";
        if (strcmp(kind, "Namespace") == 0)
            return "the namespace Active";
        if (strcmp(kind, "ReplicationController") == 0)
            return arena_printf(a, "%ld/%ld replicas ready and available", replicas(obj), replicas(obj));
        return "nothing more (ready once it exists)";
    }
    if (group_is(apiv, "apiextensions.k8s.io") && strcmp(kind, "CustomResourceDefinition") == 0)
        return "the CRD Established";
    static const char *const statusless[] = {
        "rbac.authorization.k8s.io", "networking.k8s.io", "policy", "storage.k8s.io", "scheduling.k8s.io",
        "admissionregistration.k8s.io", "autoscaling", "coordination.k8s.io", "node.k8s.io",
        "apiregistration.k8s.io", "certificates.k8s.io", "discovery.k8s.io", "events.k8s.io", "batch", NULL,
    };
    for (const char *const *g = statusless; *g; g++)
        if (group_is(apiv, *g))
            return "nothing more (ready once it exists)";
    return "its Ready condition True, when it has one";
}

const char *plan_hook_wait(const char *kind)
{
    if (strcmp(kind, "Job") == 0)
        return "the Job to complete";
    if (strcmp(kind, "Pod") == 0)
        return "the Pod to succeed";
    return "nothing more (created)";
}
