/* install.c — install, upgrade, rollback and uninstall (the public API in
 * capstan.h), built from the pieces: render, plan, deploy, wait, hooks,
 * journal, release records.
 *
 * Every operation takes the release's lock first: it recovers a revision left
 * pending by an interrupted operation whose lease expired, then writes its own
 * revision as pending under a lease that it renews while it runs. It ends with
 * the revision deployed, or failed; with --rollback-on-failure a failure is
 * undone from the journal: an install removes exactly what it created, an
 * upgrade restores the previous revision (changed objects back to their old
 * state, created ones deleted, deleted ones recreated) and records the
 * rollback as Helm does ("Rollback to N").
 */
#include "capstan.h"
#include "core/value.h"
#include "core/opts.h"
#include "installer/net/bundle_push.h"
#include "installer/kube/cluster.h"
#include "installer/release/deploy.h"
#include "installer/release/cluster_render.h"
#include "installer/release/hooks.h"
#include "installer/release/journal.h"
#include "installer/release/progress.h"
#include "installer/kube/kube_api.h"
#include "installer/release/release_build.h"
#include "installer/release/release_labels.h"
#include "installer/release/release_store.h"
#include "core/strbuf.h"
#include "installer/release/wait.h"
#include "core/xalloc.h"
#include "core/yaml.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FIELD_MANAGER "capstan"


/* One operation on one cluster. */
typedef struct session {
    cluster c;
    arena *a;               /* = c.a */
    kube_api *api;          /* = c.api */
    const char *ns;         /* = c.ns */
    const char *holder;     /* this process, as a lease holder */
    FILE *log;
    progress pr;            /* the caller's progress callback, if any */
    /* the revision being written, for lease renewal */
    cval *pending;
    long last_renew;
} session;

static long now_s(void) { return (long)time(NULL); }

static char *now_str(arena *a)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return release_time(a, ts.tv_sec, ts.tv_nsec);
}

static int session_open(session *s, const capstan_kube_opts *k, FILE *log, cap_err *err)
{
    memset(s, 0, sizeof *s);
    s->log = log;
    int rc = cluster_open(&s->c, k, err);
    s->a = s->c.a;
    if (rc < 0)
        return -1;
    s->api = s->c.api;
    s->ns = s->c.ns;
    char host[256] = "localhost";
    gethostname(host, sizeof host - 1);
    s->holder = arena_printf(s->a, "capstan@%s:%ld", host, (long)getpid());
    return 0;
}

static void session_close(session *s)
{
    cluster_close(&s->c);
}

/* Called between waves and hooks: keep the lease alive. */
static void renew(void *ctx)
{
    session *s = ctx;
    if (!s->pending || now_s() - s->last_renew < RELEASE_LEASE_SECONDS / 4)
        return;
    cap_err e = CAP_ERR_INIT;
    if (release_update(s->api, s->a, s->pending, s->holder, now_s(), &e) == 0)
        s->last_renew = now_s();
    else if (s->log)
        fprintf(s->log, "warning: could not renew the release lease: %s\n", e.msg);
    cap_err_clear(&e);
}

static void set_status(arena *a, cval *rel, const char *status, const char *description)
{
    cval *info = cv_get(rel, "info");
    cv_map_set(info, "status", cv_cstring(a, status));
    if (description)
        cv_map_set(info, "description", cv_cstring(a, description));
}


static int stored_objects(arena *a, const cval *rel, deploy_obj **out, size_t *n, cap_err *err)
{
    const char **srcs;
    cval **objs;
    size_t k;
    if (release_manifest_objects(a, cv_str(cv_get(rel, "manifest")), &srcs, &objs, &k, err) < 0)
        return -1;
    deploy_obj *o = arena_zalloc(a, (k + 1) * sizeof *o);
    for (size_t i = 0; i < k; i++)
        o[i] = (deploy_obj){srcs[i], objs[i]};
    *out = o;
    *n = k;
    return 0;
}

/* CRDs from crds/: created when missing, never changed (as Helm), then Established. */
static int install_crds(session *s, const capstan_release *r, const capstan_install_opts *o, cap_err *err)
{
    if (r->n_crds == 0)
        return 0;
    wait_target *t = arena_zalloc(s->a, r->n_crds * sizeof *t);
    size_t nt = 0;
    for (size_t i = 0; i < r->n_crds; i++) {
        cval *obj;
        if (yaml_parse(s->a, r->crds[i].content, r->crds[i].len, r->crds[i].source, &obj, err) < 0)
            return -1;
        if (obj->kind != CV_MAP)
            continue;
        bool exists;
        if (kube_api_create(s->api, s->a, obj, NULL, &exists, NULL, err) < 0) {
            cap_err_prefix(err, "%s", r->crds[i].source);
            return -1;
        }
        const char *name = cv_str(cv_get(cv_get(obj, "metadata"), "name"));
        if (s->log)
            fprintf(s->log, "crd %s: %s\n", name, exists ? "exists (left as it is)" : "created");
        t[nt++] = (wait_target){cv_str(cv_get(obj, "apiVersion")), "CustomResourceDefinition", NULL, name};
    }
    wait_opts wo = {.timeout_ms = o->timeout_ms, .log = s->log, .label = "crds", .progress = &s->pr};
    return wait_ready(s->api, t, nt, &wo, err);
}

