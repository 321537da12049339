/* release_store.c — see release_store.h. */
#include "installer/release/release_store.h"
#include "installer/release/release_labels.h"
#include "core/value.h"
#include "installer/release/release_codec.h"
#include "core/fsutil.h"
#include "core/yaml.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>


static long num(const cval *v)
{
    if (!v)
        return 0;
    /* JSON numbers arrive as float64: only whole ones within +-2^53 are numbers here */
    if (v->kind == CV_FLOAT)
        return v->u.f >= -9007199254740992.0 && v->u.f <= 9007199254740992.0 ? (long)v->u.f : 0;
    if (v->kind == CV_INT)
        return (long)v->u.i;
    if (v->kind == CV_STRING)
        return strtol(v->u.str.s, NULL, 10);
    return 0;
}

char *release_time(arena *a, long sec, long nsec)
{
    time_t t = (time_t)sec;
    struct tm tm;
    gmtime_r(&t, &tm);
    char base[32], frac[24] = "";
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    if (nsec > 0) {
        snprintf(frac, sizeof frac, ".%09ld", nsec);
        size_t l = strlen(frac);
        while (l > 1 && frac[l - 1] == '0')
            frac[--l] = '\0';
    }
    return arena_printf(a, "%s%sZ", base, frac);
}

static int cmp_rec(const void *x, const void *y)
{
    const release_rec *a = x, *b = y;
    return (a->version > b->version) - (a->version < b->version);
}

int release_driver(cap_err *err)
{
    const char *d = getenv("HELM_DRIVER");
    if (!d || !*d || strcmp(d, "secret") == 0 || strcmp(d, "secrets") == 0)
        return RELEASE_DRIVER_SECRET;
    if (strcmp(d, "configmap") == 0 || strcmp(d, "configmaps") == 0)
        return RELEASE_DRIVER_CONFIGMAP;
    if (strcmp(d, "memory") == 0)
        return RELEASE_DRIVER_MEMORY;
    if (strcmp(d, "sql") == 0)
        return cap_err_set(err, "HELM_DRIVER=sql: capstan keeps releases in Secrets, ConfigMaps or memory only");
    return cap_err_set(err, "unknown driver \"%s\"", d);
}

const char *release_driver_kind(int driver)
{
    return driver == RELEASE_DRIVER_CONFIGMAP ? "ConfigMap" : driver == RELEASE_DRIVER_MEMORY ? NULL : "Secret";
}

/* HELM_MEMORY_DRIVER_DATA: the files (':'-separated) of YAML release lists
 * helm's memory driver starts with, as ConfigMap records. */
static int memory_objects(arena *a, const char *ns, const char *name, cval **items, cap_err *err)
{
    const char *env = getenv("HELM_MEMORY_DRIVER_DATA");
    char *paths = arena_strdup(a, env ? env : "");
    *items = cv_list_new(a, 0);
    for (char *save = NULL, *p = strtok_r(paths, ":", &save); p || !*paths; p = strtok_r(NULL, ":", &save)) {
        strbuf text = STRBUF_INIT;
        cval *list;
        cap_err e = CAP_ERR_INIT;
        if (!p || fsu_read_file(p, &text, &e) < 0) { /* helm: log.Fatal("Unable to read memory driver data", err) */
            cap_err_clear(&e);
            sb_release(&text);
            return cap_err_set(err, "Unable to read memory driver data: open %s: no such file or directory", p ? p : "");
        }
        int rc = yaml_parse(a, sb_str(&text), text.len, p, &list, err);
        sb_release(&text);
        if (rc < 0)
            return -1;
        for (size_t i = 0; list && list->kind == CV_LIST && i < cv_list_len(list); i++) {
            cval *rel = cv_list_get(list, i), *obj;
            const char *rns = cv_str(cv_get(rel, "namespace")), *rname = cv_str(cv_get(rel, "name"));
            if ((ns && (!rns || strcmp(rns, ns) != 0)) || (name && (!rname || strcmp(rname, name) != 0)))
                continue;
            if (release_object(a, rel, 0, true, &obj, err) < 0)
                return -1;
            cv_list_push(*items, obj);
        }
    }
    return 0;
}

int release_list_objects(kube_api *api, arena *a, int driver, const char *ns, const char *name, cval **items,
                         cap_err *err)
{
    if (driver == RELEASE_DRIVER_MEMORY)
        return memory_objects(a, ns, name, items, err);
    const char *sel = name ? arena_printf(a, "owner=helm,name=%s", name) : "owner=helm";
    return kube_api_list(api, a, "v1", release_driver_kind(driver), ns, sel, items, err);
}

