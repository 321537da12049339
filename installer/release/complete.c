/* complete.c — capstan_complete: the dynamic candidates of shell completion
 * (capstan __complete): releases from the cluster, REPO/CHART names and chart
 * versions from the repository caches, kubeconfig contexts, namespaces. */
#include "capstan.h"
#include "installer/kube/cluster.h"
#include "installer/net/repo.h"
#include "core/strbuf.h"
#include "core/value.h"
#include "core/xalloc.h"
#include "core/yaml.h"

#include <stdlib.h>
#include <string.h>

static const char *str_or_empty(const cval *v)
{
    const char *s = cv_str(v);
    return s ? s : "";
}

static void add(strbuf *out, const char *prefix, const char *value, const char *desc)
{
    if (strncmp(value, prefix, strlen(prefix)) != 0)
        return;
    sb_adds(out, value);
    if (desc && *desc) {
        sb_addc(out, '\t');
        for (const char *d = desc; *d && *d != '\n'; d++)
            sb_addc(out, *d == '\t' ? ' ' : *d);
    }
    sb_addc(out, '\n');
}

/* Every "REPO/CHART" (description: the newest version's) of the cached indexes;
 * with chart set, that chart's versions instead. */
static int repo_candidates(strbuf *out, const char *prefix, const char *chart, cap_err *e)
{
    repo_file rf = {0};
    bool exists = false;
    char *cfg = repo_config_path(), *cache = repo_cache_dir();
    int rc = repo_file_load(cfg, &rf, &exists, e);
    free(cfg);
    arena *a = arena_new();
    for (size_t i = 0; rc == 0 && i < rf.n; i++) {
        char *path = repo_cache_index_path(cache, rf.repos[i].name);
        repo_index *ix;
        cap_err ie = CAP_ERR_INIT;
        if (repo_index_load(a, path, &ix, &ie) == 0) {
            size_t nl = strlen(rf.repos[i].name);
            for (size_t k = 0; k < ix->n; k++) {
                const repo_index_entry *en = &ix->entries[k];
                if (!en->n)
                    continue;
                if (chart) {
                    if (strncmp(chart, rf.repos[i].name, nl) != 0 || chart[nl] != '/' ||
                        strcmp(chart + nl + 1, en->name) != 0)
                        continue;
                    for (size_t v = 0; v < en->n; v++)
                        add(out, prefix, en->versions[v].version, en->versions[v].app_version);
                    continue;
                }
                /* helm: once REPO/ is typed, every chart of REPO (the shell filters) */
                const char *slash = strchr(prefix, '/');
                if (slash && ((size_t)(slash - prefix) != nl || strncmp(prefix, rf.repos[i].name, nl) != 0))
                    continue;
                strbuf name = STRBUF_INIT;
                sb_addf(&name, "%s/%s", rf.repos[i].name, en->name);
                add(out, slash ? "" : prefix, sb_str(&name), en->versions[0].description);
                sb_release(&name);
            }
        }
        cap_err_clear(&ie);
        free(path);
    }
    arena_free(a);
    free(cache);
    repo_file_free(&rf);
    return rc;
}

/* The context names of the kubeconfig files (--kubeconfig, else $KUBECONFIG's, else ~/.kube/config). */
static int context_candidates(strbuf *out, const char *prefix, const capstan_kube_opts *k)
{
    strbuf files = STRBUF_INIT;
    const char *env = getenv("KUBECONFIG");
    if (k && k->kubeconfig)
        sb_adds(&files, k->kubeconfig);
    else if (env && *env)
        sb_adds(&files, env);
    else
        sb_addf(&files, "%s/.kube/config", getenv("HOME") ? getenv("HOME") : ".");
    arena *a = arena_new();
    cval *seen = cv_map_new(a);
    for (char *f = files.buf; f && *f;) {
        char *colon = strchr(f, ':');
        if (colon)
            *colon = 0;
        strbuf text = STRBUF_INIT;
        cval *doc = NULL;
        cap_err e = CAP_ERR_INIT;
        if (sb_read_file(&text, f) == 0 && yaml_parse(a, sb_str(&text), text.len, f, &doc, &e) == 0) {
            const cval *ctxs = cv_get(doc, "contexts");
            for (size_t i = 0; ctxs && ctxs->kind == CV_LIST && i < cv_list_len(ctxs); i++) {
                const char *name = str_or_empty(cv_get(cv_list_get(ctxs, i), "name"));
                if (*name && !cv_map_get(seen, name)) {
                    cv_map_set(seen, name, cv_cstring(a, ""));
                    add(out, prefix, name, NULL);
                }
            }
        }
        cap_err_clear(&e);
        sb_release(&text);
        f = colon ? colon + 1 : NULL;
    }
    arena_free(a);
    sb_release(&files);
    return 0;
}

