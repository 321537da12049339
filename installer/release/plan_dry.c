/* plan_dry.c — what install, upgrade and rollback --dry-run say they would do.
 *
 * The release is rendered as helm's client-side dry run renders it, put in
 * waves (plan.c), and each object compared with the cluster: not there, it is
 * created; there, a server-side apply dry run of it (marked as the release's,
 * as deploy marks it) is compared with the live object, both stripped of what
 * the server keeps for itself (diff_tidy), and the differing leaf fields are
 * counted: "update (N fields)" or "unchanged". Objects of the deployed
 * revision that the new one no longer has, and that still exist, are deleted
 * after the last wave (not those with helm.sh/resource-policy: keep). Each
 * object says what a --wait waits for (plan_wait_rule: the rules of ready.c),
 * and the hooks are listed with their events. Nothing is written.
 *
 * Alongside, the text helm 4 prints on stdout for the same dry run (its status
 * printer: NAME, LAST DEPLOYED, ..., HOOKS, MANIFEST, NOTES), so that the CLI
 * keeps stdout byte-compatible and puts the plan on stderr.
 */
#include "capstan.h"
#include "core/value.h"
#include "core/opts.h"
#include "installer/kube/cluster.h"
#include "installer/release/deploy.h"
#include "installer/release/cluster_render.h"
#include "installer/release/diff.h"
#include "installer/release/hooks.h"
#include "core/json.h"
#include "installer/release/plan.h"
#include "installer/release/plan_wait.h"
#include "renderer/render_internal.h"
#include "installer/release/release_build.h"
#include "core/release_label.h"
#include "installer/release/release_store.h"
#include "core/xalloc.h"
#include "core/yaml.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *str_or_empty(const cval *v)
{
    const char *s = cv_str(v);
    return s ? s : "";
}

typedef enum act { ACT_CREATE, ACT_UPDATE, ACT_UNCHANGED, ACT_DELETE } act;
static const char *const act_names[] = {"create", "update", "unchanged", "delete"};

typedef struct step {
    const char *api_version, *kind, *name, *ns;
    act action;
    size_t fields;     /* ACT_UPDATE: leaf fields that change */
    const char *wait;  /* what --wait waits for */
} step;

typedef struct dry {
    cluster c;
    const char *release, *op;
    long revision;
    const capstan_install_opts *io;
    plan_item *items;
    step *steps;       /* one per item */
    size_t n;
    int nwaves;
    step *deletes;
    size_t ndeletes;
    step *crds;        /* crds/: created when missing, never changed */
    size_t ncrds;
    hook *hooks;
    size_t nhooks;
    const char *offline; /* client dry run without a cluster: why it was not reached (no plan) */
    cap_err err;
} dry;

static bool crd_defines(const cval *crd, const char *group, size_t glen, const char *kind)
{
    const cval *spec = cv_get(crd, "spec");
    return strcmp(str_or_empty(cv_get(crd, "kind")), "CustomResourceDefinition") == 0 &&
           strcmp(str_or_empty(cv_get(cv_get(spec, "names"), "kind")), kind) == 0 && strlen(str_or_empty(cv_get(spec, "group"))) == glen &&
           strncmp(str_or_empty(cv_get(spec, "group")), group, glen) == 0;
}

/* An object of a kind one of the release's own CRDs defines: not served yet,
 * so it is created (and looking its kind up would only wait for it). */
static bool kind_of_new_crd(const dry *d, const capstan_release *r, const cval *obj)
{
    const char *apiv = str_or_empty(cv_get(obj, "apiVersion")), *kind = str_or_empty(cv_get(obj, "kind"));
    const char *slash = strrchr(apiv, '/');
    if (!slash)
        return false;
    size_t glen = (size_t)(slash - apiv);
    for (size_t i = 0; r && i < r->n_crds; i++) {
        cval *crd;
        cap_err e = CAP_ERR_INIT;
        bool hit = yaml_parse(d->c.a, r->crds[i].content, r->crds[i].len, r->crds[i].source, &crd, &e) == 0 &&
                   crd_defines(crd, apiv, glen, kind);
        cap_err_clear(&e);
        if (hit)
            return true;
    }
    for (size_t i = 0; i < d->n; i++)
        if (crd_defines(d->items[i].obj, apiv, glen, kind))
            return true;
    return false;
}

