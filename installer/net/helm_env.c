/* helm_env.c — capstan_helm_env: what `helm env` prints (helm's EnvSettings,
 * from the HELM_* variables, XDG_* and HOME, and the kubeconfig's namespace). */
#include "capstan.h"
#include "installer/kube/kubeconfig.h"
#include "core/strbuf.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *env_or(const char *name, const char *dflt)
{
    const char *v = getenv(name);
    return v && *v ? v : dflt;
}

/* helm's lazypath: $HELM_<X>_HOME, else $XDG_<X>_HOME/helm, else ~/<rel>/helm. */
static void home_of(strbuf *out, const char *helm_var, const char *xdg_var, const char *home_rel)
{
    const char *v = env_or(helm_var, NULL);
    if (v) {
        sb_adds(out, v);
        return;
    }
    if ((v = env_or(xdg_var, NULL))) {
        sb_addf(out, "%s/helm", v);
        return;
    }
    sb_addf(out, "%s/%s/helm", env_or("HOME", "."), home_rel);
}

/* The namespace helm uses: -n / HELM_NAMESPACE, else the context's, else "default". */
static char *namespace_of(const capstan_kube_opts *k)
{
    if (k && k->namespace_ && *k->namespace_)
        return xstrdup(k->namespace_);
    kube_config_opts o = {0};
    kube_config_opts_from_env(&o);
    o.kubeconfig = k ? k->kubeconfig : NULL;
    o.context = k ? k->context : NULL;
    kube_config *kc = NULL;
    cap_err e = CAP_ERR_INIT;
    char *ns = xstrdup(kube_config_load(&o, &kc, &e) == 0 && kc->namespace && *kc->namespace ? kc->namespace
                                                                                                 : "default");
    cap_err_clear(&e);
    kube_config_free(kc);
    return ns;
}

int capstan_helm_env(const capstan_kube_opts *kube, const char *bin, char **text, capstan_error *err)
{
    (void)err;
    strbuf cache = STRBUF_INIT, config = STRBUF_INIT, data = STRBUF_INIT, sub = STRBUF_INIT;
    home_of(&cache, "HELM_CACHE_HOME", "XDG_CACHE_HOME", ".cache");
    home_of(&config, "HELM_CONFIG_HOME", "XDG_CONFIG_HOME", ".config");
    home_of(&data, "HELM_DATA_HOME", "XDG_DATA_HOME", ".local/share");
    char *ns = namespace_of(kube);
    double qps = strtod(env_or("HELM_QPS", "0"), NULL);
    strbuf out = STRBUF_INIT;
#define LINE(k, v) sb_addf(&out, "%s=\"%s\"\n", k, v)
#define SUB(k, var, base, rel)                                  \
    do {                                                        \
        sb_reset(&sub);                                         \
        sb_addf(&sub, "%s/%s", sb_str(&base), rel);             \
        LINE(k, env_or(var, sb_str(&sub)));                     \
    } while (0)
    LINE("HELM_BIN", bin ? bin : "capstan");
    LINE("HELM_BURST_LIMIT", env_or("HELM_BURST_LIMIT", "100"));
    LINE("HELM_CACHE_HOME", sb_str(&cache));
    LINE("HELM_CONFIG_HOME", sb_str(&config));
    SUB("HELM_CONTENT_CACHE", "HELM_CONTENT_CACHE", cache, "content");
    LINE("HELM_DATA_HOME", sb_str(&data));
    LINE("HELM_DEBUG", strcmp(env_or("HELM_DEBUG", "false"), "true") == 0 ? "true" : "false");
    LINE("HELM_KUBEAPISERVER", kube && kube->apiserver ? kube->apiserver : "");
    LINE("HELM_KUBEASGROUPS", kube && kube->as_groups ? kube->as_groups : "");
    LINE("HELM_KUBEASUSER", kube && kube->as_user ? kube->as_user : "");
    LINE("HELM_KUBECAFILE", kube && kube->ca_file ? kube->ca_file : "");
    LINE("HELM_KUBECONTEXT", kube && kube->context ? kube->context : "");
    LINE("HELM_KUBEINSECURE_SKIP_TLS_VERIFY", kube && kube->insecure ? "true" : "false");
    LINE("HELM_KUBETLS_SERVER_NAME", kube && kube->tls_server_name ? kube->tls_server_name : "");
    LINE("HELM_KUBETOKEN", kube && kube->token ? kube->token : "");
    LINE("HELM_MAX_HISTORY", env_or("HELM_MAX_HISTORY", "10"));
    LINE("HELM_NAMESPACE", ns);
    SUB("HELM_PLUGINS", "HELM_PLUGINS", data, "plugins");
    sb_addf(&out, "HELM_QPS=\"%.2f\"\n", qps);
    SUB("HELM_REGISTRY_CONFIG", "HELM_REGISTRY_CONFIG", config, "registry/config.json");
    SUB("HELM_REPOSITORY_CACHE", "HELM_REPOSITORY_CACHE", cache, "repository");
    SUB("HELM_REPOSITORY_CONFIG", "HELM_REPOSITORY_CONFIG", config, "repositories.yaml");
#undef SUB
#undef LINE
    free(ns);
    sb_release(&cache);
    sb_release(&config);
    sb_release(&data);
    sb_release(&sub);
    *text = sb_detach(&out, NULL);
    sb_release(&out);
    return 0;
}
