/* plan.h — the order in which a release reaches the cluster, as waves.
 *
 * Each object gets a wave; with --wait, every object of a wave must be ready
 * before the next wave is sent. The levels, lowest first:
 *
 *   1. CustomResourceDefinitions (gate: Established)
 *   2. Namespaces
 *   3. configuration and identity: PriorityClass, NetworkPolicy, quotas,
 *      ServiceAccount, Secret, ConfigMap, StorageClass, PV, PVC, RBAC, Service
 *   4. workloads: DaemonSet, Pod, ReplicaSet, Deployment, HPA, StatefulSet, Job, CronJob
 *   5. routing: IngressClass, Ingress, APIService, webhook configurations
 *   6. everything else (custom resources)
 *
 * within which subcharts come before the charts that contain them (deepest
 * first). Explicit edges move an object after what it depends on:
 *   capstan.dev/depends-on: "Kind/name, Kind/namespace/name"
 *   helm.sh/layer + helm.sh/depends-on/layers (HIP-0025, within one chart)
 *   argocd.argoproj.io/sync-wave: "N" (lower waves first; default 0)
 * A dependency cycle is an error naming its members.
 *
 * Ownership: everything plan_build() makes lives in the arena given.
 */
#ifndef CAPSTAN_PLAN_H
#define CAPSTAN_PLAN_H

#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "core/value.h"

typedef struct plan_item {
    /* in */
    const char *source;       /* the template it came from, e.g. "app/charts/db/templates/sts.yaml" */
    const cval *obj;          /* the parsed manifest */
    const char *namespace;    /* the namespace it goes to ("" for cluster-scoped) */
    /* out */
    int wave;                 /* 0-based */
    int level;                /* 1..6 as above */
    const char *kind, *name;
    const char **after;       /* what it waits for ("Kind/name"), NULL-terminated */
    const char **external;    /* depends-on targets not in the release: waited for as they are */
} plan_item;

/* Assign waves. *nwaves receives the number of waves. */
int plan_build(arena *a, plan_item *items, size_t n, int *nwaves, cap_err *err);

/* The plan as `capstan install --dry-run` prints it. */
void plan_print(strbuf *out, const plan_item *items, size_t n, int nwaves);

/* The name of a level: "CRDs", "namespaces", "configuration", ... */
const char *plan_level_name(int level);

/* The level (1..6) of a kind. */
int plan_kind_level(const char *kind);

#endif
