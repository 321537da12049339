/* deploy.c — see deploy.h. */
#include "installer/release/deploy.h"
#include "core/value.h"
#include "installer/release/plan.h"
#include "core/strbuf.h"
#include "core/yaml.h"
#include "installer/release/wait.h"

#include <string.h>
#include <time.h>


static cval *ensure_map(arena *a, cval *m, const char *k)
{
    cval *v = cv_map_get(m, k);
    if (!v || v->kind != CV_MAP) {
        v = cv_map_new(a);
        cv_map_set(m, k, v);
    }
    return v;
}

void deploy_mark_owned(arena *a, cval *obj, const char *release, const char *ns)
{
    cval *meta = ensure_map(a, obj, "metadata");
    cv_map_set(ensure_map(a, meta, "labels"), "app.kubernetes.io/managed-by", cv_cstring(a, "Helm"));
    cval *ann = ensure_map(a, meta, "annotations");
    cv_map_set(ann, "meta.helm.sh/release-name", cv_cstring(a, release));
    cv_map_set(ann, "meta.helm.sh/release-namespace", cv_cstring(a, ns));
}

/* helm's requireValue: a "; "-separated reason when m[key] is not want. */
static void require_value(strbuf *why, const char *what, const cval *m, const char *key, const char *want)
{
    const char *have = cv_str(cv_get(m, key));
    if (have && strcmp(have, want) == 0)
        return;
    if (why->len)
        sb_adds(why, "; ");
    if (!have)
        sb_addf(why, "%s validation error: missing key \"%s\": must be set to \"%s\"", what, key, want);
    else
        sb_addf(why, "%s validation error: key \"%s\" must equal \"%s\": current value is \"%s\"", what, key, want,
                have);
}

/* Helm's ownership check (checkOwnership) for an object that already exists, with its text. */
static int check_owned(const cval *live, const char *kind, const char *name, const char *ns, const char *release,
                       const char *rel_ns, cap_err *err)
{
    const cval *meta = cv_get(live, "metadata");
    strbuf why = STRBUF_INIT;
    require_value(&why, "label", cv_get(meta, "labels"), "app.kubernetes.io/managed-by", "Helm");
    require_value(&why, "annotation", cv_get(meta, "annotations"), "meta.helm.sh/release-name", release);
    require_value(&why, "annotation", cv_get(meta, "annotations"), "meta.helm.sh/release-namespace", rel_ns);
    if (why.len) {
        cap_err_set(err, "%s \"%s\" in namespace \"%s\" exists and cannot be imported into the current release: "
                         "invalid ownership metadata; %s", kind, name, ns ? ns : "", why.buf);
        sb_release(&why);
        return -1;
    }
    sb_release(&why);
    return 0;
}

/* Are all the managers a conflict names helm or capstan? */
static bool conflicts_only_with_release_tools(const char *msg)
{
    const char *p = msg;
    bool any = false;
    while ((p = strstr(p, "conflict with \"")) != NULL) {
        p += 15;
        size_t l = strcspn(p, "\"");
        if (!((l == 4 && strncmp(p, "helm", 4) == 0) || (l == 7 && strncmp(p, "capstan", 7) == 0)))
            return false;
        any = true;
        p += l;
    }
    return any;
}

/* A webhook must not be registered before its Service can answer: wait until
 * an EndpointSlice of every Service a webhook configuration calls has a ready
 * endpoint. Registering it earlier makes the API server reject every request
 * the webhook intercepts (metallb#3133, percona-helm-charts#705). */
static int wait_webhook_services(kube_api *api, arena *a, const cval *obj, const deploy_opts *o, cap_err *err)
{
    cval *hooks = cv_get(obj, "webhooks");
    if (!hooks || hooks->kind != CV_LIST)
        return 0;
    long budget_ms = o->timeout_ms > 0 ? o->timeout_ms : 300000;
    for (size_t i = 0; i < cv_list_len(hooks); i++) {
        cval *svc = cv_get(cv_get(cv_list_get(hooks, i), "clientConfig"), "service");
        const char *name = cv_str(cv_get(svc, "name")), *ns = cv_str(cv_get(svc, "namespace"));
        if (!name || !ns)
            continue; /* a URL webhook: nothing in the cluster to wait for */
        const char *sel = arena_printf(a, "kubernetes.io/service-name=%s", name);
        for (long waited = 0;; waited += 500) {
            cval *slices;
            if (kube_api_list(api, a, "discovery.k8s.io/v1", "EndpointSlice", ns, sel, &slices, err) < 0)
                return -1;
            bool ready = false;
            for (size_t k = 0; k < cv_list_len(slices) && !ready; k++) {
                cval *eps = cv_get(cv_list_get(slices, k), "endpoints");
                for (size_t e = 0; eps && eps->kind == CV_LIST && e < cv_list_len(eps) && !ready; e++) {
                    cval *r = cv_get(cv_get(cv_list_get(eps, e), "conditions"), "ready");
                    ready = !r || (r->kind == CV_BOOL && r->u.b);
                }
            }
            if (ready) {
                if (o->log)
                    fprintf(o->log, "  webhook service %s/%s has ready endpoints\n", ns, name);
                break;
            }
            if (waited == 0 && o->log)
                fprintf(o->log, "  waiting for webhook service %s/%s to have ready endpoints\n", ns, name);
            if (waited >= budget_ms)
                return cap_err_set(err, "%s/%s: its webhook service %s/%s has no ready endpoints after %lds",
                                   cv_str(cv_get(obj, "kind")), cv_str(cv_get(cv_get(obj, "metadata"), "name")), ns, name,
                                   budget_ms / 1000);
            if (o->cancel && *o->cancel)
                return cap_err_coded(err, CAPSTAN_ECANCELLED, "interrupted");
            struct timespec ts = {0, 500 * 1000000L};
            nanosleep(&ts, NULL);
        }
    }
    return 0;
}

