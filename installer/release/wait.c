/* wait.c — see wait.h. */
#include "installer/release/wait.h"
#include "core/value.h"
#include "installer/release/diagnose.h"
#include "installer/kube/kube_watch.h"
#include "core/strbuf.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

struct group {                 /* one watched collection */
    const kube_resource *res;
    const char *namespace;
    char *path;
    bool pods;                 /* the pods of a namespace, for fail-fast */
    bool events;               /* the Warning events of a namespace, for fail-fast */
};

struct waiter {
    kube_api *api;
    wait_target *t;
    size_t n;
    const wait_opts *o;
    arena *a;                  /* lives for the whole wait */
    struct group *groups;
    size_t ngroups;
    cval **selectors;          /* per target: matchLabels of a workload, or NULL */
    const char *failure;       /* set when the wait must fail */
    bool relist;
    bool listing;              /* judging a list, not watch events */
    int lines_printed;
    char started[32];          /* RFC 3339 time the wait started, less a little skew */
};


static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static long grace_ms(const struct waiter *w) { return w->o->fail_grace_ms > 0 ? w->o->fail_grace_ms : 10000; }

static bool is_workload(const char *kind)
{
    static const char *const k[] = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job",
                                     "ReplicationController", NULL};
    for (const char *const *p = k; *p; p++)
        if (strcmp(*p, kind) == 0)
            return true;
    return false;
}

static bool all_done(const struct waiter *w)
{
    for (size_t i = 0; i < w->n; i++)
        if (w->t[i].state.state != READY_CURRENT)
            return false;
    return true;
}

static void print_state(struct waiter *w, size_t i)
{
    FILE *f = w->o->log;
    if (!f)
        return;
    const wait_target *t = &w->t[i];
    fprintf(f, "%s%s%s/%s: %s (%s)\n", w->o->label ? w->o->label : "", w->o->label ? ": " : "", t->kind, t->name,
            ready_state_name(t->state.state), t->state.message ? t->state.message : "");
    fflush(f);
}

static void print_live(struct waiter *w)
{
    FILE *f = w->o->log;
    if (!f)
        return;
    if (w->lines_printed)
        fprintf(f, "\033[%dA", w->lines_printed);
    for (size_t i = 0; i < w->n; i++) {
        const wait_target *t = &w->t[i];
        const char *mark = t->state.state == READY_CURRENT ? "ok " : t->state.state == READY_FAILED ? "ERR" : "...";
        fprintf(f, "\033[2K%s %s%s%s/%s: %s\n", mark, w->o->label ? w->o->label : "", w->o->label ? " " : "",
                t->kind, t->name, t->state.message ? t->state.message : "");
    }
    w->lines_printed = (int)w->n;
    fflush(f);
}

#define NOT_FOUND "not found yet"

/* Target i changed: an event, or a log line (not on a live terminal). */
static void report(struct waiter *w, size_t i, const char *message)
{
    const wait_target *t = &w->t[i];
    if (progress_on(w->o->progress))
        progress_emit(w->o->progress,
                      (capstan_progress_event){.type = CAPSTAN_PROGRESS_OBJECT, .phase = w->o->label,
                                               .api_version = t->api_version, .kind = t->kind,
                                               .namespace_ = t->namespace, .name = t->name,
                                               .state = t->seen && t->state.message &&
                                                                strcmp(t->state.message, NOT_FOUND) == 0
                                                            ? "waiting"
                                                            : progress_state_word(t->state.state, t->seen),
                                               .message = message ? message : t->state.message});
    else if (!w->o->live && !message)
        print_state(w, i);
}

/* A controller reports a failure of target t: the wait fails if it lasts. */
static void failing(struct waiter *w, wait_target *t, const char *why)
{
    if (t->state.state == READY_CURRENT)
        return;
    if (!t->failing)
        t->failing_since = now_ms();
    bool changed = !t->failing || strcmp(t->failing, why) != 0;
    t->failing = arena_strdup(w->a, why);
    if (changed && progress_on(w->o->progress))
        report(w, (size_t)(t - w->t),
               arena_printf(w->a, "%s (fails in %lds unless it clears)", t->failing, grace_ms(w) / 1000));
    else if (changed && w->o->log && !w->o->live) {
        fprintf(w->o->log, "%s%s%s/%s: %s (fails in %lds unless it clears)\n", w->o->label ? w->o->label : "",
                w->o->label ? ": " : "", t->kind, t->name, t->failing, grace_ms(w) / 1000);
        fflush(w->o->log);
    }
}

