/* hooks.c — see hooks.h. */
#include "installer/release/hooks.h"
#include "core/value.h"
#include "installer/release/deploy.h"
#include "installer/release/plan.h"
#include "installer/release/release_store.h"
#include "installer/release/wait.h"
#include "core/yaml.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>


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

/* Helm's execution order within one event (pkg/action/hooks.go, hookByWeight):
 * the hooks come sorted by kind (the release's order); a stable sort by weight,
 * then name, keeps kind order among equal weights and names. */
static int cmp_exec(const void *x, const void *y)
{
    const hook *a = *(const hook *const *)x, *b = *(const hook *const *)y;
    if (a->weight != b->weight)
        return (a->weight > b->weight) - (a->weight < b->weight);
    int c = strcmp(a->name, b->name);
    if (c)
        return c;
    return (a->index > b->index) - (a->index < b->index);
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
        cval *ann = cv_get(cv_get(h->obj, "metadata"), "annotations");
        h->name = cv_str(cv_get(cv_get(h->obj, "metadata"), "name"));
        h->kind = cv_str(cv_get(h->obj, "kind"));
        if (!h->name || !h->kind)
            return cap_err_set(err, "%s: a hook without kind or metadata.name", sources[i]);
        h->path = sources[i];
        h->manifest = arena_strndup(a, manifests[i], lens[i]);
        h->events = split_list(a, cv_str(cv_get(ann, "helm.sh/hook")));
        h->delete_policies = split_list(a, cv_str(cv_get(ann, "helm.sh/hook-delete-policy")));
        h->output_log_policies = split_list(a, cv_str(cv_get(ann, "helm.sh/hook-output-log-policy")));
        h->index = i;
        const char *w = cv_str(cv_get(ann, "helm.sh/hook-weight"));
        h->weight = w ? atoi(w) : 0;
        /* test-success is test's old name */
        for (const char **e = h->events; *e; e++)
            if (strcmp(*e, "test-success") == 0)
                *e = "test";
    }
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
        if (*h->output_log_policies) {
            cval *olp = cv_list_new(a, 1);
            for (const char **p = h->output_log_policies; *p; p++)
                cv_list_push(olp, cv_cstring(a, *p));
            cv_map_set(r, "output_log_policies", olp);
        }
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
    cval *hl = cv_get(release, "hooks");
    size_t nh = hl && hl->kind == CV_LIST ? cv_list_len(hl) : 0;
    const char **srcs = arena_zalloc(a, (nh + 1) * sizeof *srcs), **docs = arena_zalloc(a, (nh + 1) * sizeof *docs);
    size_t *lens = arena_zalloc(a, (nh + 1) * sizeof *lens);
    for (size_t i = 0; i < nh; i++) {
        cval *h = cv_list_get(hl, i);
        srcs[i] = cv_str(cv_get(h, "path")) ? cv_str(cv_get(h, "path")) : "hook";
        docs[i] = cv_str(cv_get(h, "manifest")) ? cv_str(cv_get(h, "manifest")) : "";
        lens[i] = strlen(docs[i]);
    }
    if (hooks_parse(a, srcs, docs, lens, nh, out, nout, records, err) < 0)
        return -1;
    /* Keep what the stored records say (last runs, the policies as recorded):
     * helm carries a revision's hooks over as they are, and a hook that runs
     * again updates its own record. */
    cval *kept = cv_list_new(a, nh);
    for (size_t i = 0; i < nh; i++) {
        cval *r = cv_deep_copy(a, cv_list_get(hl, i));
        if (r->kind != CV_MAP)
            r = cv_list_get(*records, i);
        if (!cv_get(r, "last_run") || cv_get(r, "last_run")->kind != CV_MAP)
            cv_map_set(r, "last_run", cv_map_get(cv_list_get(*records, i), "last_run"));
        (*out)[i].record = r;
        cv_list_push(kept, r);
    }
    *records = kept;
    return 0;
}

static char *now_rfc3339(arena *a)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return release_time(a, ts.tv_sec, ts.tv_nsec);
}

static const char *hook_namespace(const hook *h, const hook_opts *o)
{
    const char *objns = cv_str(cv_get(cv_get(h->obj, "metadata"), "namespace"));
    return objns && *objns ? objns : o->namespace;
}