static const char *rv_of(const cval *o) { return cv_str(cv_get(cv_get(o, "metadata"), "resourceVersion")); }

static int apply_one(kube_api *api, arena *a, plan_item *it, const deploy_opts *o, journal *j, cap_err *err)
{
    cval *obj = (cval *)it->obj;
    const char *apiv = cv_str(cv_get(obj, "apiVersion"));
    cval *before;
    if (kube_api_get(api, a, apiv, it->kind, it->namespace, it->name, &before, err) < 0)
        return -1;
    if (before && !o->take_ownership && check_owned(before, it->kind, it->name, *it->namespace ? it->namespace : NULL, o->release,
                              o->namespace, err) < 0)
        return -1;
    journal_entry *e = journal_add(j, before ? J_CHANGED : J_CREATED, apiv, it->kind, it->namespace, it->name, before);
    kube_apply_opts ao = {.field_manager = o->field_manager, .force = o->force_conflicts};
    cval *after;
    int rc = kube_api_apply(api, a, obj, it->namespace, &ao, &after, err);
    if (rc == -2 && !ao.force && conflicts_only_with_release_tools(err->msg)) {
        ao.force = true; /* helm and capstan share this release's fields */
        rc = kube_api_apply(api, a, obj, it->namespace, &ao, &after, err);
    }
    if (rc < 0) {
        if (!before)
            j->n--; /* nothing was created */
        cap_err_prefix(err, "%s", it->source);
        return -1;
    }
    if (before && rv_of(before) && rv_of(after) && strcmp(rv_of(before), rv_of(after)) == 0)
        e->op = J_UNCHANGED;
    if (o->log && !o->live)
        fprintf(o->log, "  %s %s/%s\n", journal_op_name(e->op), it->kind, it->name);
    return 0;
}

static bool same_object(const cval *x, const char *xns, const cval *y, const char *yns)
{
    const char *kx = cv_str(cv_get(x, "kind")), *ky = cv_str(cv_get(y, "kind"));
    const char *nx = cv_str(cv_get(cv_get(x, "metadata"), "name")), *ny = cv_str(cv_get(cv_get(y, "metadata"), "name"));
    return kx && ky && nx && ny && strcmp(kx, ky) == 0 && strcmp(nx, ny) == 0 &&
           strcmp(xns ? xns : "", yns ? yns : "") == 0;
}

static bool kept(const cval *obj)
{
    const char *p = cv_str(cv_get(cv_get(cv_get(obj, "metadata"), "annotations"), "helm.sh/resource-policy"));
    return p && strcmp(p, "keep") == 0;
}

/* The namespace an object lives in: its own, the release's, or "" when cluster-scoped. */
static int namespace_of(kube_api *api, arena *a, cval *obj, const char *rel_ns, const char **out, cap_err *err)
{
    const kube_resource *r;
    const char *apiv = cv_str(cv_get(obj, "apiVersion")), *kind = cv_str(cv_get(obj, "kind"));
    if (kube_api_resolve(api, apiv, kind, &r, err) < 0)
        return -1;
    const char *ns = cv_str(cv_get(cv_get(obj, "metadata"), "namespace"));
    *out = r->namespaced ? (ns && *ns ? ns : rel_ns) : "";
    if (r->namespaced && !(ns && *ns))
        cv_map_set(ensure_map(a, obj, "metadata"), "namespace", cv_cstring(a, rel_ns));
    return 0;
}

/* The namespace an object names, else the release's. */
static const char *ns_or(const cval *obj, const char *rel_ns)
{
    const char *ns = cv_str(cv_get(cv_get(obj, "metadata"), "namespace"));
    return ns && *ns ? ns : rel_ns;
}