static int ensure_namespace(session *s, cap_err *err)
{
    cval *ns;
    if (kube_api_get(s->api, s->a, "v1", "Namespace", NULL, s->ns, &ns, err) < 0)
        return -1;
    if (ns)
        return 0;
    cval *obj = cv_map_new(s->a), *meta = cv_map_new(s->a);
    cv_map_set(obj, "apiVersion", cv_cstring(s->a, "v1"));
    cv_map_set(obj, "kind", cv_cstring(s->a, "Namespace"));
    cv_map_set(meta, "name", cv_cstring(s->a, s->ns));
    cv_map_set(obj, "metadata", meta);
    bool exists;
    if (kube_api_create(s->api, s->a, obj, NULL, &exists, NULL, err) < 0)
        return -1;
    if (s->log && !exists)
        fprintf(s->log, "created namespace %s\n", s->ns);
    return 0;
}

static const release_rec *latest_with(const release_rec *recs, size_t n, const char *status)
{
    for (size_t i = n; i-- > 0;)
        if (recs[i].status && strcmp(recs[i].status, status) == 0)
            return &recs[i];
    return NULL;
}

/* Mark every other deployed revision superseded, as Helm does. */
static int supersede(session *s, const release_rec *recs, size_t n, long except, cap_err *err)
{
    for (size_t i = 0; i < n; i++) {
        if (recs[i].version == except || !recs[i].status || strcmp(recs[i].status, "deployed") != 0)
            continue;
        cval *rel = cv_deep_copy(s->a, recs[i].rel);
        set_status(s->a, rel, "superseded", NULL);
        if (release_update(s->api, s->a, rel, NULL, now_s(), err) < 0)
            return -1;
    }
    return 0;
}

typedef enum { OP_INSTALL, OP_UPGRADE, OP_ROLLBACK } op_kind;

static const char *op_word(op_kind k)
{
    return k == OP_INSTALL ? "install" : k == OP_UPGRADE ? "upgrade" : "rollback";
}

/* The body shared by install, upgrade and rollback: `target` is the release
 * record to deploy (rendered for install/upgrade; a stored one for rollback). */