/* Judge object obj (a member of group g) and update its target. */
static void judge(struct waiter *w, const struct group *g, const cval *obj, bool deleted)
{
    const char *name = cv_str(cv_get(cv_get(obj, "metadata"), "name"));
    const char *ns = cv_str(cv_get(cv_get(obj, "metadata"), "namespace"));
    if (!name)
        return;
    for (size_t i = 0; i < w->n; i++) {
        wait_target *t = &w->t[i];
        if (strcmp(t->name, name) != 0 || strcmp(t->kind, g->res->kind) != 0)
            continue;
        if (g->res->namespaced && ns && t->namespace && strcmp(ns, t->namespace) != 0)
            continue;
        if (!cv_get(obj, "kind") && obj->kind == CV_MAP) {
            /* items of a list carry no kind or apiVersion */
            cv_map_set((cval *)obj, "kind", cv_cstring(w->a, g->res->kind));
            cv_map_set((cval *)obj, "apiVersion",
                       cv_cstring(w->a, *g->res->group ? arena_printf(w->a, "%s/%s", g->res->group, g->res->version)
                                                       : g->res->version));
        }
        ready_result r = deleted ? (ready_result){READY_IN_PROGRESS, "deleted; waiting for it to come back"}
                                 : ready_status(w->a, obj);
        if (r.state == READY_IN_PROGRESS && w->o->started_jobs && strcmp(t->kind, "Job") == 0 &&
            cv_str(cv_get(cv_get(obj, "status"), "startTime")))
            r = (ready_result){READY_CURRENT, arena_printf(w->a, "%s (started; --wait-for-jobs waits for it)", r.message)};
        if (r.state == READY_CURRENT && w->o->wait_for_lb && ready_lb_pending(obj))
            r = (ready_result){READY_IN_PROGRESS, "waiting for a load balancer address"};
        const char *uid = cv_str(cv_get(cv_get(obj, "metadata"), "uid"));
        if (uid && !deleted && (!t->uid || strcmp(t->uid, uid) != 0))
            t->uid = arena_strdup(w->a, uid);
        const char *rf = deleted ? NULL : ready_replica_failure(w->a, obj);
        if (!rf && !deleted && strcmp(t->kind, "Pod") == 0)
            rf = ready_pod_unschedulable(w->a, obj);
        if (rf)
            failing(w, t, rf);
        else if (t->failing && (strcmp(t->kind, "Deployment") == 0 || strcmp(t->kind, "ReplicaSet") == 0 ||
                                strcmp(t->kind, "Pod") == 0))
            t->failing = NULL;
        bool changed = !t->seen || r.state != t->state.state ||
                       strcmp(r.message ? r.message : "", t->state.message ? t->state.message : "") != 0;
        t->seen = true;
        t->state = r;
        if (changed)
            report(w, i, NULL);
        if (r.state == READY_FAILED && !w->failure)
            w->failure = arena_printf(w->a, "%s/%s: %s", t->kind, t->name, r.message);
        /* a workload's selector, for its pods */
        cval *ml = cv_get(cv_get(cv_get(obj, "spec"), "selector"), "matchLabels");
        if (ml && ml->kind == CV_MAP)
            w->selectors[i] = cv_deep_copy(w->a, ml);
        else if (strcmp(t->kind, "Job") == 0) {
            cval *uid = cv_get(cv_get(obj, "metadata"), "uid");
            if (uid) {
                cval *sel = cv_map_new(w->a);
                cv_map_set(sel, "batch.kubernetes.io/controller-uid", cv_deep_copy(w->a, uid));
                w->selectors[i] = sel;
            }
        }
    }
}

static bool labels_match(const cval *labels, const cval *sel)
{
    size_t n;
    const cv_entry *e = cv_map_sorted(sel, &n);
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        const char *want = cv_str(e[i].val);
        const char *have = cv_str(cv_get(labels, e[i].key));
        if (!want || !have || strcmp(want, have) != 0)
            return false;
    }
    return true;
}

/* Does pod belong to target i (a workload waited on, not yet ready)? */
static bool pod_of(const struct waiter *w, size_t i, const cval *labels, const char *pns)
{
    const wait_target *t = &w->t[i];
    if (!w->selectors[i] || t->state.state == READY_CURRENT)
        return false;
    if (t->namespace && pns && strcmp(t->namespace, pns) != 0)
        return false;
    return labels_match(labels, w->selectors[i]);
}

