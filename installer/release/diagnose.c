/* diagnose.c — see diagnose.h. */
#include "installer/release/diagnose.h"
#include "core/value.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_PODS 3      /* pods whose logs are read, per object */
#define MAX_EVENTS 10   /* distinct Warning events shown, per object (the latest) */
#define EVENT_LAG_MS 1500 /* a kubelet's event may trail the pod status that failed the wait */

static const char *or_empty(const char *s) { return s ? s : ""; }
static size_t len_of(const cval *l) { return l && l->kind == CV_LIST ? cv_list_len(l) : 0; }

static long num(const cval *v)
{
    if (!v)
        return 0;
    if (v->kind == CV_INT)
        return (long)v->u.i;
    if (v->kind == CV_FLOAT)
        return (long)v->u.f;
    return 0;
}

static void conditions(const cval *obj, strbuf *out)
{
    const cval *cs = cv_get(cv_get(obj, "status"), "conditions");
    if (!len_of(cs))
        return;
    sb_adds(out, "  conditions:\n");
    for (size_t i = 0; i < len_of(cs); i++) {
        const cval *c = cv_list_get(cs, i);
        const char *reason = cv_str(cv_get(c, "reason")), *msg = cv_str(cv_get(c, "message"));
        sb_addf(out, "    %s=%s", or_empty(cv_str(cv_get(c, "type"))), or_empty(cv_str(cv_get(c, "status"))));
        if (reason && *reason)
            sb_addf(out, " %s", reason);
        if (msg && *msg)
            sb_addf(out, ": %s", msg);
        sb_addc(out, '\n');
    }
}

/* The label selector (k=v,k=v) of the object's pods, or NULL. */
static const char *pod_selector(arena *a, const char *kind, const cval *obj)
{
    const cval *ml = NULL;
    if (strcmp(kind, "Job") == 0) {
        const char *uid = cv_str(cv_get(cv_get(obj, "metadata"), "uid"));
        return uid ? arena_printf(a, "batch.kubernetes.io/controller-uid=%s", uid) : NULL;
    }
    ml = cv_get(cv_get(cv_get(obj, "spec"), "selector"), "matchLabels");
    if (!ml && strcmp(kind, "ReplicationController") == 0)
        ml = cv_get(cv_get(obj, "spec"), "selector");
    if (!ml || ml->kind != CV_MAP)
        return NULL;
    size_t n;
    const cv_entry *e = cv_map_sorted(ml, &n);
    if (n == 0)
        return NULL;
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < n; i++)
        sb_addf(&sb, "%s%s=%s", i ? "," : "", e[i].key, or_empty(cv_str(e[i].val)));
    char *s = arena_strdup(a, sb_str(&sb));
    sb_release(&sb);
    return s;
}

/* Is event ev about the object (kind/name), one of pods, or (Deployment) one of its ReplicaSets? */
static bool concerns(const cval *ev, const char *kind, const char *name, const cval *pods)
{
    const cval *io = cv_get(ev, "involvedObject");
    if (!io)
        io = cv_get(ev, "regarding");
    const char *k = cv_str(cv_get(io, "kind")), *n = cv_str(cv_get(io, "name"));
    if (!k || !n)
        return false;
    if (strcmp(k, kind) == 0 && strcmp(n, name) == 0)
        return true;
    size_t nl = strlen(name);
    if (strcmp(kind, "Deployment") == 0 && strcmp(k, "ReplicaSet") == 0 && strncmp(n, name, nl) == 0 &&
        n[nl] == '-' && !strchr(n + nl + 1, '-'))
        return true;
    if (strcmp(k, "Pod") != 0)
        return false;
    for (size_t i = 0; i < len_of(pods); i++)
        if (strcmp(or_empty(cv_str(cv_get(cv_get(cv_list_get(pods, i), "metadata"), "name"))), n) == 0)
            return true;
    return false;
}

static const char *event_time(const cval *ev)
{
    const char *t = cv_str(cv_get(ev, "lastTimestamp"));
    if (!t)
        t = cv_str(cv_get(cv_get(ev, "series"), "lastObservedTime"));
    if (!t)
        t = cv_str(cv_get(ev, "eventTime"));
    return or_empty(t);
}

static int by_time(const void *x, const void *y)
{
    return strcmp(event_time(*(const cval *const *)x), event_time(*(const cval *const *)y));
}

