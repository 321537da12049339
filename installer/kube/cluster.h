/* cluster.h — one connection to a cluster for one operation: the kubeconfig
 * found as kubectl finds it (credentials from an exec plugin included), the
 * API client, and an arena for everything the operation reads.
 *
 * Ownership: cluster_open() fills a cluster the caller closes with
 * cluster_close() (also after a failed open).
 */
#ifndef CAPSTAN_CLUSTER_H
#define CAPSTAN_CLUSTER_H

#include "capstan.h"
#include "installer/kube/kube_api.h"
#include "installer/kube/kubeconfig.h"

typedef struct cluster {
    arena *a;
    kube_config *kc;
    kube_client *client;
    kube_api *api;
    const char *ns;     /* -n, else the context's namespace, else "default" */
} cluster;

int cluster_open(cluster *c, const capstan_kube_opts *k, cap_err *err);
void cluster_close(cluster *c);

#endif