static void judge_pod(struct waiter *w, const cval *pod, bool added)
{
    const cval *labels = cv_get(cv_get(pod, "metadata"), "labels");
    const char *pname = cv_str(cv_get(cv_get(pod, "metadata"), "name"));
    const char *pns = cv_str(cv_get(cv_get(pod, "metadata"), "namespace"));
    const char *unsched = ready_pod_unschedulable(w->a, pod);
    const char *why = ready_pod_failure(w->a, pod);
    for (size_t i = 0; i < w->n; i++) {
        wait_target *t = &w->t[i];
        if (!pod_of(w, i, labels, pns))
            continue;
        if (unsched)
            failing(w, t, arena_printf(w->a, "pod %s: %s", pname ? pname : "?", unsched));
        else if (added && !w->listing && t->failing)
            t->failing = NULL; /* a new pod: the controller creates pods again */
        if (!why)
            continue;
        t->state = (ready_result){READY_FAILED, arena_printf(w->a, "pod %s: %s", pname ? pname : "?", why)};
        report(w, i, NULL);
        if (!w->failure)
            w->failure = arena_printf(w->a, "%s/%s: %s", t->kind, t->name, t->state.message);
    }
}

/* A Warning event: FailedCreate on a workload waited on (for a Deployment, on
 * one of its ReplicaSets, NAME-HASH), seen after the wait started. */
static void judge_event(struct waiter *w, const cval *ev)
{
    const char *reason = cv_str(cv_get(ev, "reason"));
    if (!reason || strcmp(reason, "FailedCreate") != 0)
        return;
    const char *when = cv_str(cv_get(ev, "lastTimestamp"));
    if (!when)
        when = cv_str(cv_get(cv_get(ev, "series"), "lastObservedTime"));
    if (!when)
        when = cv_str(cv_get(ev, "eventTime"));
    if (when && strncmp(when, w->started, 19) < 0)
        return; /* from before this wait: an earlier object of the same name */
    const cval *io = cv_get(ev, "involvedObject");
    const char *kind = cv_str(cv_get(io, "kind")), *name = cv_str(cv_get(io, "name"));
    const char *ns = cv_str(cv_get(io, "namespace")), *uid = cv_str(cv_get(io, "uid"));
    const char *msg = cv_str(cv_get(ev, "message"));
    if (!kind || !name)
        return;
    for (size_t i = 0; i < w->n; i++) {
        wait_target *t = &w->t[i];
        if (t->namespace && ns && strcmp(t->namespace, ns) != 0)
            continue;
        bool mine = strcmp(t->kind, kind) == 0 && strcmp(t->name, name) == 0 && (!t->uid || !uid || strcmp(t->uid, uid) == 0);
        size_t nl = strlen(t->name);
        bool rs_of = strcmp(t->kind, "Deployment") == 0 && strcmp(kind, "ReplicaSet") == 0 &&
                     strncmp(name, t->name, nl) == 0 && name[nl] == '-' && !strchr(name + nl + 1, '-');
        if (mine)
            failing(w, t, arena_printf(w->a, "FailedCreate: %s", msg ? msg : ""));
        else if (rs_of)
            failing(w, t, arena_printf(w->a, "%s %s: FailedCreate: %s", kind, name, msg ? msg : ""));
    }
}

/* Fail the wait on a controller's failure that outlasted the grace period. */
static void check_failing(struct waiter *w)
{
    long now = now_ms();
    for (size_t i = 0; i < w->n && !w->failure; i++) {
        wait_target *t = &w->t[i];
        if (t->failing && t->state.state != READY_CURRENT && now - t->failing_since >= grace_ms(w)) {
            t->state = (ready_result){READY_FAILED, t->failing};
            if (w->o->log || progress_on(w->o->progress))
                report(w, i, NULL);
            w->failure = arena_printf(w->a, "%s/%s: %s (for %lds)", t->kind, t->name, t->failing,
                                      (now - t->failing_since) / 1000);
        }
    }
}

