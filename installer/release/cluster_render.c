/* cluster_render.c — see cluster_render.h. */
#include "installer/release/cluster_render.h"
#include "core/value.h"

#include <string.h>


typedef struct apis {
    const char **v;
    size_t n, cap;
} apis;

static void push(arena *a, apis *l, const char *s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        const char **v = arena_zalloc(a, cap * sizeof *v);
        if (l->n)
            memcpy(v, l->v, l->n * sizeof *v);
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = s;
}

static int get(kube_api *api, arena *a, const char *path, cval **out, cap_err *err)
{
    long status;
    if (kube_api_get_path(api, a, path, &status, out, err) < 0)
        return -1;
    if (status != 200 || !*out || (*out)->kind != CV_MAP)
        return cap_err_set(err, "discovery: GET %s: HTTP %ld", path, status);
    return 0;
}

/* gv and gv/Kind for each resource of one group/version, as helm's
 * GetVersionSet; through kube_api's discovery cache, which later look-ups reuse. */
static int add_group_version(kube_api *api, arena *a, const char *gv, apis *l, cap_err *err)
{
    const kube_resource *rs;
    size_t n;
    if (kube_api_resources(api, gv, &rs, &n, err) < 0)
        return -1;
    push(a, l, gv);
    for (size_t i = 0; i < n; i++)
        push(a, l, arena_printf(a, "%s/%s", gv, rs[i].kind));
    return 0;
}

/* helm's lookup: lookup_func.go */
static cval *lookup(void *ctx, arena *a, const char *api_version, const char *kind, const char *ns,
                    const char *name, char **errmsg)
{
    kube_api *api = ctx;
    cap_err e = CAP_ERR_INIT;
    const kube_resource *r;
    cval *out = NULL;
    if (kube_api_resolve(api, api_version, kind, &r, &e) < 0) {
        *errmsg = arena_printf(a, "unable to get apiresource from unstructured: %s, Kind=%s: %s", api_version, kind,
                               e.msg ? e.msg : "not served");
        cap_err_clear(&e);
        return NULL;
    }
    const char *where = r->namespaced && ns && *ns ? ns : NULL;
    if (name && *name) {
        if (kube_api_get(api, a, api_version, kind, where, name, &out, &e) < 0)
            goto fail;
        return out ? out : cv_map_new(a);
    }
    long status;
    const char *path = kube_api_path(a, r, r->namespaced ? where : NULL, NULL);
    if (kube_api_get_path(api, a, path, &status, &out, &e) < 0)
        goto fail;
    if (status == 404 || !out || out->kind != CV_MAP)
        return cv_map_new(a);
    if (status != 200) {
        *errmsg = arena_printf(a, "lookup %s %s: HTTP %ld", api_version, kind, status);
        return NULL;
    }
    return out;
fail:
    *errmsg = arena_strdup(a, e.msg ? e.msg : "lookup failed");
    cap_err_clear(&e);
    return NULL;
}

int cluster_render_prepare(kube_api *api, arena *a, render_cluster *out, cap_err *err)
{
    memset(out, 0, sizeof *out);
    cval *ver, *core, *groups;
    if (get(api, a, "/version", &ver, err) < 0 || get(api, a, "/api", &core, err) < 0 ||
        get(api, a, "/apis", &groups, err) < 0)
        return -1;
    apis l = {0};
    cval *cv = cv_get(core, "versions");
    for (size_t i = 0; cv && cv->kind == CV_LIST && i < cv_list_len(cv); i++) {
        const char *v = cv_str(cv_list_get(cv, i));
        if (v && add_group_version(api, a, v, &l, err) < 0)
            return -1;
    }
    cval *gl = cv_get(groups, "groups");
    for (size_t g = 0; gl && gl->kind == CV_LIST && g < cv_list_len(gl); g++) {
        cval *vs = cv_get(cv_list_get(gl, g), "versions");
        for (size_t i = 0; vs && vs->kind == CV_LIST && i < cv_list_len(vs); i++) {
            const char *gv = cv_str(cv_get(cv_list_get(vs, i), "groupVersion"));
            if (gv && add_group_version(api, a, gv, &l, err) < 0)
                return -1;
        }
    }
    out->kube_version = cv_str(cv_get(ver, "gitVersion"));
    out->api_versions = l.v;
    out->n_api_versions = l.n;
    out->lookup = lookup;
    out->lookup_ctx = api;
    return 0;
}

void cluster_render_prev_values(render_cluster *cl, arena *a, const cval *rel, const capstan_install_opts *o)
{
    cl->prev_config = cv_get(rel, "config");
    if (!cl->prev_config)
        cl->prev_config = cv_map_new(a);
    cl->prev_chart_values = cv_get(cv_get(rel, "chart"), "values");
    cl->values_mode = o->reset_values               ? RENDER_VALUES_RESET
                      : o->reuse_values             ? RENDER_VALUES_REUSE
                      : o->reset_then_reuse_values ? RENDER_VALUES_RESET_THEN_REUSE
                                                    : RENDER_VALUES_DEFAULT;
}