/* Compare one object with the cluster. */
static int plan_object(dry *d, const capstan_release *r, size_t i)
{
    plan_item *it = &d->items[i];
    step *s = &d->steps[i];
    cval *obj = (cval *)it->obj;
    const char *objns = str_or_empty(cv_get(cv_get(obj, "metadata"), "namespace"));
    *s = (step){.api_version = str_or_empty(cv_get(obj, "apiVersion")), .kind = it->kind, .name = it->name,
                .ns = *objns ? objns : d->c.ns, .action = ACT_CREATE};
    s->wait = plan_wait_rule(d->c.a, obj, d->io->wait, d->io->wait_for_jobs, d->io->wait_for_load_balancer);
    if (kind_of_new_crd(d, r, obj))
        return 0;
    const kube_resource *res;
    if (kube_api_resolve(d->c.api, s->api_version, s->kind, &res, &d->err) < 0)
        return -1;
    if (!res->namespaced)
        s->ns = "";
    it->namespace = s->ns;
    cval *live, *after;
    if (kube_api_get(d->c.api, d->c.a, s->api_version, s->kind, res->namespaced ? s->ns : NULL, s->name, &live,
                     &d->err) < 0)
        return -1;
    if (!live)
        return 0;
    if (diff_dry_apply(d->c.api, d->c.a, d->release, d->c.ns, cv_deep_copy(d->c.a, obj), s->ns,
                       it->source ? it->source : it->name, &after, &d->err) < 0)
        return -1;
    diff_tidy(live);
    diff_tidy(after);
    s->fields = diff_count_fields(live, after);
    s->action = s->fields ? ACT_UPDATE : ACT_UNCHANGED;
    return 0;
}

static bool in_new(const dry *d, const cval *old, const char *ns)
{
    const char *kind = str_or_empty(cv_get(old, "kind")), *name = str_or_empty(cv_get(cv_get(old, "metadata"), "name"));
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->steps[i].kind, kind) == 0 && strcmp(d->steps[i].name, name) == 0 &&
            (strcmp(d->steps[i].ns, ns) == 0 || !*d->steps[i].ns))
            return true;
    return false;
}

/* Objects of the deployed revision that the new one has no more. */
static int plan_deletes(dry *d, const cval *prev_rel)
{
    const char **srcs;
    cval **objs;
    size_t k;
    if (!prev_rel)
        return 0;
    if (release_manifest_objects(d->c.a, str_or_empty(cv_get(prev_rel, "manifest")), &srcs, &objs, &k, &d->err) < 0)
        return -1;
    d->deletes = arena_zalloc(d->c.a, (k + 1) * sizeof *d->deletes);
    for (size_t i = 0; i < k; i++) {
        const cval *o = objs[i], *meta = cv_get(o, "metadata");
        const char *ns = *str_or_empty(cv_get(meta, "namespace")) ? str_or_empty(cv_get(meta, "namespace")) : d->c.ns;
        if (in_new(d, o, ns) || strcmp(str_or_empty(cv_get(cv_get(meta, "annotations"), "helm.sh/resource-policy")), "keep") == 0)
            continue;
        const kube_resource *res;
        cap_err e = CAP_ERR_INIT;
        if (kube_api_resolve(d->c.api, str_or_empty(cv_get(o, "apiVersion")), str_or_empty(cv_get(o, "kind")), &res, &e) < 0) {
            cap_err_clear(&e); /* its kind is gone from the cluster: nothing to delete */
            continue;
        }
        cval *live;
        if (kube_api_get(d->c.api, d->c.a, str_or_empty(cv_get(o, "apiVersion")), str_or_empty(cv_get(o, "kind")),
                         res->namespaced ? ns : NULL, str_or_empty(cv_get(meta, "name")), &live, &d->err) < 0)
            return -1;
        if (live)
            d->deletes[d->ndeletes++] = (step){.api_version = str_or_empty(cv_get(o, "apiVersion")), .kind = str_or_empty(cv_get(o, "kind")),
                                               .name = str_or_empty(cv_get(meta, "name")), .ns = res->namespaced ? ns : "",
                                               .action = ACT_DELETE};
    }
    return 0;
}