static int on_event(void *ctx, int stream, const char *type, cval *obj, arena *a)
{
    struct waiter *w = ctx;
    const struct group *g = &w->groups[stream];
    if (strcmp(type, "GONE") == 0) {
        w->relist = true;
        return 1;
    }
    if (strcmp(type, "BOOKMARK") == 0 || strcmp(type, "ERROR") == 0)
        return 0;
    if (g->events) {
        judge_event(w, obj);
        return 0;
    }
    if (g->pods)
        judge_pod(w, obj, strcmp(type, "ADDED") == 0);
    else
        judge(w, g, obj, strcmp(type, "DELETED") == 0);
    if (w->o->live && !progress_on(w->o->progress))
        print_live(w);
    return w->failure || all_done(w);
}

static int add_group(struct waiter *w, const kube_resource *res, const char *ns, bool pods, bool events)
{
    for (size_t i = 0; i < w->ngroups; i++)
        if (w->groups[i].res == res && w->groups[i].pods == pods && w->groups[i].events == events &&
            ((!ns && !w->groups[i].namespace) || (ns && w->groups[i].namespace && strcmp(ns, w->groups[i].namespace) == 0)))
            return 0;
    w->groups[w->ngroups++] = (struct group){res, ns, kube_api_path(w->a, res, ns, NULL), pods, events};
    return 0;
}

#define WARNINGS_QUERY "fieldSelector=type%3DWarning"

/* List every group, judge what is there, and start watching from the list's version. */
static int list_and_watch(struct waiter *w, kube_watch **kw, cap_err *err)
{
    kube_watch_free(*kw);
    *kw = kube_watch_new(kube_api_client(w->api));
    for (size_t g = 0; g < w->ngroups; g++) {
        struct group *gr = &w->groups[g];
        long status;
        cval *doc;
        const char *lpath = gr->events ? arena_printf(w->a, "%s?%s", gr->path, WARNINGS_QUERY) : gr->path;
        if (kube_api_get_path(w->api, w->a, lpath, &status, &doc, err) < 0)
            return -1;
        if (gr->events && (status == 401 || status == 403 || status == 404)) {
            /* a user who may not read Events: wait without them (only FailedCreate goes unseen) */
            memmove(gr, gr + 1, (w->ngroups - g - 1) * sizeof *gr);
            w->ngroups--;
            return list_and_watch(w, kw, err);
        }
        if (status != 200)
            return cap_err_set(err, "list %s: HTTP %ld", gr->path, status);
        cval *items = cv_get(doc, "items");
        if (!items || items->kind != CV_LIST)
            return cap_err_set(err, "list %s: the response has no items list", gr->path);
        w->listing = true;
        for (size_t i = 0; i < cv_list_len(items); i++) {
            cval *it = cv_list_get(items, i);
            if (gr->events)
                judge_event(w, it);
            else if (gr->pods)
                judge_pod(w, it, true);
            else
                judge(w, gr, it, false);
        }
        w->listing = false;
        const char *rv = cv_str(cv_get(cv_get(doc, "metadata"), "resourceVersion"));
        if (kube_watch_add(*kw, gr->path, gr->events ? WARNINGS_QUERY : NULL, rv, err) != (int)g)
            return -1;
    }
    for (size_t i = 0; i < w->n; i++)
        if (!w->t[i].seen) {
            w->t[i].state = (ready_result){READY_IN_PROGRESS, NOT_FOUND};
            w->t[i].seen = true;
            report(w, i, NULL);
        }
    if (w->o->live && !progress_on(w->o->progress))
        print_live(w);
    return 0;
}

/* The wait failed or timed out: diagnose the failed targets (none failed:
 * every one not ready), to the progress or the log. */
static void diagnose(struct waiter *w)
{
    const wait_opts *o = w->o;
    if (!o->log && !progress_on(o->progress))
        return;
    bool any_failed = false;
    for (size_t i = 0; i < w->n; i++)
        any_failed |= w->t[i].state.state == READY_FAILED;
    long lines = o->progress ? o->progress->log_lines : CAPSTAN_DEFAULT_LOG_LINES;
    for (size_t i = 0; i < w->n; i++) {
        const wait_target *t = &w->t[i];
        if (t->state.state == READY_CURRENT || (any_failed && t->state.state != READY_FAILED))
            continue;
        strbuf sb = STRBUF_INIT;
        diagnose_object(w->api, w->a, t->api_version, t->kind, t->namespace, t->name,
                        t->failing ? t->failing : t->state.message, lines, &sb);
        if (progress_on(o->progress))
            progress_emit(o->progress,
                          (capstan_progress_event){.type = CAPSTAN_PROGRESS_DIAGNOSTICS, .phase = o->label,
                                                   .api_version = t->api_version, .kind = t->kind,
                                                   .namespace_ = t->namespace, .name = t->name,
                                                   .state = progress_state_word(t->state.state, t->seen),
                                                   .message = t->state.message, .text = sb_str(&sb)});
        else {
            fputs(sb_str(&sb), o->log);
            fflush(o->log);
        }
        sb_release(&sb);
    }
}