static int deploy_revision(session *s, op_kind kind, const char *name, cval *rec, const capstan_release *rendered,
                           hook *hooks, size_t nhooks, const release_rec *recs, size_t nrecs,
                           const capstan_install_opts *o, cap_err *err)
{
    long version = (long)cv_get(rec, "version")->u.i;
    const release_rec *prev = latest_with(recs, nrecs, "deployed");
    deploy_obj *objs, *prev_objs = NULL;
    size_t n, nprev = 0;
    if (rendered ? deploy_objects_of(s->a, rendered, &objs, &n, err) < 0 : stored_objects(s->a, rec, &objs, &n, err) < 0)
        return -1;
    if (prev && stored_objects(s->a, prev->rel, &prev_objs, &nprev, err) < 0)
        return -1;
    deploy_opts dopt = {.release = name, .namespace = s->ns, .field_manager = FIELD_MANAGER, .wait = o->wait,
                        .timeout_ms = o->timeout_ms, .force_conflicts = o->force_conflicts, .dry_run = o->dry_run,
                        .log = s->log, .live = o->live, .cancel = (volatile sig_atomic_t *)o->cancel,
                        .between_waves = renew, .ctx = s, .fail_grace_ms = o->fail_grace_ms,
                        .wait_for_lb = o->wait_for_load_balancer, .wait_for_jobs = o->wait_for_jobs,
                        .progress = &s->pr, .take_ownership = o->take_ownership};
    if (o->dry_run)
        return deploy_apply(s->api, s->a, objs, n, prev_objs, nprev, &dopt, journal_new(s->a), err);

    /* helm checks who owns what exists before it writes anything */
    size_t adopted = 0;
    if (kind != OP_ROLLBACK &&
        deploy_preflight(s->api, s->a, objs, n, prev_objs, nprev, &dopt, kind == OP_INSTALL ? "install" : "update",
                         &adopted, err) < 0)
        return -1;
    if (kind == OP_INSTALL && o->replace && nrecs && strcmp(recs[nrecs - 1].status ? recs[nrecs - 1].status : "",
                                                           "failed") != 0) {
        /* helm's replaceRelease: the last record (not a failed one) is superseded */
        set_status(s->a, recs[nrecs - 1].rel, "superseded", "superseded by new release");
        if (release_update(s->api, s->a, recs[nrecs - 1].rel, NULL, now_s(), err) < 0)
            return -1;
    }
    /* helm's upgrade and rollback keep --history-max records (install prunes nothing) */
    int history_max = o->history_max == 0 ? 10 : o->history_max;
    if (kind != OP_INSTALL && release_prune(s->api, s->a, s->ns, name, history_max, err) < 0)
        return -1;
    if (release_create(s->api, s->a, rec, s->holder, now_s(), err) < 0)
        return -1;
    s->pending = rec;
    s->last_renew = now_s();
    if (s->log)
        fprintf(s->log, "release %s revision %ld: %s\n", name, version, cv_str(cv_get(cv_get(rec, "info"), "status")));

    journal *j = journal_new(s->a);
    hook_opts ho = {.release = name, .namespace = s->ns, .field_manager = FIELD_MANAGER, .timeout_ms = o->timeout_ms,
                    .log = s->log, .cancel = (volatile sig_atomic_t *)o->cancel, .tick = renew, .tick_ctx = s,
                    .fail_grace_ms = o->fail_grace_ms, .progress = &s->pr};
    const char *word = op_word(kind);
    char pre[32], post[32];
    snprintf(pre, sizeof pre, "pre-%s", word);
    snprintf(post, sizeof post, "post-%s", word);
    /* CRDs from crds/ first, before the pre hooks (which may make objects of them), as Helm */
    int rc = rendered && !o->skip_crds ? install_crds(s, rendered, o, err) : 0;
    if (rc == 0 && !o->no_hooks)
        rc = hooks_run(s->api, s->a, hooks, nhooks, pre, &ho, err);
    /* helm 4 updates (an upgrade, a rollback, an install that adopts objects) under server-side apply */
    if (rc == 0 && (kind != OP_INSTALL || adopted) && o->force_replace)
        rc = cap_err_set(err, "invalid operation: cannot use server-side apply and force replace together");
    if (rc == 0)
        rc = deploy_apply(s->api, s->a, objs, n, prev_objs, nprev, &dopt, j, err);
    bool update_failed = rc != 0; /* the objects' update (or an earlier step) failed, not the post hooks */
    if (rc == 0 && !o->no_hooks)
        rc = hooks_run(s->api, s->a, hooks, nhooks, post, &ho, err);
    s->pending = NULL;

    if (rc == 0) {
        const char *desc = o->description ? o->description
                           : kind == OP_INSTALL ? "Install complete"
                           : kind == OP_UPGRADE ? "Upgrade complete"
                           : cv_str(cv_get(cv_get(rec, "info"), "description"));
        set_status(s->a, rec, "deployed", desc);
        cap_err e2 = CAP_ERR_INIT;
        if (release_update(s->api, s->a, rec, NULL, now_s(), &e2) < 0 ||
            supersede(s, recs, nrecs, version, &e2) < 0) {
            cap_err_move(err, &e2);
            return -1;
        }
        if (s->log)
            fprintf(s->log, "release %s revision %ld: deployed\n", name, version);
        return 0;
    }

    /* failed: record it, and undo when asked */
    char *why = arena_strdup(s->a, err->msg ? err->msg : "failed");
    const char *fdesc = kind == OP_INSTALL ? arena_printf(s->a, "Release \"%s\" failed: %s", name, why)
                        : kind == OP_UPGRADE ? arena_printf(s->a, "Upgrade \"%s\" failed: %s", name, why)
                                             : arena_printf(s->a, "Rollback \"%s\" failed: %s", name, why);
    set_status(s->a, rec, "failed", fdesc);
    cap_err e2 = CAP_ERR_INIT;
    if (release_update(s->api, s->a, rec, NULL, now_s(), &e2) < 0 && s->log)
        fprintf(s->log, "warning: could not record the failure: %s\n", e2.msg);
    cap_err_clear(&e2);
    if (kind == OP_ROLLBACK && update_failed && nrecs) {
        /* helm's rollback: a failed update supersedes the current record too */
        set_status(s->a, recs[nrecs - 1].rel, "superseded", NULL);
        if (release_update(s->api, s->a, recs[nrecs - 1].rel, NULL, now_s(), &e2) < 0 && s->log)
            fprintf(s->log, "warning: could not record the failure: %s\n", e2.msg);
        cap_err_clear(&e2);
        size_t created = 0;
        for (size_t i = 0; i < j->n; i++)
            created += j->e[i].op == J_CREATED;
        if (o->cleanup_on_fail && created == 0) { /* helm deletes an empty list, and says so */
            cap_err_clear(err);
            cap_err_set(err, "an error occurred while cleaning up resources. original rollback error: unable to "
                             "cleanup resources: object not found, skipping delete: no objects visited");
            return -1;
        }
    }
    if (!o->rollback_on_failure && o->cleanup_on_fail && kind != OP_INSTALL &&
        journal_undo_created(s->api, j, s->log, &e2) < 0) { /* helm's --cleanup-on-fail: what this one created goes */
        cap_err_set(err, "%s failed: %s; and the cleanup failed too: %s", word, why, e2.msg);
        cap_err_clear(&e2);
        return -1;
    }
    if (!o->rollback_on_failure)
        return -1;

    if (s->log)
        fprintf(s->log, "%s failed: %s\nrolling back %zu change(s)\n", word, why, j->n);
    if (journal_undo(s->api, j, FIELD_MANAGER, s->log, &e2) < 0) {
        cap_err_set(err, "%s failed: %s; and the rollback failed too: %s", word, why, e2.msg);
        cap_err_clear(&e2);
        return -1;
    }
    if (kind == OP_INSTALL) {
        /* as helm's atomic install: the release goes away */
        for (size_t i = 0; i <= nrecs; i++) {
            long v = i < nrecs ? recs[i].version : version;
            cap_err ignore = CAP_ERR_INIT;
            release_delete(s->api, s->ns, name, v, &ignore);
            cap_err_clear(&ignore);
        }
        cap_err_set(err, "release %s failed, and has been uninstalled due to rollback-on-failure being set: %s",
                    name, why);
        return -1;
    }
    if (prev) {
        /* as helm's atomic upgrade: a new revision restores the previous one */
        cval *back = cv_deep_copy(s->a, prev->rel);
        cv_map_set(back, "version", cv_int(s->a, version + 1));
        cval *info = cv_get(back, "info");
        cv_map_set(info, "last_deployed", cv_cstring(s->a, now_str(s->a)));
        set_status(s->a, back, "deployed", arena_printf(s->a, "Rollback to %ld", prev->version));
        cval *old = cv_deep_copy(s->a, prev->rel);
        set_status(s->a, old, "superseded", NULL);
        if (release_create(s->api, s->a, back, NULL, now_s(), &e2) < 0 ||
            release_update(s->api, s->a, old, NULL, now_s(), &e2) < 0) {
            cap_err_set(err, "%s failed: %s; the objects were restored but recording the rollback failed: %s", word,
                        why, e2.msg);
            cap_err_clear(&e2);
            return -1;
        }
    }
    cap_err_set(err, "%s failed and was rolled back to revision %ld: %s", word, prev ? prev->version : 0, why);
    return -1;
}

