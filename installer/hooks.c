/* hooks.c — see hooks.h. */
#include "hooks.h"
#include "deploy.h"
#include "plan.h"
#include "release_store.h"
#include "wait.h"
#include "yaml.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static cval *field(const cval *m, const char *k) { return m && m->kind == CV_MAP ? cv_map_get(m, k) : NULL; }
static const char *str(const cval *v) { return v && v->kind == CV_STRING ? v->u.str.s : NULL; }

static const char **split_list(arena *a, const char *s)
{
    size_t cap = 1;
    for (const char *p = s; p && *p; p++)
        cap += *p == ',';
    const char **out = arena_zalloc(a, (cap + 1) * sizeof *out);
    size_t k = 0;
    while (s && *s) {
        size_t l = strcspn(s, ",");
        const char *b = s, *e = s + l;
        while (b < e && (*b == ' ' || *b == '\t'))
            b++;
        while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if (e > b)
            out[k++] = arena_strndup(a, b, (size_t)(e - b));
        s += l;
        if (*s == ',')
            s++;
    }
    return out;
}

static bool has(const char **list, const char *x)
{
    for (; list && *list; list++)
        if (strcmp(*list, x) == 0)
            return true;
    return false;
}

static int cmp_hook(const void *x, const void *y)
{
    const hook *a = x, *b = y;
    if (a->weight != b->weight)
        return (a->weight > b->weight) - (a->weight < b->weight);
    int la = plan_kind_level(a->kind), lb = plan_kind_level(b->kind);
    if (la != lb)
        return (la > lb) - (la < lb);
    return strcmp(a->name, b->name);
}

int hooks_parse(arena *a, const char **sources, const char **manifests, const size_t *lens, size_t n,
                hook **out, size_t *nout, cval **records, cap_err *err)
{
    hook *hs = arena_zalloc(a, (n ? n : 1) * sizeof *hs);
    cval *recs = cv_list_new(a, n);
    for (size_t i = 0; i < n; i++) {
        hook *h = &hs[i];
        if (yaml_parse(a, manifests[i], lens[i], sources[i], &h->obj, err) < 0)
            return -1;
        cval *ann = field(field(h->obj, "metadata"), "annotations");
        h->name = str(field(field(h->obj, "metadata"), "name"));
        h->kind = str(field(h->obj, "kind"));
        if (!h->name || !h->kind)
            return cap_err_set(err, "%s: a hook without kind or metadata.name", sources[i]);
        h->path = sources[i];
        h->manifest = arena_strndup(a, manifests[i], lens[i]);
        h->events = split_list(a, str(field(ann, "helm.sh/hook")));
        const char *pol = str(field(ann, "helm.sh/hook-delete-policy"));
        h->delete_policies = split_list(a, pol ? pol : "before-hook-creation");
        const char *w = str(field(ann, "helm.sh/hook-weight"));
        h->weight = w ? atoi(w) : 0;
        /* test-success is test's old name */
        for (const char **e = h->events; *e; e++)
            if (strcmp(*e, "test-success") == 0)
                *e = "test";
    }
    qsort(hs, n, sizeof *hs, cmp_hook);
    for (size_t i = 0; i < n; i++) {
        hook *h = &hs[i];
        cval *r = cv_map_new(a), *ev = cv_list_new(a, 2), *dp = cv_list_new(a, 2), *lr = cv_map_new(a);
        cv_map_set(r, "name", cv_cstring(a, h->name));
        cv_map_set(r, "kind", cv_cstring(a, h->kind));
        cv_map_set(r, "path", cv_cstring(a, h->path));
        cv_map_set(r, "manifest", cv_cstring(a, h->manifest));
        for (const char **e = h->events; *e; e++)
            cv_list_push(ev, cv_cstring(a, *e));
        cv_map_set(r, "events", ev);
        cv_map_set(lr, "phase", cv_cstring(a, ""));
        cv_map_set(r, "last_run", lr);
        if (h->weight)
            cv_map_set(r, "weight", cv_int(a, h->weight));
        for (const char **p = h->delete_policies; *p; p++)
            cv_list_push(dp, cv_cstring(a, *p));
        if (cv_list_len(dp))
            cv_map_set(r, "delete_policies", dp);
        h->record = r;
        cv_list_push(recs, r);
    }
    *out = hs;
    *nout = n;
    *records = recs;
    return 0;
}