int wait_ready(kube_api *api, wait_target *targets, size_t n, const wait_opts *o, cap_err *err)
{
    struct waiter w = {.api = api, .t = targets, .n = n, .o = o};
    w.a = arena_new();
    w.groups = arena_zalloc(w.a, (3 * n + 1) * sizeof *w.groups);
    {
        time_t t0 = time(NULL) - 2;
        struct tm tm;
        gmtime_r(&t0, &tm);
        strftime(w.started, sizeof w.started, "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    w.selectors = arena_zalloc(w.a, (n + 1) * sizeof *w.selectors);
    kube_watch *kw = NULL;
    int rc = -1;
    const kube_resource *pods = NULL, *events = NULL;
    for (size_t i = 0; i < n; i++) {
        const kube_resource *res;
        targets[i].seen = false;
        targets[i].state = (ready_result){READY_IN_PROGRESS, ""};
        if (kube_api_resolve(api, targets[i].api_version, targets[i].kind, &res, err) < 0)
            goto done;
        const char *ns = res->namespaced ? targets[i].namespace : NULL;
        targets[i].failing = NULL;
        targets[i].uid = NULL;
        add_group(&w, res, ns, false, false);
        if (is_workload(targets[i].kind)) {
            if (!pods && kube_api_resolve(api, "v1", "Pod", &pods, err) < 0)
                goto done;
            add_group(&w, pods, ns, true, false);
            if (!events) {
                /* without Events (a server that does not serve them) only FailedCreate goes unseen */
                cap_err ignore = CAP_ERR_INIT;
                if (kube_api_resolve(api, "v1", "Event", &events, &ignore) < 0)
                    events = NULL;
                cap_err_clear(&ignore);
            }
            if (events)
                add_group(&w, events, ns, false, true);
        }
    }
    long deadline = now_ms() + (o->timeout_ms > 0 ? o->timeout_ms : 300000), last_tick = now_ms();
    if (list_and_watch(&w, &kw, err) < 0)
        goto done;
    while (!w.failure && !all_done(&w)) {
        long left = deadline - now_ms();
        if (left <= 0)
            break;
        if (o->cancel && *o->cancel) {
            cap_err_coded(err, CAPSTAN_ECANCELLED, "interrupted");
            goto done;
        }
        if (o->tick)
            o->tick(o->tick_ctx);
        if (progress_on(o->progress) && now_ms() - last_tick >= 1000) {
            progress_emit(o->progress, (capstan_progress_event){.type = CAPSTAN_PROGRESS_TICK, .phase = o->label});
            last_tick = now_ms();
        }
        int r = kube_watch_poll(kw, left < 500 ? left : 500, on_event, &w, err);
        if (r < 0)
            goto done;
        check_failing(&w);
        if (w.relist) {
            w.relist = false;
            if (list_and_watch(&w, &kw, err) < 0)
                goto done;
        }
    }
    if (w.failure) {
        diagnose(&w);
        cap_err_set(err, "%s", w.failure);
        goto done;
    }
    if (!all_done(&w)) {
        diagnose(&w);
        strbuf sb = STRBUF_INIT;
        sb_addf(&sb, "timed out after %lds waiting for ", (o->timeout_ms > 0 ? o->timeout_ms : 300000) / 1000);
        bool first = true;
        for (size_t i = 0; i < n; i++) {
            if (targets[i].state.state == READY_CURRENT)
                continue;
            sb_addf(&sb, "%s%s/%s (%s)", first ? "" : ", ", targets[i].kind, targets[i].name,
                    targets[i].state.message ? targets[i].state.message : "");
            first = false;
        }
        cap_err_set(err, "%s", sb_str(&sb));
        sb_release(&sb);
        goto done;
    }
    rc = 0;
done:
    /* the messages must outlive the arena: the caller reads targets[] */
    for (size_t i = 0; i < n; i++) {
        targets[i].state.message = NULL;
        targets[i].failing = NULL;
        targets[i].uid = NULL;
    }
    kube_watch_free(kw);
    arena_free(w.a);
    return rc;
}