/* A pod with a container waiting for a reason (CrashLoopBackOff, ImagePullBackOff, ...). */
static bool pod_stuck(const cval *pods)
{
    for (size_t i = 0; i < len_of(pods); i++) {
        const cval *css = cv_get(cv_get(cv_list_get(pods, i), "status"), "containerStatuses");
        for (size_t k = 0; k < len_of(css); k++) {
            const char *r = cv_str(cv_get(cv_get(cv_get(cv_list_get(css, k), "state"), "waiting"), "reason"));
            if (r && strcmp(r, "ContainerCreating") != 0 && strcmp(r, "PodInitializing") != 0)
                return true;
        }
    }
    return false;
}

static void warning_events(kube_api *api, arena *a, const char *kind, const char *name, const char *ns,
                           const cval *pods, strbuf *out)
{
    if (!ns)
        return; /* cluster-scoped objects: their events are in "default"; rarely useful */
    const char *path = arena_printf(a, "/api/v1/namespaces/%s/events?fieldSelector=type%%3DWarning", ns);
    const cval **mine = NULL;
    size_t k = 0;
    for (int attempt = 0; attempt < 2 && k == 0; attempt++) {
        if (attempt) { /* a stuck pod without its event yet: the event is on its way */
            if (!pod_stuck(pods))
                break;
            struct timespec ts = {EVENT_LAG_MS / 1000, (EVENT_LAG_MS % 1000) * 1000000L};
            nanosleep(&ts, NULL);
        }
        long status;
        cval *doc;
        cap_err e = CAP_ERR_INIT;
        if (kube_api_get_path(api, a, path, &status, &doc, &e) < 0 || status != 200) {
            sb_addf(out, "  events: could not be read (%s)\n", e.msg ? e.msg : arena_printf(a, "HTTP %ld", status));
            cap_err_clear(&e);
            return;
        }
        const cval *items = cv_get(doc, "items");
        size_t n = len_of(items);
        mine = arena_zalloc(a, (n + 1) * sizeof *mine);
        for (size_t i = 0; i < n; i++)
            if (concerns(cv_list_get(items, i), kind, name, pods))
                mine[k++] = cv_list_get(items, i);
    }
    if (k == 0)
        return;
    qsort(mine, k, sizeof *mine, by_time);
    sb_adds(out, "  warning events:\n");
    for (size_t i = k > MAX_EVENTS ? k - MAX_EVENTS : 0; i < k; i++) {
        const cval *ev = mine[i], *io = cv_get(ev, "involvedObject");
        long count = num(cv_get(ev, "count"));
        if (!count)
            count = num(cv_get(cv_get(ev, "series"), "count"));
        sb_addf(out, "    %s %s/%s: %s", or_empty(cv_str(cv_get(ev, "reason"))), or_empty(cv_str(cv_get(io, "kind"))),
                or_empty(cv_str(cv_get(io, "name"))), or_empty(cv_str(cv_get(ev, "message"))));
        if (count > 1)
            sb_addf(out, " (x%ld)", count);
        sb_addc(out, '\n');
    }
}

/* Whether a container's log explains a failure, and which run's: 1 its
 * current run, 2 its previous run, 0 none (fine, or it never ran). */
static int failing_container(const cval *cs)
{
    const cval *st = cv_get(cs, "state"), *last = cv_get(cv_get(cs, "lastState"), "terminated");
    const cval *waiting = cv_get(st, "waiting"), *term = cv_get(st, "terminated");
    if (term)
        return num(cv_get(term, "exitCode")) != 0 ? 1 : 0;
    if (waiting) {
        const char *r = or_empty(cv_str(cv_get(waiting, "reason")));
        if (strcmp(r, "CrashLoopBackOff") == 0 || last)
            return 2;
        return 0; /* ContainerCreating, ImagePullBackOff, ...: no log yet */
    }
    if (cv_get(cs, "ready") && cv_get(cs, "ready")->kind == CV_BOOL && !cv_get(cs, "ready")->u.b && last)
        return 2;
    return 0;
}

static void add_indented(strbuf *out, const char *text, size_t len)
{
    size_t b = 0;
    while (b < len) {
        const char *nl = memchr(text + b, '\n', len - b);
        size_t e = nl ? (size_t)(nl - text) : len;
        sb_adds(out, "    | ");
        sb_add(out, text + b, e - b);
        sb_addc(out, '\n');
        b = e + 1;
    }
}

