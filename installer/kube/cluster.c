/* cluster.c — see cluster.h. */
#include "installer/kube/cluster.h"
#include "core/opts.h"

#include <string.h>

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