int release_from_secret_rec(arena *a, const cval *secret, release_rec *out, cap_err *err)
{
    cval *rel;
    if (release_from_secret(a, secret, &rel, err) < 0)
        return -1;
    cval *custom = release_labels_custom(a, cv_get(cv_get(secret, "metadata"), "labels"));
    if (custom) /* release_labels.h: carried with the record, written back by release_object */
        cv_map_set(rel, "labels", custom);
    out->rel = rel;
    out->secret = (cval *)secret;
    out->version = num(cv_get(rel, "version"));
    out->status = cv_str(cv_get(cv_get(rel, "info"), "status"));
    return 0;
}

int release_history(kube_api *api, arena *a, const char *ns, const char *name, release_rec **out, size_t *n,
                    cap_err *err)
{
    cval *items;
    int d = release_driver(err);
    *out = arena_zalloc(a, sizeof **out);
    *n = 0;
    if (d < 0)
        return -1;
    if (release_list_objects(api, a, d, ns, name, &items, err) < 0)
        return -1;
    size_t cnt = cv_list_len(items);
    release_rec *recs = arena_zalloc(a, (cnt ? cnt : 1) * sizeof *recs);
    size_t k = 0;
    for (size_t i = 0; i < cnt; i++) {
        cval *s = cv_list_get(items, i);
        const char *type = cv_str(cv_get(s, "type"));
        if (type && strcmp(type, "helm.sh/release.v1") != 0)
            continue;
        if (release_from_secret_rec(a, s, &recs[k], err) < 0)
            return -1;
        k++;
    }
    qsort(recs, k, sizeof *recs, cmp_rec);
    *out = recs;
    *n = k;
    return 0;
}

static cval *secret_for(arena *a, const cval *rel, const char *holder, long now, int driver, cap_err *err)
{
    cval *s;
    if (release_object(a, rel, now, driver == RELEASE_DRIVER_CONFIGMAP, &s, err) < 0)
        return NULL;
    if (holder) {
        cval *ann = cv_map_new(a);
        cv_map_set(ann, "capstan.dev/lease-holder", cv_cstring(a, holder));
        cv_map_set(ann, "capstan.dev/lease-renew-time", cv_cstring(a, arena_printf(a, "%ld", now)));
        cv_map_set(ann, "capstan.dev/lease-duration", cv_cstring(a, arena_printf(a, "%d", RELEASE_LEASE_SECONDS)));
        cv_map_set(cv_map_get(s, "metadata"), "annotations", ann);
    }
    return s;
}

int release_create(kube_api *api, arena *a, const cval *rel, const char *holder, long now, cap_err *err)
{
    int d = release_driver(err);
    if (d == RELEASE_DRIVER_MEMORY)
        return 0;
    cval *s = d < 0 ? NULL : secret_for(a, rel, holder, now, d, err);
    if (!s)
        return -1;
    bool conflict;
    if (kube_api_create(api, a, s, cv_str(cv_get(rel, "namespace")), &conflict, NULL, err) < 0)
        return -1;
    if (conflict)
        return cap_err_coded(err, CAPSTAN_ECONFLICT, "another operation (install/upgrade/rollback) is in progress");
    return 0;
}

int release_update(kube_api *api, arena *a, const cval *rel, const char *holder, long now, cap_err *err)
{
    int d = release_driver(err);
    if (d == RELEASE_DRIVER_MEMORY)
        return 0;
    cval *s = d < 0 ? NULL : secret_for(a, rel, holder, now, d, err);
    if (!s)
        return -1;
    /* helm's own labels stay; modifiedAt marks the change, as helm's Update does */
    cval *labels = cv_get(cv_get(s, "metadata"), "labels");
    cv_map_delete(labels, "createdAt"); /* helm's Update writes the labels anew: no createdAt */
    cv_map_set(labels, "modifiedAt", cv_cstring(a, arena_printf(a, "%ld", now)));
    bool conflict;
    if (kube_api_replace(api, a, s, cv_str(cv_get(rel, "namespace")), &conflict, NULL, err) < 0)
        return -1;
    if (conflict)
        return cap_err_coded(err, CAPSTAN_ECONFLICT, "release record changed by another operation");
    return 0;
}