static int render_for(session *s, const char *name, const char *chart, const capstan_install_opts *o, long revision,
                      const release_rec *current, capstan_release **out, cap_err *err)
{
    capstan_render_opts ro = o->render;
    ro.release_name = name;
    ro.namespace_ = s->ns;
    ro.is_upgrade = current != NULL;
    ro.revision = (int)revision;
    capstan_error e = {0};
    render_cluster cl, *clp = NULL;
    memset(&cl, 0, sizeof cl);
    if (!o->dry_run) { /* helm renders against the cluster, except for a client-side dry run */
        if (cluster_render_prepare(s->api, s->a, &cl, err) < 0)
            return -1;
        clp = &cl;
    }
    if (current) { /* an upgrade: the deployed release's values, as helm's reuseValues takes them */
        cluster_render_prev_values(&cl, s->a, current->rel, o);
        clp = &cl;
    }
    if (render_for_cluster(chart, &ro, clp, out, &e) < 0) {
        cap_err_at(err, e.file, e.line, e.col, "%s", e.msg ? e.msg : "render failed");
        capstan_error_clear(&e);
        return -1;
    }
    return 0;
}

static int prepare_hooks(session *s, const capstan_release *r, hook **hooks, size_t *nhooks, cval **records,
                         cap_err *err)
{
    const char **srcs = arena_zalloc(s->a, (r->n_hooks + 1) * sizeof *srcs);
    const char **docs = arena_zalloc(s->a, (r->n_hooks + 1) * sizeof *docs);
    size_t *lens = arena_zalloc(s->a, (r->n_hooks + 1) * sizeof *lens);
    for (size_t i = 0; i < r->n_hooks; i++) {
        srcs[i] = r->hooks[i].source;
        docs[i] = r->hooks[i].content;
        lens[i] = r->hooks[i].len;
    }
    return hooks_parse(s->a, srcs, docs, lens, r->n_hooks, hooks, nhooks, records, err);
}