static void container_logs(kube_api *api, arena *a, const cval *pod, const char *ns, long log_lines, strbuf *out)
{
    const char *pname = cv_str(cv_get(cv_get(pod, "metadata"), "name"));
    static const char *const lists[] = {"initContainerStatuses", "containerStatuses"};
    for (size_t l = 0; pname && l < 2; l++) {
        const cval *css = cv_get(cv_get(pod, "status"), lists[l]);
        for (size_t i = 0; i < len_of(css); i++) {
            const cval *cs = cv_list_get(css, i);
            const char *cname = cv_str(cv_get(cs, "name"));
            int which = failing_container(cs);
            if (!cname || !which)
                continue;
            char *text;
            size_t len;
            cap_err e = CAP_ERR_INIT;
            sb_addf(out, "  logs of pod %s, container %s (%s, last %ld lines):\n", pname, cname,
                    which == 2 ? "previous run" : "current run", log_lines);
            if (kube_api_pod_log(api, a, ns, pname, cname, log_lines, which == 2, &text, &len, &e) < 0) {
                sb_addf(out, "    (not available: %s)\n", e.msg ? e.msg : "?");
                cap_err_clear(&e);
                continue;
            }
            if (len == 0)
                sb_adds(out, "    (empty)\n");
            else
                add_indented(out, text, text[len - 1] == '\n' ? len - 1 : len);
        }
    }
}

/* The pods' states in one line each: phase and each container's waiting/terminated reason. */
static void pod_states(const cval *pods, strbuf *out)
{
    for (size_t i = 0; i < len_of(pods) && i < MAX_PODS; i++) {
        const cval *p = cv_list_get(pods, i), *st = cv_get(p, "status");
        sb_addf(out, "  pod %s: %s", or_empty(cv_str(cv_get(cv_get(p, "metadata"), "name"))),
                or_empty(cv_str(cv_get(st, "phase"))));
        const cval *css = cv_get(st, "containerStatuses");
        for (size_t k = 0; k < len_of(css); k++) {
            const cval *cs = cv_list_get(css, k), *s = cv_get(cs, "state");
            const cval *w = cv_get(s, "waiting"), *t = cv_get(s, "terminated");
            const char *why = w ? cv_str(cv_get(w, "reason")) : t ? cv_str(cv_get(t, "reason")) : NULL;
            long restarts = num(cv_get(cs, "restartCount"));
            if (why || restarts)
                sb_addf(out, ", %s %s", or_empty(cv_str(cv_get(cs, "name"))), why ? why : "running");
            if (restarts)
                sb_addf(out, " (restarts %ld)", restarts);
        }
        sb_addc(out, '\n');
    }
}

void diagnose_object(kube_api *api, arena *a, const char *api_version, const char *kind, const char *ns,
                     const char *name, const char *why, long log_lines, strbuf *out)
{
    sb_addf(out, "%s/%s", kind, name);
    if (ns && *ns)
        sb_addf(out, " (namespace %s)", ns);
    sb_addf(out, ": %s\n", why && *why ? why : "not ready");
    cap_err e = CAP_ERR_INIT;
    cval *obj = NULL;
    if (kube_api_get(api, a, api_version, kind, ns, name, &obj, &e) < 0) {
        sb_addf(out, "  could not be read: %s\n", e.msg ? e.msg : "?");
        cap_err_clear(&e);
        return;
    }
    if (!obj) {
        sb_adds(out, "  not found on the cluster\n");
        return;
    }
    conditions(obj, out);
    cval *pods = NULL;
    const char *sel = strcmp(kind, "Pod") == 0 ? NULL : pod_selector(a, kind, obj);
    if (strcmp(kind, "Pod") == 0) {
        pods = cv_list_new(a, 1);
        cv_list_push(pods, obj);
    } else if (sel && kube_api_list(api, a, "v1", "Pod", ns, sel, &pods, &e) < 0) {
        sb_addf(out, "  pods could not be listed: %s\n", e.msg ? e.msg : "?");
        cap_err_clear(&e);
        pods = NULL;
    }
    if (strcmp(kind, "Pod") != 0)
        pod_states(pods, out);
    warning_events(api, a, kind, name, ns, pods, out);
    for (size_t i = 0; log_lines > 0 && i < len_of(pods) && i < MAX_PODS; i++)
        container_logs(api, a, cv_list_get(pods, i), ns, log_lines, out);
}
