/* kubeconfig.h — where the cluster is and who we are, as kubectl finds it.
 *
 * Order: --kubeconfig FILE alone when given; else every file in $KUBECONFIG
 * (colon-separated) merged the way kubectl merges them (for clusters, users
 * and contexts the first file that defines a name wins; current-context from
 * the first file that sets it); else ~/.kube/config; else, inside a pod, the
 * in-cluster service account. The context is --kube-context or current-context.
 *
 * Ownership: kube_config_load() returns a kube_config the caller frees with
 * kube_config_free(); every string in it (and in its kube_conn) lives in its arena.
 */
#ifndef CAPSTAN_KUBECONFIG_H
#define CAPSTAN_KUBECONFIG_H

#include <stdbool.h>

#include "core/arena.h"
#include "core/err.h"
#include "installer/kube/kube_http.h"

typedef struct kube_exec {
    const char *api_version;   /* client.authentication.k8s.io/v1 or v1beta1 */
    const char *command;
    const char **args;         /* NULL-terminated */
    const char **env;          /* NAME=VALUE, NULL-terminated */
    const char *install_hint;
} kube_exec;

typedef struct kube_config {
    arena *a;
    kube_conn conn;            /* server, CA, credentials, TLS options */
    const char *context;       /* the context's name ("" in-cluster) */
    const char *cluster;       /* the cluster's name */
    const char *user;          /* the user's name */
    const char *namespace;     /* the context's namespace, or "default" */
    const char *source;        /* the file(s) it came from, for messages */
    bool has_exec;
    kube_exec exec;            /* when has_exec: run it for credentials */
} kube_config;

typedef struct kube_config_opts {
    const char *kubeconfig;    /* --kubeconfig, or NULL */
    const char *context;       /* --kube-context, or NULL */
    const char *namespace;     /* -n, overrides the context's */
    bool insecure;             /* --insecure-skip-tls-verify */
    /* The environment to read; NULL fields mean "not set". Tests pass their own. */
    const char *env_kubeconfig;    /* $KUBECONFIG */
    const char *env_home;          /* $HOME */
    const char *env_service_host;  /* $KUBERNETES_SERVICE_HOST */
    const char *env_service_port;  /* $KUBERNETES_SERVICE_PORT */
    const char *serviceaccount_dir;/* default /var/run/secrets/kubernetes.io/serviceaccount */
} kube_config_opts;

/* Fill opts' env_* fields from the process environment. */
void kube_config_opts_from_env(kube_config_opts *o);

int kube_config_load(const kube_config_opts *o, kube_config **out, cap_err *err);
void kube_config_free(kube_config *kc);

/* Run the exec credential plugin and put its token or client certificate into
 * kc->conn. Errors carry the plugin's stderr (first line) and install hint. */
int kube_config_run_exec(kube_config *kc, cap_err *err);

#endif