int release_delete(kube_api *api, const char *ns, const char *name, long version, cap_err *err)
{
    int d = release_driver(err);
    if (d == RELEASE_DRIVER_MEMORY || d < 0)
        return d < 0 ? -1 : 0;
    arena *a = arena_new();
    bool existed;
    int rc = kube_api_delete(api, "v1", release_driver_kind(d), ns, release_secret_name(a, name, version), NULL,
                             &existed, err);
    arena_free(a);
    return rc;
}

/* A holder "capstan@HOST:PID" on this host whose process is gone holds nothing. */
static bool holder_dead(const char *holder)
{
    const char *at = strchr(holder, '@'), *colon = strrchr(holder, ':');
    if (!at || !colon || colon < at)
        return false;
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    if (strlen(host) != (size_t)(colon - at - 1) || strncmp(at + 1, host, (size_t)(colon - at - 1)) != 0)
        return false;
    long pid = strtol(colon + 1, NULL, 10);
    return pid > 0 && kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

/* Seconds since an RFC 3339 time, or -1 when it cannot be read. */
static long age_of(const char *t, long now)
{
    if (!t)
        return -1;
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!strptime(t, "%Y-%m-%dT%H:%M:%S", &tm))
        return -1;
    return now - (long)timegm(&tm);
}

int release_recover(kube_api *api, arena *a, const char *ns, const char *name, long now, FILE *log,
                    cap_err *err)
{
    release_rec *recs;
    size_t n;
    if (release_history(api, a, ns, name, &recs, &n, err) < 0)
        return -1;
    if (n == 0)
        return 0;
    release_rec *last = &recs[n - 1];
    if (!last->status || strncmp(last->status, "pending-", 8) != 0)
        return 0;
    cval *ann = cv_get(cv_get(last->secret, "metadata"), "annotations");
    const char *holder = cv_str(cv_get(ann, "capstan.dev/lease-holder"));
    bool expired;
    const char *why;
    if (holder) {
        long renewed = num(cv_get(ann, "capstan.dev/lease-renew-time"));
        long duration = num(cv_get(ann, "capstan.dev/lease-duration"));
        expired = now > renewed + (duration > 0 ? duration : RELEASE_LEASE_SECONDS);
        why = arena_printf(a, "its lease (held by %s) expired %lds ago", holder,
                           now - renewed - (duration > 0 ? duration : RELEASE_LEASE_SECONDS));
        if (!expired && holder_dead(holder)) {
            expired = true;
            why = arena_printf(a, "its lease holder %s is no longer running", holder);
        }
    } else {
        long age = age_of(cv_str(cv_get(cv_get(last->rel, "info"), "last_deployed")), now);
        expired = age > RELEASE_STALE_SECONDS;
        why = arena_printf(a, "it has had no lease and been pending for %lds", age);
    }
    if (!expired)
        return cap_err_coded(err, CAPSTAN_ECONFLICT, "another operation (install/upgrade/rollback) is in progress");
    cval *rel = cv_deep_copy(a, last->rel);
    cval *info = cv_get(rel, "info");
    const char *old = last->status;
    cv_map_set(info, "status", cv_cstring(a, "failed"));
    cv_map_set(info, "description", cv_cstring(a, arena_printf(a, "Interrupted %s: recovered by capstan", old + 8)));
    if (release_update(api, a, rel, NULL, now, err) < 0)
        return -1;
    if (log)
        fprintf(log, "recovered release %s revision %ld: it was %s, and %s; marked failed\n", name, last->version,
                old, why);
    return 0;
}

int release_prune(kube_api *api, arena *a, const char *ns, const char *name, int history_max, cap_err *err)
{
    int maximum = history_max - 1; /* room for the revision about to be written */
    if (history_max <= 0)
        return 0;
    release_rec *recs;
    size_t n;
    if (release_history(api, a, ns, name, &recs, &n, err) < 0)
        return -1;
    if (n <= (size_t)maximum)
        return 0;
    long deployed = -1; /* the newest deployed revision is kept (storage.Deployed) */
    for (size_t i = 0; i < n; i++)
        if (recs[i].status && strcmp(recs[i].status, "deployed") == 0)
            deployed = recs[i].version;
    size_t ndel = 0;
    int rc = 0;
    for (size_t i = 0; i < n && n - ndel > (size_t)maximum; i++) {
        if (recs[i].version == deployed)
            continue;
        ndel++;
        cap_err e = CAP_ERR_INIT;
        if (release_delete(api, ns, name, recs[i].version, &e) < 0 && rc == 0) {
            cap_err_move(err, &e);
            rc = -1;
        }
        cap_err_clear(&e);
    }
    return rc;
}