/* helm's release name rule: a DNS-1123 subdomain of at most 53 characters. */
static bool release_name_ok(const char *n)
{
    size_t len = strlen(n);
    if (len == 0 || len > 53)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = n[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (alnum)
            continue;
        if (c != '-' && c != '.')
            return false;
        /* a label starts and ends with an alphanumeric: no '.' or '-' at an edge or beside a '.' */
        if (i == 0 || i == len - 1 || n[i + 1] == '.' || (c == '.' && n[i - 1] == '-'))
            return false;
    }
    return true;
}

static int do_install_or_upgrade(op_kind kind, const char *name, const char *chart, const capstan_install_opts *o,
                                 int *revision, char **notes, capstan_error *perr)
{
    cap_err err = CAP_ERR_INIT;
    session s;
    capstan_release *r = NULL;
    int rc = -1;
    if (!release_name_ok(name)) {
        cap_err_coded(&err, CAPSTAN_EUSAGE, "release name check failed: release name \"%s\": invalid release name, must match regex "
                          "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must "
                          "not be longer than 53", name);
        return cap_err_publish(perr, &err, CAPSTAN_EUSAGE);
    }
    if (!o->dry_run && o->hide_secret) {
        cap_err_coded(&err, CAPSTAN_EUSAGE, "hiding Kubernetes secrets requires a dry-run mode");
        return cap_err_publish(perr, &err, CAPSTAN_EUSAGE);
    }
    if (session_open(&s, &o->kube, o->log, &err) < 0)
        goto done;
    s.pr = progress_start(o->progress, o->progress_ctx, o->log_lines);
    if (!o->dry_run && release_recover(s.api, s.a, s.ns, name, now_s(), s.log, &err) < 0)
        goto done;
    release_rec *recs;
    size_t nrecs;
    if (release_history(s.api, s.a, s.ns, name, &recs, &nrecs, &err) < 0)
        goto done;
    const release_rec *last = nrecs ? &recs[nrecs - 1] : NULL;
    if (kind == OP_UPGRADE && !latest_with(recs, nrecs, "deployed")) {
        /* as helm: nothing deployed to upgrade, unless --install */
        if (!o->install) {
            cap_err_coded(&err, CAPSTAN_ENOTFOUND, "\"%s\" has no deployed releases", name);
            goto done;
        }
        if (!last)
            kind = OP_INSTALL;
    }
    if (kind == OP_INSTALL && last && !o->dry_run) {
        /* helm's availableName: a name in the history only with --replace, over an uninstalled or failed one */
        const char *st = last->status ? last->status : "";
        if (!o->replace || (strcmp(st, "uninstalled") != 0 && strcmp(st, "failed") != 0)) {
            cap_err_coded(&err, CAPSTAN_ECONFLICT, "release name check failed: cannot reuse a name that is still in use");
            goto done;
        }
    }
    long version = last ? last->version + 1 : 1;
    if (o->create_namespace && !o->dry_run && ensure_namespace(&s, &err) < 0)
        goto done;
    if (render_for(&s, name, chart, o, version, kind == OP_UPGRADE ? latest_with(recs, nrecs, "deployed") : NULL, &r,
                   &err) < 0)
        goto done;
    if (release_labels_check(o, &err) < 0)
        goto done;
    hook *hooks;
    size_t nhooks;
    cval *hook_records;
    if (prepare_hooks(&s, r, &hooks, &nhooks, &hook_records, &err) < 0)
        goto done;
    const char *now = now_str(s.a);
    const char *first = last ? cv_str(cv_get(cv_get(recs[0].rel, "info"), "first_deployed")) : NULL;
    cval *rec = release_new_record(s.a, name, s.ns, version, kind == OP_INSTALL ? "pending-install" : "pending-upgrade",
                                   kind == OP_INSTALL ? "Initial install underway" : "Preparing upgrade", first, now, r,
                                   hook_records);
    /* helm: an upgrade merges the labels over the last revision's; an install (--replace too) takes its own */
    cval *labels = release_labels_merge(s.a, kind == OP_UPGRADE && last ? cv_get(last->rel, "labels") : NULL, o);
    if (labels)
        cv_map_set(rec, "labels", labels);
    if (deploy_revision(&s, kind, name, rec, r, hooks, nhooks, recs, nrecs, o, &err) < 0)
        goto done;
    if (revision)
        *revision = (int)version;
    if (notes)
        *notes = r->notes && *r->notes ? xstrdup(r->notes) : NULL;
    rc = 0;
done:
    capstan_release_free(r);
    if (s.a)
        session_close(&s);
    return rc < 0 ? cap_err_publish(perr, &err, CAPSTAN_ECLUSTER) : 0;
}