int hooks_from_release(arena *a, const cval *release, hook **out, size_t *nout, cval **records, cap_err *err)
{
    cval *hl = field(release, "hooks");
    size_t nh = hl && hl->kind == CV_LIST ? cv_list_len(hl) : 0;
    const char **srcs = arena_zalloc(a, (nh + 1) * sizeof *srcs), **docs = arena_zalloc(a, (nh + 1) * sizeof *docs);
    size_t *lens = arena_zalloc(a, (nh + 1) * sizeof *lens);
    for (size_t i = 0; i < nh; i++) {
        cval *h = cv_list_get(hl, i);
        srcs[i] = str(field(h, "path")) ? str(field(h, "path")) : "hook";
        docs[i] = str(field(h, "manifest")) ? str(field(h, "manifest")) : "";
        lens[i] = strlen(docs[i]);
    }
    return hooks_parse(a, srcs, docs, lens, nh, out, nout, records, err);
}

static char *now_rfc3339(arena *a)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return release_time(a, ts.tv_sec, ts.tv_nsec);
}

static int delete_hook(kube_api *api, const hook *h, const char *ns, cap_err *err)
{
    return kube_api_delete(api, str(field(h->obj, "apiVersion")), h->kind, ns, h->name, "Background", NULL, err);
}

/* Wait until a deleted hook object is really gone (Jobs take a moment). */
static void wait_gone(kube_api *api, arena *a, const hook *h, const char *ns)
{
    for (int i = 0; i < 100; i++) {
        cval *o;
        cap_err e = CAP_ERR_INIT;
        if (kube_api_get(api, a, str(field(h->obj, "apiVersion")), h->kind, ns, h->name, &o, &e) < 0 || !o) {
            cap_err_clear(&e);
            return;
        }
        struct timespec ts = {0, 100 * 1000000L};
        nanosleep(&ts, NULL);
    }
}

int hooks_run(kube_api *api, arena *a, hook *hooks, size_t n, const char *event, const hook_opts *o,
              cap_err *err)
{
    for (size_t i = 0; i < n; i++) {
        hook *h = &hooks[i];
        if (!has(h->events, event))
            continue;
        if (o->cancel && *o->cancel)
            return cap_err_set(err, "interrupted");
        const char *objns = str(field(field(h->obj, "metadata"), "namespace"));
        const char *ns = objns && *objns ? objns : o->namespace;
        if (o->log)
            fprintf(o->log, "hook %s: %s/%s\n", event, h->kind, h->name);
        if (has(h->delete_policies, "before-hook-creation")) {
            if (delete_hook(api, h, ns, err) < 0)
                return -1;
            wait_gone(api, a, h, ns);
        }
        cval *obj = cv_deep_copy(a, h->obj);
        deploy_mark_owned(a, obj, o->release, o->namespace);
        cval *lr = cv_map_get(h->record, "last_run");
        cv_map_set(lr, "started_at", cv_cstring(a, now_rfc3339(a)));
        cv_map_set(lr, "phase", cv_cstring(a, "Running"));
        kube_apply_opts ao = {.field_manager = o->field_manager, .force = true};
        int rc = kube_api_apply(api, a, obj, ns, &ao, NULL, err);
        if (rc == 0 && (strcmp(h->kind, "Job") == 0 || strcmp(h->kind, "Pod") == 0)) {
            wait_target t = {str(field(obj, "apiVersion")), h->kind, ns, h->name};
            wait_opts wo = {.timeout_ms = o->timeout_ms, .log = o->log, .label = arena_printf(a, "hook %s", event),
                            .cancel = o->cancel, .tick = o->tick, .tick_ctx = o->tick_ctx};
            rc = wait_ready(api, &t, 1, &wo, err);
        }
        cv_map_set(lr, "completed_at", cv_cstring(a, now_rfc3339(a)));
        cv_map_set(lr, "phase", cv_cstring(a, rc == 0 ? "Succeeded" : "Failed"));
        if (rc < 0) {
            cap_err_prefix(err, "%s hook %s/%s failed", event, h->kind, h->name);
            if (has(h->delete_policies, "hook-failed")) {
                cap_err ignore = CAP_ERR_INIT;
                delete_hook(api, h, ns, &ignore);
                cap_err_clear(&ignore);
            }
            return -1;
        }
        if (has(h->delete_policies, "hook-succeeded") && delete_hook(api, h, ns, err) < 0)
            return -1;
    }
    return 0;
}
