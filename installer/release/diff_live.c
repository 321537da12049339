/* diff_live.c — `capstan diff --live`: what the cluster has against what it
 * would have after the upgrade.
 *
 * Old side: each object of either manifest as the API server returns it
 * (GET). New side: each object of the new manifest as a server-side apply dry
 * run (dryRun=All, field manager capstan) returns it, so defaulted fields,
 * fields other managers own and drift made with kubectl since the install all
 * show as they will really be. A field another manager owns whose value the
 * chart changes is a conflict for a plain upgrade; the dry run then takes it
 * (as upgrade --force-conflicts would) so that the change shows. Both sides
 * are stripped of status and of what the server keeps for itself
 * (managedFields, resourceVersion, uid, generation, creationTimestamp) and of
 * helm's release annotations, as helm-diff's three-way merge strips them, and
 * printed in sorted-key YAML. Objects only in the old manifest that still
 * exist are removed ones.
 */
#include "installer/release/deploy.h"
#include "installer/release/diff.h"
#include "installer/kube/kube_api.h"
#include "core/yaml.h"

#include <string.h>

static cval *map_of(const cval *m, const char *k)
{
    cval *v = m && m->kind == CV_MAP ? cv_map_get(m, k) : NULL;
    return v && v->kind == CV_MAP ? v : NULL;
}

void diff_tidy(cval *obj)
{
    cv_map_delete(obj, "status");
    cval *meta = map_of(obj, "metadata");
    if (!meta)
        return;
    static const char *const drop[] = {"managedFields", "generation", "creationTimestamp", "resourceVersion", "uid",
                                       NULL};
    for (size_t i = 0; drop[i]; i++)
        cv_map_delete(meta, drop[i]);
    cval *ann = map_of(meta, "annotations");
    if (ann) {
        cv_map_delete(ann, "meta.helm.sh/release-name");
        cv_map_delete(ann, "meta.helm.sh/release-namespace");
        if (cv_map_len(ann) == 0)
            cv_map_delete(meta, "annotations");
    }
}

static int add_live(arena *a, diff_index *ix, const diff_obj *like, cval *obj, cap_err *err)
{
    diff_tidy(obj);
    diff_obj o = *like;
    if (diff_marshal(a, obj, &o.content, &o.len, err) < 0)
        return -1;
    while (o.len && o.content[o.len - 1] == '\n')
        o.len--;
    o.source = NULL;
    diff_index_add(a, ix, &o);
    return 0;
}

static int live_get(kube_api *api, arena *a, const diff_obj *o, cval **out, cap_err *err)
{
    const kube_resource *r;
    if (kube_api_resolve(api, o->api_version, o->kind, &r, err) < 0)
        return -1;
    return kube_api_get(api, a, o->api_version, o->kind, r->namespaced ? o->ns : NULL, o->name, out, err);
}

int diff_dry_apply(kube_api *api, arena *a, const char *release, const char *rel_ns, cval *body, const char *ns,
                   const char *what, cval **out, cap_err *err)
{
    deploy_mark_owned(a, body, release, rel_ns); /* as the upgrade will apply it */
    kube_apply_opts ao = {.field_manager = "capstan", .dry_run = true};
    int rc = kube_api_apply(api, a, body, ns, &ao, out, err);
    if (rc == -2) { /* another manager's field: shown as the chart sets it */
        cap_err_clear(err);
        ao.force = true;
        rc = kube_api_apply(api, a, body, ns, &ao, out, err);
    }
    if (rc < 0)
        cap_err_prefix(err, "server-side apply dry run of %s", what);
    return rc < 0 ? -1 : 0;
}

static int dry_apply(kube_api *api, arena *a, const char *release, const char *rel_ns, const diff_obj *o, cval **out,
                     cap_err *err)
{
    cval *body;
    const char *what = o->source ? o->source : o->key;
    if (yaml_parse(a, o->content, o->len, what, &body, err) < 0)
        return -1;
    return diff_dry_apply(api, a, release, rel_ns, body, o->ns, what, out, err);
}

/* Leaves under v: a scalar, an empty map or list is one. */
static size_t leaves(const cval *v)
{
    size_t n = 0;
    if (v && v->kind == CV_MAP && cv_map_len(v)) {
        size_t k;
        const cv_entry *e = cv_map_sorted(v, &k);
        for (size_t i = 0; i < k; i++)
            n += leaves(e[i].val);
        return n;
    }
    if (v && v->kind == CV_LIST && cv_list_len(v)) {
        for (size_t i = 0; i < cv_list_len(v); i++)
            n += leaves(cv_list_get(v, i));
        return n;
    }
    return 1;
}

size_t diff_count_fields(const cval *x, const cval *y)
{
    if (!x || !y)
        return leaves(x ? x : y);
    if (x->kind == CV_MAP && y->kind == CV_MAP && cv_map_len(x) && cv_map_len(y)) {
        size_t n = 0, kx, ky;
        const cv_entry *ex = cv_map_sorted(x, &kx), *ey = cv_map_sorted(y, &ky);
        for (size_t i = 0; i < kx; i++)
            n += diff_count_fields(ex[i].val, cv_map_get(y, ex[i].key));
        for (size_t i = 0; i < ky; i++)
            if (!cv_map_get(x, ey[i].key))
                n += leaves(ey[i].val);
        return n;
    }
    if (x->kind == CV_LIST && y->kind == CV_LIST && cv_list_len(x) && cv_list_len(y)) {
        size_t n = 0, lx = cv_list_len(x), ly = cv_list_len(y);
        for (size_t i = 0; i < lx || i < ly; i++)
            n += diff_count_fields(i < lx ? cv_list_get(x, i) : NULL, i < ly ? cv_list_get(y, i) : NULL);
        return n;
    }
    return cv_deep_equal(x, y) ? 0 : leaves(x) > leaves(y) ? leaves(x) : leaves(y);
}

int diff_live(kube_api *api, arena *a, const char *release, const char *old_manifest, const char *new_manifest,
              const char *ns, const capstan_diff_opts *o, diff_index *old_out, diff_index *new_out, cap_err *err)
{
    diff_index oi, ni;
    if (diff_index_parse(a, old_manifest, strlen(old_manifest), ns, false, o->include_tests, "the stored manifest",
                         &oi, err) < 0 ||
        diff_index_parse(a, new_manifest, strlen(new_manifest), ns, false, o->include_tests, "the new manifest", &ni,
                         err) < 0)
        return -1;
    memset(old_out, 0, sizeof *old_out);
    memset(new_out, 0, sizeof *new_out);
    for (size_t i = 0; i < ni.n; i++) {
        cval *live, *after;
        if (live_get(api, a, &ni.objs[i], &live, err) < 0)
            return -1;
        if (live && add_live(a, old_out, &ni.objs[i], live, err) < 0)
            return -1;
        if (dry_apply(api, a, release, ns, &ni.objs[i], &after, err) < 0 || add_live(a, new_out, &ni.objs[i], after, err) < 0)
            return -1;
    }
    for (size_t i = 0; i < oi.n; i++) {
        if (diff_index_find(&ni, oi.objs[i].key))
            continue;
        cval *live;
        if (live_get(api, a, &oi.objs[i], &live, err) < 0)
            return -1;
        if (live && add_live(a, old_out, &oi.objs[i], live, err) < 0)
            return -1;
    }
    diff_index_sort(old_out);
    diff_index_sort(new_out);
    return 0;
}