int capstan_install(const char *release, const char *chart_path, const capstan_install_opts *opts, int *revision,
                    char **notes, capstan_error *err)
{
    OPTS_IN(capstan_install_opts, opts, err);
    cap_err e = CAP_ERR_INIT;
    if (bundle_prepare_install(release, chart_path, opts, &e) != 0) /* a bundle: verified, images pushed */
        return cap_err_publish(err, &e, CAPSTAN_ECLUSTER);
    return do_install_or_upgrade(OP_INSTALL, release, chart_path, opts, revision, notes, err);
}

int capstan_upgrade(const char *release, const char *chart_path, const capstan_install_opts *opts, int *revision,
                    char **notes, capstan_error *err)
{
    OPTS_IN(capstan_install_opts, opts, err);
    cap_err e = CAP_ERR_INIT;
    if (bundle_prepare_install(release, chart_path, opts, &e) != 0)
        return cap_err_publish(err, &e, CAPSTAN_ECLUSTER);
    return do_install_or_upgrade(OP_UPGRADE, release, chart_path, opts, revision, notes, err);
}

/* The start of an operation on an existing release: the session, its
 * progress, a stale pending record recovered, and the release's history. */
static int session_begin(session *s, const capstan_kube_opts *k, FILE *log, capstan_progress_fn progress,
                         void *progress_ctx, long log_lines, const char *release, release_rec **recs, size_t *nrecs,
                         cap_err *err)
{
    if (session_open(s, k, log, err) < 0)
        return -1;
    s->pr = progress_start(progress, progress_ctx, log_lines);
    if (release_recover(s->api, s->a, s->ns, release, now_s(), s->log, err) < 0)
        return -1;
    return release_history(s->api, s->a, s->ns, release, recs, nrecs, err);
}

int capstan_rollback(const char *release, int to_revision, const capstan_install_opts *o, int *revision,
                     capstan_error *perr)
{
    OPTS_IN(capstan_install_opts, o, perr);
    cap_err err = CAP_ERR_INIT;
    session s;
    int rc = -1;
    release_rec *recs;
    size_t nrecs;
    if (session_begin(&s, &o->kube, o->log, o->progress, o->progress_ctx, o->log_lines, release, &recs, &nrecs,
                      &err) < 0)
        goto done;
    if (nrecs == 0) {
        cap_err_coded(&err, CAPSTAN_ENOTFOUND, "release: not found");
        goto done;
    }
    long current = recs[nrecs - 1].version;
    long target = to_revision > 0 ? to_revision : current - 1;
    const release_rec *t = NULL;
    for (size_t i = 0; i < nrecs; i++)
        if (recs[i].version == target)
            t = &recs[i];
    if (!t) {
        cap_err_set(&err, "release has no %ld version", target);
        goto done;
    }
    cval *rec = cv_deep_copy(s.a, t->rel);
    cv_map_set(rec, "version", cv_int(s.a, current + 1));
    cval *info = cv_get(rec, "info");
    cv_map_set(info, "last_deployed", cv_cstring(s.a, now_str(s.a)));
    set_status(s.a, rec, "pending-rollback", arena_printf(s.a, "Rollback to %ld", target));
    /* hooks of the target revision */
    hook *hooks;
    size_t nhooks;
    cval *records;
    if (hooks_from_release(s.a, rec, &hooks, &nhooks, &records, &err) < 0)
        goto done;
    if (nhooks)
        cv_map_set(rec, "hooks", records);
    capstan_install_opts ro = *o;
    if (!ro.description)
        ro.description = arena_printf(s.a, "Rollback to %ld", target);
    if (deploy_revision(&s, OP_ROLLBACK, release, rec, NULL, hooks, nhooks, recs, nrecs, &ro, &err) < 0)
        goto done;
    if (revision)
        *revision = (int)(current + 1);
    rc = 0;
done:
    if (s.a)
        session_close(&s);
    return rc < 0 ? cap_err_publish(perr, &err, CAPSTAN_ECLUSTER) : 0;
}