int deploy_objects_of(arena *a, const capstan_release *r, deploy_obj **out, size_t *n, cap_err *err)
{
    deploy_obj *o = arena_zalloc(a, (r->n_manifests + 1) * sizeof *o);
    size_t k = 0;
    for (size_t i = 0; i < r->n_manifests; i++) {
        cval *obj;
        if (yaml_parse(a, r->manifests[i].content, r->manifests[i].len, r->manifests[i].source, &obj, err) < 0)
            return -1;
        if (obj->kind != CV_MAP)
            continue;
        o[k].source = r->manifests[i].source;
        o[k].obj = obj;
        k++;
    }
    *out = o;
    *n = k;
    return 0;
}

int deploy_preflight(kube_api *api, arena *a, const deploy_obj *objs, size_t n, const deploy_obj *prev, size_t nprev,
                     const deploy_opts *o, const char *verb, size_t *existing, cap_err *err)
{
    size_t found = 0;
    if (existing)
        *existing = 0;
    for (size_t i = 0; i < n; i++) {
        bool known = false;
        for (size_t k = 0; k < nprev && !known; k++)
            known = same_object(objs[i].obj, ns_or(objs[i].obj, o->namespace), prev[k].obj,
                                ns_or(prev[k].obj, o->namespace));
        const char *apiv = cv_get_str(objs[i].obj, "apiVersion"), *kind = cv_get_str(objs[i].obj, "kind");
        const char *name = cv_get_str(cv_get(objs[i].obj, "metadata"), "name");
        const kube_resource *r;
        cap_err ignore = CAP_ERR_INIT;
        if (known || !apiv || !kind || !name || kube_api_resolve(api, apiv, kind, &r, &ignore) < 0) {
            cap_err_clear(&ignore); /* a kind the cluster does not know yet has no objects */
            continue;
        }
        const char *ns = r->namespaced ? ns_or(objs[i].obj, o->namespace) : "";
        cval *live;
        if (kube_api_get(api, a, apiv, kind, *ns ? ns : NULL, name, &live, err) < 0)
            return -1;
        found += live != NULL;
        /* helm's requireAdoption under --take-ownership: whatever exists is adopted */
        if (live && !o->take_ownership && check_owned(live, kind, name, ns, o->release, o->namespace, err) < 0) {
            cap_err_prefix(err, "unable to continue with %s", verb);
            return -1;
        }
    }
    if (existing)
        *existing = found;
    return 0;
}