/* Wait until a deleted hook object is really gone (Jobs take a moment). */
static int wait_gone(kube_api *api, arena *a, const hook *h, const char *ns, const hook_opts *o, cap_err *err)
{
    long waited = 0, limit = o->timeout_ms > 0 ? o->timeout_ms : 300000;
    for (;;) {
        cval *obj;
        cap_err e = CAP_ERR_INIT;
        if (kube_api_get(api, a, cv_str(cv_get(h->obj, "apiVersion")), h->kind, ns, h->name, &obj, &e) < 0 || !obj) {
            cap_err_clear(&e);
            return 0;
        }
        if (o->cancel && *o->cancel)
            return cap_err_coded(err, CAPSTAN_ECANCELLED, "interrupted");
        if (waited >= limit)
            return cap_err_set(err, "timed out after %lds waiting for hook %s/%s to be deleted", limit / 1000,
                               h->kind, h->name);
        if (o->tick)
            o->tick(o->tick_ctx);
        struct timespec ts = {0, 100 * 1000000L};
        nanosleep(&ts, NULL);
        waited += 100;
    }
}

/* deleteHookByPolicy: delete the hook (and wait until it is gone) when it has
 * the policy; CustomResourceDefinitions are never deleted. */
static int delete_by_policy(kube_api *api, arena *a, const hook *h, const char *policy, const hook_opts *o,
                            cap_err *err)
{
    if (strcmp(h->kind, "CustomResourceDefinition") == 0 || !has(h->delete_policies, policy))
        return 0;
    const char *ns = hook_namespace(h, o);
    bool existed = false;
    if (kube_api_delete(api, cv_str(cv_get(h->obj, "apiVersion")), h->kind, ns, h->name, "Background", &existed, err) < 0)
        return -1;
    if (!existed)
        return 0;
    if (o->log)
        fprintf(o->log, "hook %s/%s: deleted (%s)\n", h->kind, h->name, policy);
    return wait_gone(api, a, h, ns, o, err);
}

/* outputLogsByPolicy: the logs of every container of the hook's pods (a Job's
 * pods by its job-name label, or the Pod itself), written to the log stream as
 * helm writes them to its log; a failure to read them is reported and ignored. */
static void output_logs(kube_api *api, arena *a, const hook *h, const char *policy, const hook_opts *o)
{
    FILE *out = o->hook_output ? o->hook_output : o->log;
    if (!out || !has(h->output_log_policies, policy))
        return;
    bool job = strcmp(h->kind, "Job") == 0;
    if (!job && strcmp(h->kind, "Pod") != 0)
        return;
    const char *ns = hook_namespace(h, o);
    cap_err e = CAP_ERR_INIT;
    cval *pods = NULL;
    if (job) {
        if (kube_api_list(api, a, "v1", "Pod", ns, arena_printf(a, "job-name=%s", h->name), &pods, &e) < 0)
            goto fail;
    } else {
        cval *p;
        if (kube_api_get(api, a, "v1", "Pod", ns, h->name, &p, &e) < 0)
            goto fail;
        pods = cv_list_new(a, 1);
        if (p)
            cv_list_push(pods, p);
    }
    for (size_t i = 0; i < cv_list_len(pods); i++) {
        cval *p = cv_list_get(pods, i);
        const char *pname = cv_str(cv_get(cv_get(p, "metadata"), "name"));
        cval *cs = cv_get(cv_get(p, "spec"), "containers");
        for (size_t k = 0; pname && cs && cs->kind == CV_LIST && k < cv_list_len(cs); k++) {
            const char *cname = cv_str(cv_get(cv_list_get(cs, k), "name"));
            char *text;
            size_t len;
            if (!cname)
                continue;
            if (kube_api_pod_log(api, a, ns, pname, cname, 0, false, &text, &len, &e) < 0)
                goto fail;
            fwrite(text, 1, len, out);
        }
    }
    fflush(out);
    return;
fail:
    fprintf(out, "error outputting logs for hook %s/%s: %s\n", h->kind, h->name, e.msg ? e.msg : "?");
    cap_err_clear(&e);
}