int capstan_uninstall(const char *release, const capstan_uninstall_opts *o, capstan_error *perr)
{
    OPTS_IN(capstan_uninstall_opts, o, perr);
    cap_err err = CAP_ERR_INIT;
    session s;
    int rc = -1;
    release_rec *recs;
    size_t nrecs;
    if (session_begin(&s, &o->kube, o->log, o->progress, o->progress_ctx, o->log_lines, release, &recs, &nrecs,
                      &err) < 0)
        goto done;
    if (nrecs > 0 && strcmp(recs[nrecs - 1].status ? recs[nrecs - 1].status : "", "uninstalled") == 0) {
        /* helm: uninstalling a release uninstalled with --keep-history purges its records */
        if (o->keep_history) {
            cap_err_coded(&err, CAPSTAN_ENOTFOUND, "the release named \"%s\" is already deleted", release);
            goto done;
        }
        for (size_t i = 0; i < nrecs; i++)
            if (release_delete(s.api, s.ns, release, recs[i].version, &err) < 0)
                goto done;
        rc = 0;
        goto done;
    }
    if (nrecs == 0) {
        if (o->ignore_not_found)
            rc = 0;
        else
            cap_err_coded(&err, CAPSTAN_ENOTFOUND, "uninstall: Release not loaded: %s: release: not found", release);
        goto done;
    }
    cval *rel = cv_deep_copy(s.a, recs[nrecs - 1].rel);
    deploy_obj *objs;
    size_t n;
    if (stored_objects(s.a, rel, &objs, &n, &err) < 0)
        goto done;
    deploy_opts dopt = {.release = release, .namespace = s.ns, .log = s.log, .dry_run = o->dry_run};
    if (o->cascade && strcmp(o->cascade, "foreground") == 0)
        dopt.propagation = "Foreground";
    else if (o->cascade && strcmp(o->cascade, "orphan") == 0)
        dopt.propagation = "Orphan";
    if (o->dry_run) {
        for (size_t i = 0; i < n; i++)
            if (s.log)
                fprintf(s.log, "would delete %s/%s\n", cv_str(cv_get(objs[i].obj, "kind")),
                        cv_str(cv_get(cv_get(objs[i].obj, "metadata"), "name")));
        rc = 0;
        goto done;
    }
    set_status(s.a, rel, "uninstalling", "Deletion in progress (or silently failed)");
    if (release_update(s.api, s.a, rel, s.holder, now_s(), &err) < 0)
        goto done;
    hook *hooks;
    size_t nhooks;
    cval *records;
    if (hooks_from_release(s.a, rel, &hooks, &nhooks, &records, &err) < 0)
        goto done;
    hook_opts ho = {.release = release, .namespace = s.ns, .field_manager = FIELD_MANAGER,
                    .timeout_ms = o->timeout_ms, .log = s.log, .progress = &s.pr};
    if (!o->no_hooks && hooks_run(s.api, s.a, hooks, nhooks, "pre-delete", &ho, &err) < 0)
        goto done;
    if (deploy_delete(s.api, s.a, objs, n, &dopt, &err) < 0)
        goto done;
    if (!o->no_hooks && hooks_run(s.api, s.a, hooks, nhooks, "post-delete", &ho, &err) < 0)
        goto done;
    if (o->keep_history) {
        set_status(s.a, rel, "uninstalled", o->description ? o->description : "Uninstallation complete");
        if (release_update(s.api, s.a, rel, NULL, now_s(), &err) < 0)
            goto done;
    } else {
        for (size_t i = 0; i < nrecs; i++)
            if (release_delete(s.api, s.ns, release, recs[i].version, &err) < 0)
                goto done;
    }
    if (s.log)
        fprintf(s.log, "release \"%s\" uninstalled\n", release);
    rc = 0;
done:
    if (s.a)
        session_close(&s);
    return rc < 0 ? cap_err_publish(perr, &err, CAPSTAN_ECLUSTER) : 0;
}

int capstan_test(const char *release, const capstan_kube_opts *kube, long timeout_ms, FILE *log,
                 capstan_error *perr)
{
    capstan_test_opts o = {.size = sizeof o, .timeout_ms = timeout_ms, .log = log, .summary = true};
    if (kube)
        o.kube = *kube;
    return capstan_test_run(release, &o, perr);
}

/* The latest revision of release, or NULL with "release: not found" (or
 * the history's error). */
static cval *latest_release(session *s, const char *release, cap_err *err)
{
    release_rec *recs;
    size_t nrecs;
    if (release_history(s->api, s->a, s->ns, release, &recs, &nrecs, err) < 0)
        return NULL;
    if (nrecs == 0) {
        cap_err_coded(err, CAPSTAN_ENOTFOUND, "release: not found");
        return NULL;
    }
    return recs[nrecs - 1].rel;
}

/* helm test --filter: is hook h to run? */
static bool test_selected(const hook *h, const capstan_test_opts *o)
{
    bool any_exclude = false, any_include = false, included = false;
    for (size_t i = 0; i < o->n_filters; i++) {
        const char *f = o->filters[i];
        if (f[0] == '!') {
            const char *v = f + 1 + (f[1] == ' ');
            if (strncmp(v, "name=", 5) != 0)
                continue;
            any_exclude = true;
            if (strcmp(v + 5, h->name) == 0)
                return false;
        } else if (strncmp(f, "name=", 5) == 0) {
            any_include = true;
            included = included || strcmp(f + 5, h->name) == 0;
        }
    }
    return any_exclude || !any_include || included;
}

