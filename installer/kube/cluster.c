/* cluster.c — see cluster.h. */
#include "installer/kube/cluster.h"
#include "core/opts.h"

#include <string.h>

/* helm's global connection flags over the kubeconfig's (the strings stay the caller's:
 * kube_client_new copies them). */
static void cluster_conn_override(kube_conn *conn, const capstan_kube_opts *k)
{
    if (k->apiserver && *k->apiserver)
        conn->server = k->apiserver;
    if (k->token && *k->token) {
        conn->token = k->token;
        conn->token_file = NULL;
        conn->username = conn->password = NULL;
    }
    if (k->ca_file && *k->ca_file) {
        conn->ca_file = k->ca_file;
        conn->ca_pem = NULL;
        conn->ca_pem_len = 0;
    }
    if (k->tls_server_name && *k->tls_server_name)
        conn->tls_server_name = k->tls_server_name;
    conn->as_user = k->as_user;
    conn->as_groups = k->as_groups;
    conn->qps = k->qps;
    conn->burst = k->burst_limit;
}

int cluster_open(cluster *c, const capstan_kube_opts *k, cap_err *err)
{
    memset(c, 0, sizeof *c);
    capstan_kube_opts k_in;
    if (opts_read(&k_in, sizeof k_in, k, "capstan_kube_opts", err) != 0)
        return -1;
    k = &k_in;
    c->a = arena_new();
    kube_config_opts o = {0};
    kube_config_opts_from_env(&o);
    o.kubeconfig = k ? k->kubeconfig : NULL;
    o.context = k ? k->context : NULL;
    o.namespace = k ? k->namespace_ : NULL;
    o.insecure = k && k->insecure;
    if (kube_config_load(&o, &c->kc, err) < 0 || kube_config_run_exec(c->kc, err) < 0)
        return -1;
    if (k)
        cluster_conn_override(&c->kc->conn, k);
    if (!(c->client = kube_client_new(&c->kc->conn, err)))
        return -1;
    c->api = kube_api_new(c->client);
    c->ns = c->kc->namespace;
    return 0;
}

void cluster_close(cluster *c)
{
    kube_api_free(c->api);
    kube_client_free(c->client);
    kube_config_free(c->kc);
    arena_free(c->a);
    memset(c, 0, sizeof *c);
}