/* One hook: before-hook-creation, create, and wait when it is a Job or a Pod. */
static int run_one(kube_api *api, arena *a, hook *h, const char *event, const hook_opts *o, cap_err *err)
{
    if (!*h->delete_policies) {
        /* Helm's default, recorded as helm records it once the hook has run */
        h->delete_policies = split_list(a, "before-hook-creation");
        cval *dp = cv_list_new(a, 1);
        cv_list_push(dp, cv_cstring(a, "before-hook-creation"));
        cv_map_set(h->record, "delete_policies", dp);
    }
    if (delete_by_policy(api, a, h, "before-hook-creation", o, err) < 0)
        return -1;
    const char *ns = hook_namespace(h, o);
    const char *label = arena_printf(a, "hook %s", event);
    capstan_progress_event ev = {.type = CAPSTAN_PROGRESS_HOOK_STARTED, .phase = label,
                                 .api_version = cv_str(cv_get(h->obj, "apiVersion")), .kind = h->kind,
                                 .namespace_ = ns, .name = h->name, .state = "running"};
    if (progress_on(o->progress))
        progress_emit(o->progress, ev);
    else if (o->log)
        fprintf(o->log, "hook %s: %s/%s\n", event, h->kind, h->name);
    cval *obj = cv_deep_copy(a, h->obj);
    deploy_mark_owned(a, obj, o->release, o->namespace);
    cval *lr = cv_map_get(h->record, "last_run");
    cv_map_set(lr, "started_at", cv_cstring(a, now_rfc3339(a)));
    cv_map_set(lr, "phase", cv_cstring(a, "Running"));
    kube_apply_opts ao = {.field_manager = o->field_manager, .force = true};
    int rc = kube_api_apply(api, a, obj, ns, &ao, NULL, err);
    if (rc == 0 && (strcmp(h->kind, "Job") == 0 || strcmp(h->kind, "Pod") == 0)) {
        wait_target t = {cv_str(cv_get(obj, "apiVersion")), h->kind, ns, h->name};
        wait_opts wo = {.timeout_ms = o->timeout_ms, .log = o->log, .label = label,
                        .cancel = o->cancel, .tick = o->tick, .tick_ctx = o->tick_ctx,
                        .fail_grace_ms = o->fail_grace_ms, .progress = o->progress};
        rc = wait_ready(api, &t, 1, &wo, err);
    }
    ev.type = CAPSTAN_PROGRESS_HOOK_FINISHED;
    ev.state = rc == 0 ? "succeeded" : "failed";
    ev.message = rc == 0 ? NULL : err->msg;
    progress_emit(o->progress, ev);
    cv_map_set(lr, "completed_at", cv_cstring(a, now_rfc3339(a)));
    cv_map_set(lr, "phase", cv_cstring(a, rc == 0 ? "Succeeded" : "Failed"));
    if (rc < 0)
        cap_err_prefix(err, "%s hook %s/%s failed", event, h->kind, h->name);
    return rc < 0 ? -1 : 0;
}

int hooks_run(kube_api *api, arena *a, hook *hooks, size_t n, const char *event, const hook_opts *o,
              cap_err *err)
{
    hook **run = arena_zalloc(a, (n ? n : 1) * sizeof *run);
    size_t nrun = 0;
    for (size_t i = 0; i < n; i++)
        if (has(hooks[i].events, event))
            run[nrun++] = &hooks[i];
    qsort(run, nrun, sizeof *run, cmp_exec);
    for (size_t i = 0; i < nrun; i++) {
        if (o->cancel && *o->cancel)
            return cap_err_coded(err, CAPSTAN_ECANCELLED, "interrupted");
        if (run_one(api, a, run[i], event, o, err) == 0)
            continue;
        /* Helm: the failed hook's logs and hook-failed deletion, then the
         * hook-succeeded deletions of the hooks of this event that had run. */
        output_logs(api, a, run[i], "hook-failed", o);
        cap_err ignore = CAP_ERR_INIT;
        if (delete_by_policy(api, a, run[i], "hook-failed", o, &ignore) < 0 && o->log)
            fprintf(o->log, "error deleting the hook resource on hook failure: %s\n", ignore.msg);
        cap_err_clear(&ignore);
        for (size_t k = 0; k < i; k++)
            if (delete_by_policy(api, a, run[k], "hook-succeeded", o, &ignore) < 0) {
                if (o->log)
                    fprintf(o->log, "warning: %s\n", ignore.msg);
                cap_err_clear(&ignore);
            }
        return -1;
    }
    /* Every hook of the event succeeded: logs and hook-succeeded deletions, last first. */
    for (size_t i = nrun; i-- > 0;) {
        output_logs(api, a, run[i], "hook-succeeded", o);
        if (delete_by_policy(api, a, run[i], "hook-succeeded", o, err) < 0)
            return -1;
    }
    return 0;
}