int capstan_test_run(const char *release, const capstan_test_opts *o, capstan_error *perr)
{
    OPTS_IN(capstan_test_opts, o, perr);
    cap_err err = CAP_ERR_INIT;
    session s;
    int rc = -1;
    FILE *log = o->log;
    long timeout_ms = o->timeout_ms;
    if (session_open(&s, &o->kube, log, &err) < 0)
        goto done;
    s.pr = progress_start(o->progress, o->progress_ctx, o->log_lines);
    cval *latest = latest_release(&s, release, &err);
    if (!latest)
        goto done;
    cval *rel = cv_deep_copy(s.a, latest);
    hook *hooks;
    size_t nhooks;
    cval *records;
    if (hooks_from_release(s.a, rel, &hooks, &nhooks, &records, &err) < 0)
        goto done;
    hook_opts ho = {.release = release, .namespace = s.ns, .field_manager = FIELD_MANAGER, .timeout_ms = timeout_ms,
                    .log = log, .progress = &s.pr};
    /* --filter: the hooks not selected do not run (their records stay as they were) */
    hook *run = hooks;
    size_t nrun = nhooks;
    if (o->n_filters) {
        run = arena_alloc(s.a, (nhooks ? nhooks : 1) * sizeof *run);
        nrun = 0;
        for (size_t i = 0; i < nhooks; i++)
            if (test_selected(&hooks[i], o))
                run[nrun++] = hooks[i];
    }
    int hrc = hooks_run(s.api, s.a, run, nrun, "test", &ho, &err);
    /* record the runs, as helm does, whatever their outcome */
    if (nhooks)
        cv_map_set(rel, "hooks", records);
    cap_err e2 = CAP_ERR_INIT;
    if (release_update(s.api, s.a, rel, NULL, now_s(), &e2) < 0 && log)
        fprintf(log, "warning: could not record the test runs: %s\n", e2.msg);
    cap_err_clear(&e2);
    for (size_t i = 0; log && o->summary && i < nhooks; i++) {
        cval *lr = cv_get(hooks[i].record, "last_run");
        const char *phase = cv_str(cv_get(lr, "phase"));
        if (!phase || !*phase)
            continue;
        fprintf(log, "TEST SUITE:     %s\nLast Started:   %s\nLast Completed: %s\nPhase:          %s\n",
                hooks[i].name, cv_str(cv_get(lr, "started_at")) ? cv_str(cv_get(lr, "started_at")) : "",
                cv_str(cv_get(lr, "completed_at")) ? cv_str(cv_get(lr, "completed_at")) : "", phase);
    }
    if (hrc < 0)
        goto done;
    rc = 0;
done:
    if (s.a)
        session_close(&s);
    return rc < 0 ? cap_err_publish(perr, &err, CAPSTAN_ECLUSTER) : 0;
}

static int by_weight_then_name(const void *x, const void *y)
{
    const hook *a = x, *b = y;
    if (a->weight != b->weight)
        return a->weight < b->weight ? -1 : 1;
    int c = strcmp(a->name, b->name);
    return c ? c : (a->index < b->index ? -1 : a->index > b->index);
}

int capstan_test_logs(const char *release, const capstan_test_opts *o, char **text, capstan_error *perr)
{
    OPTS_IN(capstan_test_opts, o, perr);
    *text = NULL;
    cap_err err = CAP_ERR_INIT;
    session s;
    int rc = -1;
    strbuf out = STRBUF_INIT;
    if (session_open(&s, &o->kube, NULL, &err) < 0)
        goto done;
    cval *latest = latest_release(&s, release, &err);
    if (!latest)
        goto done;
    hook *hooks;
    size_t nhooks;
    cval *records;
    if (hooks_from_release(s.a, latest, &hooks, &nhooks, &records, &err) < 0)
        goto done;
    qsort(hooks, nhooks, sizeof *hooks, by_weight_then_name); /* helm's hookByWeight */
    for (size_t i = 0; i < nhooks; i++) {
        bool test = false;
        for (const char **e = hooks[i].events; e && *e; e++)
            test = test || strcmp(*e, "test") == 0;
        if (!test || !test_selected(&hooks[i], o))
            continue;
        char *log;
        size_t len;
        if (kube_api_pod_log(s.api, s.a, s.ns, hooks[i].name, NULL, -1, false, &log, &len, &err) < 0) {
            cap_err_prefix(&err, "unable to get pod logs for %s", hooks[i].name);
            goto done;
        }
        sb_addf(&out, "POD LOGS: %s\n", hooks[i].name);
        sb_add(&out, log, len);
        sb_addc(&out, '\n');
    }
    *text = sb_detach(&out, NULL);
    rc = 0;
done:
    sb_release(&out);
    if (s.a)
        session_close(&s);
    return rc < 0 ? cap_err_publish(perr, &err, CAPSTAN_ECLUSTER) : 0;
}