static int cluster_candidates(strbuf *out, const char *what, const char *prefix, const capstan_kube_opts *k,
                              cap_err *e)
{
    if (strcmp(what, "releases") == 0) {
        capstan_list_opts o = {.size = sizeof o, .kube = *k, .all = true};
        char *text = NULL;
        capstan_error pe = {0};
        /* helm: every release of the namespace, "NAME\tCHART-VERSION -> STATUS" */
        o.format = "json";
        if (capstan_list_show(&o, &text, &pe) < 0) {
            cap_err_set(e, "%s", pe.msg ? pe.msg : "cannot list releases");
            capstan_error_clear(&pe);
            return -1;
        }
        arena *a = arena_new();
        cval *list = NULL;
        if (yaml_parse(a, text, strlen(text), "releases", &list, e) == 0)
            for (size_t i = 0; list && list->kind == CV_LIST && i < cv_list_len(list); i++) {
                const cval *r = cv_list_get(list, i);
                strbuf d = STRBUF_INIT;
                sb_addf(&d, "%s -> %s", str_or_empty(cv_get(r, "chart")), str_or_empty(cv_get(r, "status")));
                add(out, prefix, str_or_empty(cv_get(r, "name")), sb_str(&d));
                sb_release(&d);
            }
        arena_free(a);
        free(text);
        return 0;
    }
    cluster c;
    int rc = -1;
    if (cluster_open(&c, k, e) == 0) {
        cval *items;
        if (kube_api_list(c.api, c.a, "v1", "Namespace", NULL, NULL, &items, e) == 0) {
            rc = 0;
            for (size_t i = 0; i < cv_list_len(items); i++)
                add(out, prefix, str_or_empty(cv_get(cv_get(cv_list_get(items, i), "metadata"), "name")), NULL);
        }
    }
    if (c.a)
        cluster_close(&c);
    return rc;
}

int capstan_complete(const char *what, const char *prefix, const char *chart, const capstan_kube_opts *kube,
                     char **text, capstan_error *perr)
{
    strbuf out = STRBUF_INIT;
    cap_err e = CAP_ERR_INIT;
    capstan_kube_opts none = {0};
    const capstan_kube_opts *k = kube ? kube : &none;
    prefix = prefix ? prefix : "";
    int rc;
    if (strcmp(what, "charts") == 0)
        rc = repo_candidates(&out, prefix, NULL, &e);
    else if (strcmp(what, "versions") == 0)
        rc = repo_candidates(&out, prefix, chart ? chart : "", &e);
    else if (strcmp(what, "contexts") == 0)
        rc = context_candidates(&out, prefix, k);
    else if (strcmp(what, "releases") == 0 || strcmp(what, "namespaces") == 0)
        rc = cluster_candidates(&out, what, prefix, k, &e);
    else
        rc = cap_err_set(&e, "unknown completion \"%s\"", what);
    if (rc < 0) {
        cap_err_publish(perr, &e, CAPSTAN_EUSAGE);
        sb_release(&out);
    } else {
        *text = sb_detach(&out, NULL);
    }
    cap_err_clear(&e);
    return rc;
}