int deploy_apply(kube_api *api, arena *a, deploy_obj *objs, size_t n, const deploy_obj *prev, size_t nprev,
                 const deploy_opts *o, journal *j, cap_err *err)
{
    plan_item *items = arena_zalloc(a, (n ? n : 1) * sizeof *items);
    for (size_t i = 0; i < n; i++) {
        items[i].source = objs[i].source;
        items[i].obj = objs[i].obj;
        if (!cv_str(cv_get(objs[i].obj, "kind")) || !cv_str(cv_get(objs[i].obj, "apiVersion")))
            return cap_err_set(err, "%s: a manifest without apiVersion or kind", objs[i].source);
        deploy_mark_owned(a, objs[i].obj, o->release, o->namespace);
    }
    /* CRDs in this release must be known before their kinds can be resolved:
     * plan first on kinds alone, resolving scope lazily per wave. */
    int nwaves;
    for (size_t i = 0; i < n; i++)
        items[i].namespace = "";
    if (plan_build(a, items, n, &nwaves, err) < 0)
        return -1;
    if (o->dry_run) {
        for (size_t i = 0; i < n; i++) {
            const char *ns = cv_str(cv_get(cv_get(items[i].obj, "metadata"), "namespace"));
            items[i].namespace = ns ? ns : o->namespace;
        }
        strbuf sb = STRBUF_INIT;
        plan_print(&sb, items, n, nwaves);
        if (o->log)
            fputs(sb_str(&sb), o->log);
        sb_release(&sb);
        return 0;
    }
    for (int w = 0; w < nwaves; w++) {
        if (o->cancel && *o->cancel)
            return cap_err_coded(err, CAPSTAN_ECANCELLED, "interrupted");
        size_t nt = 0;
        wait_target *targets = arena_zalloc(a, (n ? n : 1) * sizeof *targets);
        if (progress_on(o->progress))
            progress_emit(o->progress, (capstan_progress_event){.type = CAPSTAN_PROGRESS_WAVE_STARTED,
                                                                .wave = w + 1, .nwaves = nwaves});
        else if (o->log)
            fprintf(o->log, "wave %d/%d\n", w + 1, nwaves);
        for (size_t i = 0; i < n; i++) {
            if (items[i].wave != w)
                continue;
            if (namespace_of(api, a, (cval *)items[i].obj, o->namespace, &items[i].namespace, err) < 0)
                return -1;
            if (o->wait && (strcmp(items[i].kind, "MutatingWebhookConfiguration") == 0 ||
                            strcmp(items[i].kind, "ValidatingWebhookConfiguration") == 0) &&
                wait_webhook_services(api, a, items[i].obj, o, err) < 0)
                return -1;
            if (apply_one(api, a, &items[i], o, j, err) < 0)
                return -1;
            targets[nt++] = (wait_target){cv_str(cv_get(items[i].obj, "apiVersion")), items[i].kind,
                                          *items[i].namespace ? items[i].namespace : NULL, items[i].name};
        }
        if (o->wait && nt) {
            wait_opts wo = {.timeout_ms = o->timeout_ms, .log = o->log, .live = o->live,
                            .label = arena_printf(a, "wave %d/%d", w + 1, nwaves), .cancel = o->cancel,
                            .tick = o->between_waves, .tick_ctx = o->ctx, .fail_grace_ms = o->fail_grace_ms,
                            .wait_for_lb = o->wait_for_lb, .started_jobs = !o->wait_for_jobs,
                            .progress = o->progress};
            if (wait_ready(api, targets, nt, &wo, err) < 0)
                return -1;
            if (progress_on(o->progress))
                progress_emit(o->progress, (capstan_progress_event){.type = CAPSTAN_PROGRESS_WAVE_READY,
                                                                    .wave = w + 1, .nwaves = nwaves});
            else if (o->log)
                fprintf(o->log, "wave %d/%d ready\n", w + 1, nwaves);
        }
        if (o->between_waves)
            o->between_waves(o->ctx);
    }
    /* prune what the previous revision had and this one has not */
    for (size_t p = nprev; p-- > 0;) {
        cval *old = prev[p].obj;
        const char *oldns;
        cap_err ignore = CAP_ERR_INIT;
        if (namespace_of(api, a, old, o->namespace, &oldns, &ignore) < 0) {
            cap_err_clear(&ignore);
            continue; /* its kind is gone from the cluster: nothing to delete */
        }
        bool still = false;
        for (size_t i = 0; i < n && !still; i++)
            still = same_object(old, oldns, items[i].obj, items[i].namespace);
        if (still)
            continue;
        const char *kind = cv_str(cv_get(old, "kind")), *name = cv_str(cv_get(cv_get(old, "metadata"), "name"));
        if (kept(old)) {
            if (o->log)
                fprintf(o->log, "  kept %s/%s (helm.sh/resource-policy: keep)\n", kind, name);
            continue;
        }
        cval *before;
        if (kube_api_get(api, a, cv_str(cv_get(old, "apiVersion")), kind, oldns, name, &before, err) < 0)
            return -1;
        if (!before)
            continue;
        journal_add(j, J_DELETED, cv_str(cv_get(old, "apiVersion")), kind, oldns, name, before);
        if (kube_api_delete(api, cv_str(cv_get(old, "apiVersion")), kind, oldns, name, "Background", NULL, err) < 0)
            return -1;
        if (o->log)
            fprintf(o->log, "  deleted %s/%s (not in this revision)\n", kind, name);
    }
    return 0;
}

int deploy_delete(kube_api *api, arena *a, const deploy_obj *objs, size_t n, const deploy_opts *o, cap_err *err)
{
    plan_item *items = arena_zalloc(a, (n ? n : 1) * sizeof *items);
    for (size_t i = 0; i < n; i++)
        items[i] = (plan_item){.source = objs[i].source, .obj = objs[i].obj, .namespace = ""};
    int nwaves;
    if (plan_build(a, items, n, &nwaves, err) < 0)
        return -1;
    int rc = 0;
    for (int w = nwaves; w-- > 0;) {
        for (size_t i = n; i-- > 0;) {
            if (items[i].wave != w)
                continue;
            if (kept(items[i].obj)) {
                if (o->log)
                    fprintf(o->log, "kept %s/%s (helm.sh/resource-policy: keep)\n", items[i].kind, items[i].name);
                continue;
            }
            const char *ns;
            cap_err e = CAP_ERR_INIT;
            if (namespace_of(api, a, (cval *)items[i].obj, o->namespace, &ns, &e) < 0) {
                cap_err_clear(&e);
                continue;
            }
            bool existed;
            if (kube_api_delete(api, cv_str(cv_get(items[i].obj, "apiVersion")), items[i].kind, ns, items[i].name,
                                o->propagation ? o->propagation : "Background", &existed, &e) < 0) {
                if (rc == 0)
                    cap_err_move(err, &e);
                rc = -1;
                continue;
            }
            if (o->log && existed)
                fprintf(o->log, "deleted %s/%s\n", items[i].kind, items[i].name);
        }
    }
    return rc;
}