/* crds/ of the chart: created before the hooks when missing, never changed (as helm). */
static int plan_crds(dry *d, const capstan_release *r)
{
    if (!r || d->io->skip_crds)
        return 0;
    d->crds = arena_zalloc(d->c.a, (r->n_crds + 1) * sizeof *d->crds);
    for (size_t i = 0; i < r->n_crds; i++) {
        cval *o, *live;
        if (yaml_parse(d->c.a, r->crds[i].content, r->crds[i].len, r->crds[i].source, &o, &d->err) < 0)
            return -1;
        step *s = &d->crds[d->ncrds++];
        *s = (step){.api_version = str_or_empty(cv_get(o, "apiVersion")), .kind = str_or_empty(cv_get(o, "kind")),
                    .name = str_or_empty(cv_get(cv_get(o, "metadata"), "name")), .ns = ""};
        s->wait = "the CRD Established";
        if (kube_api_get(d->c.api, d->c.a, s->api_version, s->kind, NULL, s->name, &live, &d->err) < 0)
            return -1;
        s->action = live ? ACT_UNCHANGED : ACT_CREATE;
    }
    return 0;
}

/* The objects of a manifest list, waves and steps. */
static int plan_objects(dry *d, const capstan_release *r, const char **srcs, cval **objs, size_t n,
                        const cval *prev_rel)
{
    d->n = n;
    d->items = arena_zalloc(d->c.a, (n + 1) * sizeof *d->items);
    d->steps = arena_zalloc(d->c.a, (n + 1) * sizeof *d->steps);
    for (size_t i = 0; i < n; i++) {
        if (!*str_or_empty(cv_get(objs[i], "kind")) || !*str_or_empty(cv_get(objs[i], "apiVersion")))
            return cap_err_set(&d->err, "%s: a manifest without apiVersion or kind", srcs[i]);
        deploy_mark_owned(d->c.a, objs[i], d->release, d->c.ns);
        d->items[i] = (plan_item){.source = srcs[i], .obj = objs[i], .namespace = ""};
    }
    if (plan_build(d->c.a, d->items, n, &d->nwaves, &d->err) < 0 || plan_crds(d, r) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (plan_object(d, r, i) < 0)
            return -1;
    return plan_deletes(d, prev_rel);
}

static void count(const dry *d, size_t c[4])
{
    memset(c, 0, 4 * sizeof *c);
    for (size_t i = 0; i < d->n; i++)
        c[d->steps[i].action]++;
    for (size_t i = 0; i < d->ncrds; i++)
        c[d->crds[i].action]++;
    c[ACT_DELETE] = d->ndeletes;
}

static void text_step(strbuf *out, const step *s)
{
    sb_addf(out, "  %-9s %s/%s", act_names[s->action], s->kind, s->name);
    if (*s->ns)
        sb_addf(out, " -n %s", s->ns);
    if (s->action == ACT_UPDATE)
        sb_addf(out, " (%zu field%s)", s->fields, s->fields == 1 ? "" : "s");
    if (s->wait)
        sb_addf(out, "; waits for %s", s->wait);
    sb_addc(out, '\n');
}

static void plan_text(strbuf *out, const dry *d)
{
    size_t c[4];
    count(d, c);
    sb_addf(out, "plan: %s %s revision %ld in namespace %s: %zu to create, %zu to update, %zu unchanged, %zu to "
                 "delete%s\n",
            d->op, d->release, d->revision, d->c.ns, c[ACT_CREATE], c[ACT_UPDATE], c[ACT_UNCHANGED], c[ACT_DELETE],
            d->io->wait ? "" : " (no --wait: nothing is waited for)");
    if (d->ncrds)
        sb_adds(out, "crds/ (before the hooks; created when missing, never changed):\n");
    for (size_t i = 0; i < d->ncrds; i++)
        text_step(out, &d->crds[i]);
    for (int w = 0; w < d->nwaves; w++) {
        int level = 0;
        for (size_t i = 0; i < d->n; i++)
            if (d->items[i].wave == w && (level == 0 || d->items[i].level < level))
                level = d->items[i].level;
        sb_addf(out, "wave %d (%s):\n", w + 1, plan_level_name(level));
        for (size_t i = 0; i < d->n; i++)
            if (d->items[i].wave == w)
                text_step(out, &d->steps[i]);
    }
    if (d->ndeletes) {
        sb_adds(out, "after the last wave:\n");
        for (size_t i = 0; i < d->ndeletes; i++)
            text_step(out, &d->deletes[i]);
    }
    for (size_t i = 0; i < d->nhooks; i++) {
        const hook *h = &d->hooks[i];
        if (i == 0)
            sb_adds(out, "hooks:\n");
        sb_adds(out, "  ");
        for (const char **e = h->events; e && *e; e++)
            sb_addf(out, "%s%s", e == h->events ? "" : ",", *e);
        sb_addf(out, " %s/%s (weight %d); waits for %s\n", h->kind, h->name, h->weight, plan_hook_wait(h->kind));
    }
}

static cval *json_step(arena *a, const step *s)
{
    cval *m = cv_map_new(a);
    cv_map_set(m, "action", cv_cstring(a, act_names[s->action]));
    cv_map_set(m, "apiVersion", cv_cstring(a, s->api_version));
    cv_map_set(m, "kind", cv_cstring(a, s->kind));
    cv_map_set(m, "name", cv_cstring(a, s->name));
    cv_map_set(m, "namespace", cv_cstring(a, s->ns));
    if (s->action == ACT_UPDATE)
        cv_map_set(m, "changedFields", cv_int(a, (int64_t)s->fields));
    cv_map_set(m, "waitFor", s->wait ? cv_cstring(a, s->wait) : cv_nil());
    return m;
}

static int plan_json(strbuf *out, dry *d)
{
    arena *a = d->c.a;
    cval *m = cv_map_new(a), *waves = cv_list_new(a, 0), *dels = cv_list_new(a, 0), *hooks = cv_list_new(a, 0),
         *crds = cv_list_new(a, 0);
    for (size_t i = 0; i < d->ncrds; i++)
        cv_list_push(crds, json_step(a, &d->crds[i]));
    cv_map_set(m, "crds", crds);
    cv_map_set(m, "operation", cv_cstring(a, d->op));
    cv_map_set(m, "release", cv_cstring(a, d->release));
    cv_map_set(m, "namespace", cv_cstring(a, d->c.ns));
    cv_map_set(m, "revision", cv_int(a, d->revision));
    cv_map_set(m, "wait", cv_bool(d->io->wait));
    for (int w = 0; w < d->nwaves; w++) {
        cval *wv = cv_map_new(a), *objs = cv_list_new(a, 0);
        int level = 0;
        for (size_t i = 0; i < d->n; i++)
            if (d->items[i].wave == w) {
                if (level == 0 || d->items[i].level < level)
                    level = d->items[i].level;
                cv_list_push(objs, json_step(a, &d->steps[i]));
            }
        cv_map_set(wv, "wave", cv_int(a, w + 1));
        cv_map_set(wv, "level", cv_cstring(a, plan_level_name(level)));
        cv_map_set(wv, "objects", objs);
        cv_list_push(waves, wv);
    }
    for (size_t i = 0; i < d->ndeletes; i++)
        cv_list_push(dels, json_step(a, &d->deletes[i]));
    for (size_t i = 0; i < d->nhooks; i++) {
        cval *h = cv_map_new(a), *ev = cv_list_new(a, 0);
        for (const char **e = d->hooks[i].events; e && *e; e++)
            cv_list_push(ev, cv_cstring(a, *e));
        cv_map_set(h, "events", ev);
        cv_map_set(h, "kind", cv_cstring(a, d->hooks[i].kind));
        cv_map_set(h, "name", cv_cstring(a, d->hooks[i].name));
        cv_map_set(h, "weight", cv_int(a, d->hooks[i].weight));
        cv_map_set(h, "waitFor", cv_cstring(a, plan_hook_wait(d->hooks[i].kind)));
        cv_list_push(hooks, h);
    }
    size_t c[4];
    count(d, c);
    cval *sum = cv_map_new(a);
    for (int k = 0; k < 4; k++)
        cv_map_set(sum, act_names[k], cv_int(a, (int64_t)c[k]));
    cv_map_set(m, "waves", waves);
    cv_map_set(m, "delete", dels);
    cv_map_set(m, "hooks", hooks);
    cv_map_set(m, "summary", sum);
    if (json_emit_indent(out, m, "", "  ", JSON_RAW, &d->err) < 0)
        return -1;
    sb_addc(out, '\n');
    return 0;
}

static int plan_out(dry *d, const capstan_plan_opts *po, char **plan)
{
    const char *fmt = po->format && *po->format ? po->format : "text";
    strbuf sb = STRBUF_INIT;
    if (strcmp(fmt, "json") == 0) {
        if (plan_json(&sb, d) < 0) {
            sb_release(&sb);
            return -1;
        }
    } else if (strcmp(fmt, "text") == 0) {
        plan_text(&sb, d);
    } else {
        return cap_err_set(&d->err, "invalid plan format \"%s\": use text or json", fmt);
    }
    *plan = sb_detach(&sb, NULL);
    return 0;
}

/* helm 4's status printer for a dry-run release (pkg/cmd/status.go). */
static char *helm_text(arena *a, const cval *rec, bool upgrade, const char *notes)
{
    strbuf sb = STRBUF_INIT;
    const cval *info = cv_get(rec, "info");
    if (upgrade)
        sb_addf(&sb, "Release \"%s\" has been upgraded. Happy Helming!\n", str_or_empty(cv_get(rec, "name")));
    time_t now = time(NULL);
    struct tm tm;
    char when[64];
    localtime_r(&now, &tm);
    strftime(when, sizeof when, "%a %b %e %H:%M:%S %Y", &tm); /* Go's time.ANSIC */
    sb_addf(&sb, "NAME: %s\nLAST DEPLOYED: %s\nNAMESPACE: %s\nSTATUS: %s\nREVISION: %ld\nDESCRIPTION: %s\n",
            str_or_empty(cv_get(rec, "name")), when, str_or_empty(cv_get(rec, "namespace")), str_or_empty(cv_get(info, "status")),
            (long)cv_get(rec, "version")->u.i, str_or_empty(cv_get(info, "description")));
    const cval *hooks = cv_get(rec, "hooks");
    size_t nh = hooks && hooks->kind == CV_LIST ? cv_list_len(hooks) : 0;
    bool tests = false;
    for (size_t i = 0; i < nh; i++) {
        const cval *ev = cv_get(cv_list_get(hooks, i), "events");
        for (size_t k = 0; ev && ev->kind == CV_LIST && k < cv_list_len(ev); k++)
            tests |= strcmp(str_or_empty(cv_list_get(ev, k)), "test") == 0;
    }
    if (!tests) /* test hooks that never ran print nothing */
        sb_adds(&sb, "TEST SUITE: None\n");
    sb_adds(&sb, "HOOKS:\n");
    for (size_t i = 0; i < nh; i++)
        sb_addf(&sb, "---\n# Source: %s\n%s\n", str_or_empty(cv_get(cv_list_get(hooks, i), "path")),
                str_or_empty(cv_get(cv_list_get(hooks, i), "manifest")));
    sb_addf(&sb, "MANIFEST:\n%s\n", str_or_empty(cv_get(rec, "manifest")));
    if (notes && *notes) {
        size_t b = 0, e = strlen(notes);
        while (b < e && strchr(" \t\n\r\v\f", notes[b]))
            b++;
        while (e > b && strchr(" \t\n\r\v\f", notes[e - 1]))
            e--;
        sb_addf(&sb, "NOTES:\n%.*s\n", (int)(e - b), notes + b);
    }
    char *s = arena_strndup(a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return s;
}

static const release_rec *latest_deployed(const release_rec *recs, size_t n)
{
    for (size_t i = n; i-- > 0;)
        if (recs[i].status && strcmp(recs[i].status, "deployed") == 0)
            return &recs[i];
    return NULL;
}

/* --dry-run=server checks what helm's does against the cluster: who owns the objects that exist. */
static int server_checks(dry *d, const char **srcs, cval **objs, size_t n, const release_rec *prev)
{
    deploy_obj *dobjs = arena_zalloc(d->c.a, (n + 1) * sizeof *dobjs), *pobjs = NULL;
    for (size_t i = 0; i < n; i++)
        dobjs[i] = (deploy_obj){.source = srcs[i], .obj = objs[i]};
    size_t np = 0;
    if (prev) {
        const char **psrcs;
        cval **pos;
        if (release_manifest_objects(d->c.a, str_or_empty(cv_get(prev->rel, "manifest")), &psrcs, &pos, &np,
                                     &d->err) < 0)
            return -1;
        pobjs = arena_zalloc(d->c.a, (np + 1) * sizeof *pobjs);
        for (size_t i = 0; i < np; i++)
            pobjs[i] = (deploy_obj){.source = psrcs[i], .obj = pos[i]};
    }
    deploy_opts dopt = {.release = d->release, .namespace = d->c.ns, .take_ownership = d->io->take_ownership};
    return deploy_preflight(d->c.api, d->c.a, dobjs, n, pobjs, np, &dopt, prev ? "update" : "install", NULL, &d->err);
}

static int plan_install(dry *d, const char *chart, bool upgrade, const capstan_plan_opts *po, char **text,
                        char **plan)
{
    release_rec *recs = NULL;
    size_t nrecs = 0;
    if (!d->offline && release_history(d->c.api, d->c.a, d->c.ns, d->release, &recs, &nrecs, &d->err) < 0) {
        if (upgrade || d->io->dry_run_server)
            return -1;
        d->offline = arena_strdup(d->c.a, d->err.msg); /* an install's client dry run needs no cluster */
        cap_err_clear(&d->err);
        d->err = (cap_err)CAP_ERR_INIT;
    }
    const release_rec *last = nrecs ? &recs[nrecs - 1] : NULL, *prev = latest_deployed(recs, nrecs);
    if (upgrade && !prev) { /* as helm: nothing deployed to upgrade, unless --install */
        if (!d->io->install)
            return cap_err_set(&d->err, "\"%s\" has no deployed releases", d->release);
        if (!last)
            upgrade = false;
    }
    if (!upgrade && last && strcmp(last->status ? last->status : "", "uninstalled") != 0 &&
        strcmp(last->status ? last->status : "", "failed") != 0)
        return cap_err_set(&d->err, "cannot re-use a name that is still in use");
    d->op = upgrade ? "upgrade" : "install";
    d->revision = last ? last->version + 1 : 1;
    capstan_render_opts ro = d->io->render;
    ro.release_name = d->release;
    ro.namespace_ = d->c.ns;
    ro.is_upgrade = upgrade;
    ro.revision = (int)d->revision;
    capstan_release *r = NULL;
    capstan_error e = {0};
    /* helm's --dry-run=server renders as a real install does (lookup and .Capabilities from the
     * cluster); client renders without it. An upgrade takes the deployed values either way. */
    render_cluster cl, *clp = NULL;
    memset(&cl, 0, sizeof cl);
    if (d->io->dry_run_server) {
        if (cluster_render_prepare(d->c.api, d->c.a, &cl, &d->err) < 0)
            return -1;
        clp = &cl;
    }
    if (upgrade && prev) {
        cluster_render_prev_values(&cl, d->c.a, prev->rel, d->io);
        clp = &cl;
    }
    if (render_for_cluster(chart, &ro, clp, &r, &e) < 0) {
        cap_err_at(&d->err, e.file, e.line, e.col, "%s", e.msg ? e.msg : "render failed");
        capstan_error_clear(&e);
        return -1;
    }
    int rc = -1;
    const char **hsrc = arena_zalloc(d->c.a, (r->n_hooks + 1) * sizeof *hsrc);
    const char **hdoc = arena_zalloc(d->c.a, (r->n_hooks + 1) * sizeof *hdoc);
    size_t *hlen = arena_zalloc(d->c.a, (r->n_hooks + 1) * sizeof *hlen);
    for (size_t i = 0; i < r->n_hooks; i++)
        hsrc[i] = r->hooks[i].source, hdoc[i] = r->hooks[i].content, hlen[i] = r->hooks[i].len;
    cval *hook_records;
    if (release_label_check(d->io->labels, d->io->n_labels, &d->err) < 0 ||
        hooks_parse(d->c.a, hsrc, hdoc, hlen, r->n_hooks, &d->hooks, &d->nhooks, &hook_records, &d->err) < 0)
        goto done;
    const char *first = last ? str_or_empty(cv_get(cv_get(recs[0].rel, "info"), "first_deployed")) : NULL;
    cval *rec = release_new_record(d->c.a, d->release, d->c.ns, d->revision,
                                   upgrade ? "pending-upgrade" : "pending-install", "Dry run complete",
                                   first && *first ? first : NULL, release_time(d->c.a, (long)time(NULL), 0), r,
                                   hook_records);
    if (d->io->hide_secret) /* helm's --hide-secret: the dry run's MANIFEST without Secrets' content */
        cv_map_set(rec, "manifest", cv_cstring(d->c.a, release_manifest_text(d->c.a, r, true)));
    const char **srcs = arena_zalloc(d->c.a, (r->n_manifests + 1) * sizeof *srcs);
    cval **objs = arena_zalloc(d->c.a, (r->n_manifests + 1) * sizeof *objs);
    size_t n = 0;
    for (size_t i = 0; i < r->n_manifests; i++) {
        cval *o;
        if (yaml_parse(d->c.a, r->manifests[i].content, r->manifests[i].len, r->manifests[i].source, &o, &d->err) < 0)
            goto done;
        if (o && o->kind == CV_MAP)
            srcs[n] = r->manifests[i].source, objs[n++] = o;
    }
    if (d->io->dry_run_server && server_checks(d, srcs, objs, n, upgrade ? prev : NULL) < 0)
        goto done;
    if (d->offline) /* helm 4's --dry-run=client never asks the cluster: the render is all there is */
        *plan = xstrdup(po && po->format && strcmp(po->format, "json") == 0
                            ? "{\"plan\": null, \"reason\": \"no cluster reached\"}\n"
                            : arena_printf(d->c.a, "plan: none: the cluster was not reached (%s)\n", d->offline));
    else if (plan_objects(d, r, srcs, objs, n, prev ? prev->rel : NULL) < 0 || plan_out(d, po, plan) < 0)
        goto done;
    *text = xstrdup(helm_text(d->c.a, rec, upgrade, r->notes));
    rc = 0;
done:
    capstan_release_free(r);
    return rc;
}


int capstan_plan_install(const char *release, const char *chart_path, bool upgrade, const capstan_install_opts *io,
                         const capstan_plan_opts *po, char **release_text, char **plan, capstan_error *perr)
{
    OPTS_IN(capstan_install_opts, io, perr);
    OPTS_IN(capstan_plan_opts, po, perr);
    dry d = {.release = release, .io = io, .err = CAP_ERR_INIT};
    *release_text = *plan = NULL;
    int rc = cluster_open(&d.c, &io->kube, &d.err);
    if (rc < 0 && !upgrade && !io->dry_run_server && d.c.a) {
        /* helm 4's install --dry-run=client renders without a cluster: so does this, in the
         * namespace given (or "default"), with no plan to compare */
        d.offline = arena_strdup(d.c.a, d.err.msg ? d.err.msg : "no cluster");
        cap_err_clear(&d.err);
        d.err = (cap_err)CAP_ERR_INIT;
        d.c.ns = io->kube.namespace_ && *io->kube.namespace_ ? io->kube.namespace_ : "default";
        rc = 0;
    }
    if (rc == 0)
        rc = plan_install(&d, chart_path, upgrade, po, release_text, plan);
    cluster_close(&d.c);
    if (rc < 0) {
        free(*plan);
        *plan = NULL;
        return diff_error_out(perr, &d.err);
    }
    return 0;
}

static int plan_back(dry *d, int to_revision, const capstan_plan_opts *po, char **plan)
{
    release_rec *recs;
    size_t nrecs;
    if (release_history(d->c.api, d->c.a, d->c.ns, d->release, &recs, &nrecs, &d->err) < 0)
        return -1;
    if (nrecs == 0)
        return cap_err_set(&d->err, "release: not found");
    long target = to_revision > 0 ? to_revision : recs[nrecs - 1].version - 1;
    const release_rec *t = NULL;
    for (size_t i = 0; i < nrecs; i++)
        if (recs[i].version == target)
            t = &recs[i];
    if (!t)
        return cap_err_set(&d->err, "release has no %ld version", target);
    d->op = "rollback";
    d->revision = recs[nrecs - 1].version + 1;
    if (hooks_from_release(d->c.a, t->rel, &d->hooks, &d->nhooks, &(cval *){NULL}, &d->err) < 0)
        return -1;
    const char **srcs;
    cval **objs;
    size_t n;
    const release_rec *prev = latest_deployed(recs, nrecs);
    if (release_manifest_objects(d->c.a, str_or_empty(cv_get(t->rel, "manifest")), &srcs, &objs, &n, &d->err) < 0 ||
        plan_objects(d, NULL, srcs, objs, n, prev ? prev->rel : NULL) < 0)
        return -1;
    return plan_out(d, po, plan);
}

int capstan_plan_rollback(const char *release, int to_revision, const capstan_install_opts *io,
                          const capstan_plan_opts *po, char **plan, capstan_error *perr)
{
    OPTS_IN(capstan_install_opts, io, perr);
    OPTS_IN(capstan_plan_opts, po, perr);
    dry d = {.release = release, .io = io, .err = CAP_ERR_INIT};
    *plan = NULL;
    int rc = cluster_open(&d.c, &io->kube, &d.err);
    if (rc == 0)
        rc = plan_back(&d, to_revision, po, plan);
    cluster_close(&d.c);
    return rc < 0 ? diff_error_out(perr, &d.err) : 0;
}
