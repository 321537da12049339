/* render.c — libcapstan's render entry points: values, chart, dependencies,
 * the engine, manifests, and `helm template`'s output, after the behaviour of
 * helm's runInstall, Install.RunWithContext, renderResources and template.go. */
#include "capstan.h"
#include "core/opts.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "renderer/chart/chart.h"
#include "renderer/images/bundle.h"
#include "core/err.h"
#include "renderer/images/images.h"
#include "renderer/manifest.h"
#include "renderer/chart/strvals.h"
#include "renderer/engine/tmpl.h"
#include "renderer/chart/values.h"
#include "core/yaml.h"
#include "renderer/render_internal.h"
#include "core/fsutil.h"
#include "core/xalloc.h"



/* ---- values (Helm's values.Options.MergeValues) ---------------------------------- */


static cval *file_reader(void *ctx, arena *a, const char *path, char **errmsg)
{
    char *data;
    size_t len;
    cap_err e = CAP_ERR_INIT;
    const char *p = path;
    while (*p == ' ')
        p++;
    if (fsu_read_go(a, p, &data, &len, &e) != 0) {
        *errmsg = arena_strdup(a, e.msg);
        cap_err_clear(&e);
        return NULL;
    }
    return cv_string(a, data, len);
}

static int merge_values(arena *a, const capstan_render_opts *o, const bundle *b, cval **out, cap_err *err)
{
    cval *base = cv_map_new(a);
    for (size_t i = 0; b && i < b->nvalues; i++) {
        /* a bundle's values files come first, then the -f files given */
        cval *m;
        const char *name = arena_printf(a, "%s:%s", b->path, b->value_members[i]);
        if (chart_read_values(a, b->value_data[i], b->value_lens[i], name, &m, err) != 0) {
            cap_err_prefix(err, "failed to parse %s", name);
            return -1;
        }
        base = chart_merge_maps(a, base, m);
    }
    for (size_t i = 0; i < o->n_value_files; i++) {
        char *data;
        size_t len;
        if (fsu_read_go(a, o->value_files[i], &data, &len, err) != 0)
            return -1;
        cval *m;
        const char *name = strcmp(o->value_files[i], "-") == 0 ? "<stdin>" : o->value_files[i];
        if (chart_read_values(a, data, len, name, &m, err) != 0) {
            cap_err_prefix(err, "failed to parse %s", o->value_files[i]);
            if (!err->file)
                cap_err_set_file(err, name);
            return -1;
        }
        base = chart_merge_maps(a, base, m);
    }
    for (size_t i = 0; i < o->n_set_json; i++)
        if (strvals_apply(a, o->set_json[i], base, STRVALS_JSON, NULL, NULL, err) != 0)
            return -1;
    for (size_t i = 0; i < o->n_set; i++)
        if (strvals_apply(a, o->set[i], base, STRVALS_SET, NULL, NULL, err) != 0)
            return -1;
    for (size_t i = 0; i < o->n_set_string; i++)
        if (strvals_apply(a, o->set_string[i], base, STRVALS_STRING, NULL, NULL, err) != 0)
            return -1;
    for (size_t i = 0; i < o->n_set_file; i++)
        if (strvals_apply(a, o->set_file[i], base, STRVALS_FILE, file_reader, NULL, err) != 0)
            return -1;
    for (size_t i = 0; i < o->n_set_literal; i++)
        if (strvals_apply(a, o->set_literal[i], base, STRVALS_LITERAL, NULL, NULL, err) != 0)
            return -1;
    *out = base;
    return 0;
}

int render_merge_values(arena *a, const capstan_render_opts *o, cval **out, cap_err *err)
{
    return merge_values(a, o, NULL, out, err);
}

/* ---- the engine's input (recAllTpls) ---------------------------------------------- */

typedef struct srclist {
    tmpl_source *s;
    size_t n, cap;
} srclist;

static cval *as_values(arena *a, cval *m)
{
    cval *v = arena_alloc(a, sizeof *v);
    *v = *m;
    v->gotype = "common.Values";
    return v;
}

/* The sources of every template of c and its subcharts, each with its dot
 * made from top; top NULL: names and texts only (dots NULL). */
static cval *all_templates(arena *a, chart *c, cval *top, bool is_root, srclist *out, int depth)
{
    cval *subcharts = NULL, *next = NULL;
    if (top) {
        subcharts = cv_map_new(a);
        next = cv_map_new(a);
        next->gotype = "common.Values"; /* what %T of the dot prints in helm v4 */
        cv_map_set(next, "Chart", chart_meta_to_map(a, c->meta, is_root));
        cv_map_set(next, "Files", chart_files_object(a, c->files, c->nfiles));
        cv_map_set(next, "Release", cv_map_get(top, "Release"));
        cv_map_set(next, "Capabilities", cv_map_get(top, "Capabilities"));
        cval *vals = cv_map_new(a);
        vals->gotype = "common.Values";
        if (is_root) {
            vals = cv_map_get(top, "Values");
        } else {
            cval *pv = cv_map_get(top, "Values");
            cval *t = cv_is(pv, CV_MAP) ? cv_map_get(pv, chart_name(c)) : NULL;
            if (cv_is(t, CV_MAP))
                vals = as_values(a, t);
        }
        cv_map_set(next, "Values", vals);
        cv_map_set(next, "Subcharts", subcharts);
    }
    if (depth <= CHART_MAX_DEPTH)
        for (size_t i = 0; i < c->ndeps; i++) {
            cval *sub = all_templates(a, c->deps[i], next, false, out, depth + 1);
            if (top)
                cv_map_set(subcharts, chart_name(c->deps[i]), sub);
        }
    const char *full = chart_full_path(a, c);
    const char *base = arena_printf(a, "%s/templates", full);
    for (size_t i = 0; i < c->ntemplates; i++) {
        const chart_file *t = &c->templates[i];
        if (chart_is_library(c)) {
            const char *b = strrchr(t->name, '/');
            b = b ? b + 1 : t->name;
            if (b[0] != '_')
                continue;
        }
        if (out->n == out->cap) {
            size_t nc = out->cap ? out->cap * 2 : 32;
            out->s = arena_realloc(a, out->s, out->cap * sizeof *out->s, nc * sizeof *out->s);
            out->cap = nc;
        }
        tmpl_source *s = &out->s[out->n++];
        s->name = chart_path_join(a, full, t->name);
        s->text = t->data;
        s->len = t->len;
        s->dot = next;
        s->basepath = base;
    }
    return next;
}

static void collect_crds(arena *a, chart *c, capstan_manifest **out, size_t *n, size_t *cap, int depth)
{
    for (size_t i = 0; i < c->nfiles; i++) {
        const chart_file *f = &c->files[i];
        if (strncmp(f->name, "crds/", 5) != 0)
            continue;
        const char *dot = strrchr(f->name, '.');
        const char *sl = strrchr(f->name, '/');
        if (!dot || dot < sl || (strcasecmp(dot, ".yaml") && strcasecmp(dot, ".yml") && strcasecmp(dot, ".json")))
            continue;
        if (*n == *cap) {
            size_t nc = *cap ? *cap * 2 : 8;
            *out = arena_realloc(a, *out, *cap * sizeof **out, nc * sizeof **out);
            *cap = nc;
        }
        capstan_manifest *m = &(*out)[(*n)++];
        memset(m, 0, sizeof *m);
        m->source = arena_printf(a, "%s/%s", chart_full_path(a, c), f->name);
        m->content = f->data;
        m->len = f->len;
        m->kind = "CustomResourceDefinition";
        m->api_version = m->name = "";
    }
    if (depth < CHART_MAX_DEPTH)
        for (size_t i = 0; i < c->ndeps; i++)
            collect_crds(a, c->deps[i], out, n, cap, depth + 1);
}

static capstan_manifest to_pub(const manifest *m)
{
    capstan_manifest r = {m->name, m->content, m->len, m->api_version, m->kind, m->meta_name,
                          m->hook, m->test, m->hook_events, m->weight};
    return r;
}

static bool ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), k = strlen(suf);
    return n >= k && strcmp(s + n - k, suf) == 0;
}

typedef struct priv {
    arena *a;
    strbuf unsorted; /* what helm prints with --debug when sorting fails */
    chart *chart;    /* the loaded chart, for the release record */
    cval *config;    /* the values the user supplied (-f, --set...), merged */
    manifest *ms, *hs; /* as sorted, with their parsed documents */
    size_t nms, nhs;
    bundle *bundle;    /* when rendered from a bundle */
    const render_cluster *cluster; /* during the render only, or NULL */
    bool write_only;   /* the release is only written out and freed (render_template_write):
                          nothing reads the chart after the render */
} priv;

const struct bundle *render_release_bundle(const capstan_release *r)
{
    return ((const priv *)r->priv_)->bundle;
}

int render_release_docs(const capstan_release *r, const struct manifest **ms, size_t *nms,
                        const struct manifest **hs, size_t *nhs)
{
    const priv *p = r->priv_;
    *ms = p->ms;
    *nms = p->nms;
    *hs = p->hs;
    *nhs = p->nhs;
    return p->chart ? 0 : -1;
}

/* --registry: every image of every manifest and hook re-homed (renderer/images/image_rewrite.c) */
static int rewrite_images(arena *a, manifest *ms, size_t n, const char *registry, cap_err *err)
{
    /* HOST[:PORT][/PATH]; a first component without '.' or ':' would be read as docker.io's */
    img_ref chk;
    const char *probe = arena_printf(a, "%s/x", registry);
    if (img_ref_parse(a, probe, &chk) != 0 || strncmp(probe, chk.registry, strlen(chk.registry)) != 0 ||
        probe[strlen(chk.registry)] != '/')
        return cap_err_set(err, "invalid --registry \"%s\": expected HOST[:PORT] (a host with a dot or a port, or localhost)",
                           registry);
    for (size_t i = 0; i < n; i++) {
        cval *doc = manifest_doc(a, &ms[i]);
        if (doc && img_rewrite_doc(a, doc, &ms[i].content, &ms[i].len, registry, err) != 0) {
            cap_err_prefix(err, "%s", ms[i].name);
            return -1;
        }
    }
    return 0;
}

int render_release_parts(const capstan_release *r, chart **c, cval **config)
{
    const priv *p = r->priv_;
    *c = p->chart;
    *config = p->config;
    return p->chart ? 0 : -1;
}

static int render_chart(arena *a, const char *path, const capstan_render_opts *o, capstan_release *rel, chart *c,
                        cval *vals, tmpl_prerender **pre, cap_err *err);

typedef struct early_start {
    arena *a;
    tmpl_prerender *pre;  /* NULL when no thread could be made */
    size_t given;
    const capstan_render_opts *o;
} early_start;

/* chart_load_early's call for a symbolic link: helm's loader line, to o->log */
static void log_link(void *ctx, const char *path, const char *resolved)
{
    early_start *e = ctx;
    if (!e->o->log)
        return;
    strbuf line = STRBUF_INIT;
    chart_log_symlink(&line, path, resolved);
    while (line.len && line.buf[line.len - 1] == '\n')
        line.buf[--line.len] = '\0';
    e->o->log(e->o->log_ctx, line.buf);
    sb_release(&line);
}

/* chart_load_early's call: parse this one of the chart's own templates from now on */
static void start_early(void *ctx, const char *name, const chart_file *t)
{
    early_start *e = ctx;
    tmpl_source s = {0};
    s.name = chart_path_join(e->a, name, t->name);
    s.text = t->data;
    s.len = t->len;
    tmpl_prerender_add(e->pre, &s);
    e->given++;
}

/* helm's Upgrade.reuseValues: the values of the new revision from the new
 * ones (vals) and the current release's (prev_config) */
static cval *reuse_values(arena *a, const render_cluster *cl, cval *vals)
{
    cval *old = cv_deep_copy(a, cl->prev_config);
    switch (cl->values_mode) {
    case RENDER_VALUES_RESET:
        return vals;
    case RENDER_VALUES_REUSE:
    case RENDER_VALUES_RESET_THEN_REUSE: /* CoalesceTables(new, old): the new win */
        return values_coalesce_tables(a, vals, old, false);
    default: /* no values given: the current release's */
        return cv_map_len(vals) == 0 && old->kind == CV_MAP && cv_map_len(old) > 0 ? old : vals;
    }
}

/* --reuse-values: the chart's values become the current release's coalesced
 * values (CoalesceValues of its stored chart, which has no subcharts, and its config) */
static int old_chart_values(arena *a, const render_cluster *cl, chart *c, cap_err *err)
{
    chart old = *c;
    old.values = cl->prev_chart_values && cl->prev_chart_values->kind == CV_MAP
                     ? cv_deep_copy(a, cl->prev_chart_values) : cv_map_new(a);
    old.deps = NULL;
    old.ndeps = 0;
    cval *vals;
    if (values_coalesce(a, &old, cl->prev_config, false, &vals, err) != 0) {
        cap_err_prefix(err, "failed to rebuild old values");
        return -1;
    }
    c->values = vals;
    return 0;
}

static int render(arena *a, const char *path, const capstan_render_opts *o, capstan_release *rel, cap_err *err)
{
    bundle *b = NULL;
    if (bundle_is(path) && bundle_read(a, path, NULL, &b, err) != 0)
        return -1;
    ((priv *)rel->priv_)->bundle = b;
    /* the templates are parsed on a thread of their own while the rest of the
     * chart is read and the values are worked out: a directory's own templates
     * one by one as they are read (just after Chart.yaml), else all of them once
     * the chart is loaded; the thread starts now, so that it is ready by then */
    early_start early = {a, tmpl_prerender_new(), 0, o};
    cval *vals;
    chart *c;
    const render_cluster *cl = ((priv *)rel->priv_)->cluster;
    if (merge_values(a, o, b, &vals, err) != 0)
        goto fail;
    if (cl && cl->prev_config)
        vals = reuse_values(a, cl, vals);
    ((priv *)rel->priv_)->config = cv_deep_copy(a, vals); /* before coalescing touches anything */
    if (b ? chart_load_archive(a, b->chart_data, b->chart_len, arena_printf(a, "%s:%s", path, b->chart_member), &c,
                               err) != 0
          : chart_load_early(a, path, start_early, log_link, &early, &c, err) != 0)
        goto fail;
    if (*c->meta->type && strcmp(c->meta->type, "application") != 0) {
        cap_err_at(err, arena_printf(a, "%s/Chart.yaml", path), 0, 0, "%s charts are not installable", c->meta->type);
        goto fail;
    }
    if (cl && cl->prev_config && cl->values_mode == RENDER_VALUES_REUSE && old_chart_values(a, cl, c, err) != 0)
        goto fail;
    tmpl_prerender *pre = early.pre;
    if (early.given == 0) {
        srclist spec = {0};
        all_templates(a, c, NULL, true, &spec, 0);
        tmpl_prerender_add_all(pre, spec.s, spec.n);
    }
    /* left open: render_chart gives the subcharts' templates once it knows which are enabled */
    int rc = render_chart(a, path, o, rel, c, vals, &pre, err);
    tmpl_prerender_cancel(pre); /* NULL once render_chart has handed it to the render */
    return rc;
fail:
    tmpl_prerender_cancel(early.pre);
    return -1;
}

/* ---- the values schemas, checked while the templates run ---- */

typedef struct schema_check {
    const chart *c;
    arena *a;          /* its own: the render's arena is the render thread's meanwhile */
    cval *vals;        /* a copy of the coalesced values (templates may change theirs) */
    cap_err err;
    int rc;
    atomic_bool failed; /* tells the render to stop: its result is not wanted */
} schema_check;

static bool has_schema(const chart *c, int depth)
{
    if (c->schema)
        return true;
    for (size_t i = 0; depth < CHART_MAX_DEPTH && i < c->ndeps; i++)
        if (has_schema(c->deps[i], depth + 1))
            return true;
    return false;
}

static void schema_check_run(void *ctx)
{
    schema_check *sc = ctx;
    sc->rc = values_validate_schemas(sc->a, sc->c, sc->vals, &sc->err);
    if (sc->rc != 0)
        atomic_store(&sc->failed, true);
}

/* ---- the manifests' documents, read while later templates run ---- */

typedef struct prescan {
    manifest_scan **scans; /* by result index (each written by one thread) */
    size_t n;
} prescan;

static void prescan_one(void *ctx, tmpl_result *r, size_t i, arena *a)
{
    prescan *ps = ctx;
    if (i >= ps->n || ends_with(r->name, "NOTES.txt"))
        return;
    manifest_input in = {r->name, r->text, r->len, NULL};
    ps->scans[i] = manifest_scan_file(a, &in);
}

/* render(), from the loaded chart on; hands *pre to the render (and clears it) when it gets there. */
static int render_chart(arena *a, const char *path, const capstan_render_opts *o, capstan_release *rel, chart *c,
                        cval *vals, tmpl_prerender **pre, cap_err *err)
{
    if (o->log) {
        chart_log *lg = arena_zalloc(a, sizeof *lg);
        lg->fn = o->log;
        lg->ctx = o->log_ctx;
        c->log = lg;
    }
    if (c->meta->deprecated)
        chart_logf(c, "WARN", "this chart is deprecated", NULL);
    if (c->meta->ndeps > 0 && chart_check_deps(a, c, err) != 0)
        return -1;
    if (chart_process_deps(a, c, vals, err) != 0) {
        cap_err_prefix(err, "chart dependencies processing failed");
        return -1;
    }
    /* the enabled subcharts' templates, parsed while the values are coalesced
     * (listed with or without the thread: seeded draws count the arena's bytes) */
    srclist spec = {0};
    all_templates(a, c, NULL, true, &spec, 0);
    tmpl_prerender_add_all(*pre, spec.s, spec.n);
    tmpl_prerender_close(*pre);
    chart_caps *caps;
    const render_cluster *cl = ((priv *)rel->priv_)->cluster;
    const char *kube_version = o->kube_version;
    const char **apis = o->api_versions;
    size_t napis = o->n_api_versions;
    if (cl) {
        if (!kube_version || !*kube_version)
            kube_version = cl->kube_version;
        apis = arena_zalloc(a, (napis + cl->n_api_versions + 1) * sizeof *apis);
        if (napis)
            memcpy(apis, o->api_versions, napis * sizeof *apis);
        if (cl->n_api_versions)
            memcpy(apis + napis, cl->api_versions, cl->n_api_versions * sizeof *apis);
        napis += cl->n_api_versions;
    }
    if (chart_caps_new(a, kube_version, apis, napis, &caps, err) != 0)
        return -1;
    /* ToRenderValues */
    const char *name = o->release_name ? o->release_name : "release-name";
    const char *ns = o->namespace_ && *o->namespace_ ? o->namespace_ : "default";
    cval *top = cv_map_new(a);
    cval *relm = cv_map_new(a);
    cv_map_set(relm, "Name", cv_cstring(a, name));
    cv_map_set(relm, "Namespace", cv_cstring(a, ns));
    cv_map_set(relm, "IsUpgrade", cv_bool(o->is_upgrade));
    cv_map_set(relm, "IsInstall", cv_bool(!o->is_upgrade));
    cv_map_set(relm, "Revision", cv_goint(a, o->revision > 0 ? o->revision : 1));
    cv_map_set(relm, "Service", cv_cstring(a, "Helm"));
    cv_map_set(top, "Release", relm);
    cv_map_set(top, "Capabilities", chart_caps_object(a, caps));
    /* a release that is only written out keeps no chart: its defaults go into
     * the values as they are, without a copy */
    cval *cvals;
    int vrc = ((priv *)rel->priv_)->write_only ? values_coalesce_taking(a, c, vals, false, &cvals, err)
                                                : values_coalesce(a, c, vals, false, &cvals, err);
    if (vrc != 0)
        return -1;
    /* Helm checks the values against the schemas before it renders; capstan
     * checks them while the templates run (on a copy, on this thread, which
     * would otherwise wait), stops the render when they fail, and reports
     * the schemas' error rather than the render's. */
    schema_check sc = {c, NULL, NULL, CAP_ERR_INIT, 0, false};
    if (!o->skip_schema_validation && has_schema(c, 0)) {
        sc.a = arena_new();
        sc.vals = cv_deep_copy(sc.a, cvals);
    }
    cv_map_set(top, "Values", as_values(a, cvals));
    /* renderResources */
    tmpl_result *res = NULL;
    size_t nres = 0;
    int rc = 0;
    prescan ps = {NULL, 0};
    if (*c->meta->kube_version && !chart_semver_check(c->meta->kube_version, chart_caps_kube_version(caps))) {
        rc = cap_err_at(err, arena_printf(a, "%s/Chart.yaml", path), 0, 0,
                        "chart requires kubeVersion: %s which is incompatible with Kubernetes %s",
                        c->meta->kube_version, chart_caps_kube_git_version(caps));
        if (sc.a)
            schema_check_run(&sc);
    } else {
        srclist srcs = {0};
        all_templates(a, c, top, true, &srcs, 0);
        tmpl_opts topts = {0};
        topts.seed = o->seed;
        topts.enable_dns = o->enable_dns;
        if (cl) {
            topts.lookup = cl->lookup;
            topts.lookup_ctx = cl->lookup_ctx;
        }
        topts.max_memory = o->max_render_memory;
        topts.timeout_ms = o->render_timeout_ms;
        if (sc.a) {
            topts.side = schema_check_run;
            topts.side_ctx = &sc;
            topts.cancel = &sc.failed;
        }
        ps.n = srcs.n;
        ps.scans = arena_zalloc(a, (srcs.n + 1) * sizeof *ps.scans);
        topts.each = prescan_one;
        topts.each_ctx = &ps;
        tmpl_prerender *ahead = *pre;
        *pre = NULL;
        rc = tmpl_render_pre(ahead, a, srcs.s, srcs.n, &topts, &res, &nres, err);
    }
    if (sc.a) {
        if (sc.rc != 0) {
            cap_err_clear(err);
            cap_err_move(err, &sc.err);
            rc = -1;
        }
        cap_err_clear(&sc.err);
        arena_free(sc.a);
    }
    if (rc != 0)
        return -1;
    const char *notes_name = arena_printf(a, "%s/templates/NOTES.txt", chart_name(c));
    manifest_input *in = arena_zalloc(a, (nres + 1) * sizeof *in);
    size_t nin = 0;
    rel->notes = "";
    for (size_t i = 0; i < nres; i++) {
        if (ends_with(res[i].name, "NOTES.txt")) {
            /* helm: the chart's own; with --render-subchart-notes every chart's, a newline between */
            if (strcmp(res[i].name, notes_name) == 0 || o->subchart_notes)
                rel->notes = *rel->notes ? arena_printf(a, "%s\n%s", rel->notes, res[i].text) : res[i].text;
            continue;
        }
        in[nin].name = res[i].name;
        in[nin].text = res[i].text;
        in[nin].len = res[i].len;
        in[nin].scan = ps.scans ? ps.scans[i] : NULL;
        nin++;
    }
    manifest *ms, *hs;
    size_t nms, nhs;
    if (manifest_sort(a, in, nin, o->helm3_order ? MANIFEST_ORDER_HELM3 : MANIFEST_ORDER_HELM4, &ms, &nms, &hs,
                      &nhs, c, err) != 0)
        return -1;
    if (o->registry && *o->registry &&
        (rewrite_images(a, ms, nms, o->registry, err) != 0 || rewrite_images(a, hs, nhs, o->registry, err) != 0))
        return -1;
    priv *pv = rel->priv_;
    pv->ms = ms;
    pv->nms = nms;
    pv->hs = hs;
    pv->nhs = nhs;
    rel->manifests = arena_alloc(a, (nms + 1) * sizeof *rel->manifests);
    for (size_t i = 0; i < nms; i++)
        rel->manifests[i] = to_pub(&ms[i]);
    rel->n_manifests = nms;
    rel->hooks = arena_alloc(a, (nhs + 1) * sizeof *rel->hooks);
    for (size_t i = 0; i < nhs; i++)
        rel->hooks[i] = to_pub(&hs[i]);
    rel->n_hooks = nhs;
    size_t cap = 0;
    rel->crds = NULL;
    rel->n_crds = 0;
    collect_crds(a, c, &rel->crds, &rel->n_crds, &cap, 0);
    rel->name = name;
    rel->namespace_ = ns;
    rel->chart_name = chart_name(c);
    rel->chart_version = c->meta->version;
    rel->app_version = c->meta->app_version;
    ((priv *)rel->priv_)->chart = c;
    return 0;
}

/* render_for_cluster; write_only: the release will only be written out */
static int render_release(const char *chart_path, const capstan_render_opts *opts, const render_cluster *cl,
                          bool write_only, capstan_release **out, capstan_error *err)
{
    arena *a = arena_new();
    capstan_release *rel = arena_zalloc(a, sizeof *rel);
    priv *p = arena_zalloc(a, sizeof *p);
    p->a = a;
    p->cluster = cl;
    p->write_only = write_only;
    rel->priv_ = p;
    capstan_render_opts none = {0};
    cap_err e = CAP_ERR_INIT;
    if (render(a, chart_path, opts ? opts : &none, rel, &e) != 0) {
        arena_free(a);
        return cap_err_publish(err, &e, CAPSTAN_ERENDER);
    }
    p->cluster = NULL;
    *out = rel;
    return 0;
}

int render_for_cluster(const char *chart_path, const capstan_render_opts *opts, const render_cluster *cl,
                       capstan_release **out, capstan_error *err)
{
    return render_release(chart_path, opts, cl, false, out, err);
}

int capstan_render(const char *chart_path, const capstan_render_opts *opts, capstan_release **out,
                   capstan_error *err)
{
    OPTS_IN(capstan_render_opts, opts, err);
    return render_for_cluster(chart_path, opts, NULL, out, err);
}

void capstan_release_free(capstan_release *r)
{
    if (r)
        arena_free(((priv *)r->priv_)->a);
}


/* What `helm template` prints for a rendered release, into *all. */
static int template_text(capstan_release *rel, const capstan_render_opts *o, strbuf *out, cap_err *err)
{
    /* rel.Manifest: CRDs (with --include-crds), then the manifests */
    strbuf man = STRBUF_INIT;
    if (o->include_crds)
        for (size_t i = 0; i < rel->n_crds; i++)
            manifest_write(&man, rel->crds[i].source, rel->crds[i].content, rel->crds[i].len);
    for (size_t i = 0; i < rel->n_manifests; i++)
        manifest_write(&man, rel->manifests[i].source, rel->manifests[i].content, rel->manifests[i].len);
    if (o->post_render) {
        /* the post-renderer gets the manifests and gives back the release's manifest */
        size_t n = 0;
        char *emsg = NULL;
        char *res = o->post_render(o->post_render_ctx, sb_str(&man), man.len, &n, &emsg);
        sb_release(&man);
        if (!res) {
            cap_err_coded(err, CAPSTAN_ERENDER, "error while running post render on files: %s", emsg ? emsg : "failed");
            free(emsg);
            return -1;
        }
        sb_add(&man, res, n);
        free(res);
    }
    /* fmt.Fprintln(strings.TrimSpace(rel.Manifest)), then the hooks: trimmed in place */
    strbuf all = man;
    const char *s = sb_str(&all);
    size_t n = all.len;
    while (n && (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    if (n)
        memmove(all.buf, s, n);
    sb_setlen(&all, n);
    sb_addc(&all, '\n');
    if (!o->no_hooks)
        for (size_t i = 0; i < rel->n_hooks; i++) {
            if (o->skip_tests && rel->hooks[i].test)
                continue;
            manifest_write(&all, rel->hooks[i].source, rel->hooks[i].content, rel->hooks[i].len);
        }
    if (o->n_show_only > 0) {
        /* SplitManifests of the whole text, then each -s in turn */
        arena *a = arena_new();
        const char **docs;
        size_t *lens;
        size_t nd = manifest_split(a, sb_str(&all), all.len, &docs, &lens);
        strbuf res = STRBUF_INIT;
        for (size_t f = 0; f < o->n_show_only; f++) {
            bool missing = true;
            for (size_t k = 0; k < nd; k++) {
                const char *src = strstr(docs[k], "# Source: ");
                if (!src || src >= docs[k] + lens[k])
                    continue;
                src += 10;
                const char *eol = memchr(src, '\n', (size_t)(docs[k] + lens[k] - src));
                char *name = arena_strndup(a, src, eol ? (size_t)(eol - src) : (size_t)(docs[k] + lens[k] - src));
                const char *sl = strchr(name, '/');
                if (!sl || !sl[1])
                    continue;
                if (fnmatch(o->show_only[f], sl + 1, FNM_PATHNAME) != 0)
                    continue;
                sb_adds(&res, "---\n");
                sb_add(&res, docs[k], lens[k]);
                sb_addc(&res, '\n');
                missing = false;
            }
            if (missing) {
                cap_err_coded(err, CAPSTAN_ENOTFOUND, "could not find template %s in chart", o->show_only[f]);
                sb_release(&res);
                sb_release(&all);
                arena_free(a);
                return -1;
            }
        }
        arena_free(a);
        sb_release(&all);
        all = res;
    }
    *out = all;
    return 0;
}

/* A writer that drops leading and trailing spaces of what goes through it
 * (strings.TrimSpace as capstan_template applies it), holding back spaces
 * until it knows they are not trailing. */
typedef struct trim_writer {
    capstan_write_fn write;
    void *ctx;
    strbuf held;
    bool started;
    int rc;
} trim_writer;

static bool trim_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

static void tw_put(trim_writer *w, const char *p, size_t n)
{
    if (!w->started) {
        while (n && trim_space(*p))
            p++, n--;
        if (!n)
            return;
        w->started = true;
    }
    size_t e = n;
    while (e && trim_space(p[e - 1]))
        e--;
    if (e) {
        if (w->held.len && !w->rc)
            w->rc = w->write(w->ctx, w->held.buf, w->held.len);
        sb_reset(&w->held);
        if (!w->rc)
            w->rc = w->write(w->ctx, p, e);
    }
    sb_add(&w->held, p + e, n - e);
}

static void tw_manifest(trim_writer *w, const char *name, const char *content, size_t len)
{
    tw_put(w, "---\n# Source: ", 14);
    tw_put(w, name, strlen(name));
    tw_put(w, "\n", 1);
    tw_put(w, content, len);
    tw_put(w, "\n", 1);
}

int capstan_template_write(const char *chart_path, const capstan_render_opts *opts, capstan_write_fn write, void *ctx,
                           capstan_error *err)
{
    OPTS_IN(capstan_render_opts, opts, err);
    capstan_render_opts none = {0};
    return render_template_write(chart_path, opts ? opts : &none, NULL, write, ctx, err);
}

int render_template_write(const char *chart_path, const capstan_render_opts *o, const render_cluster *cl,
                          capstan_write_fn write, void *ctx, capstan_error *err)
{
    capstan_release *rel;
    if (render_release(chart_path, o, cl, true, &rel, err) != 0)
        return -1;
    int rc = render_release_write(rel, o, write, ctx, err);
    capstan_release_free(rel);
    return rc;
}

int render_release_write(capstan_release *rel, const capstan_render_opts *o, capstan_write_fn write, void *ctx,
                         capstan_error *err)
{
    int rc = 0;
    if (o->post_render || o->n_show_only > 0) {
        /* both need the whole text first */
        strbuf all = STRBUF_INIT;
        cap_err e = CAP_ERR_INIT;
        rc = template_text(rel, o, &all, &e);
        if (rc != 0)
            cap_err_publish(err, &e, CAPSTAN_ERENDER);
        if (rc == 0 && all.len && write(ctx, all.buf, all.len) != 0)
            rc = 1;
        sb_release(&all);
    } else {
        trim_writer w = {write, ctx, STRBUF_INIT, false, 0};
        if (o->include_crds)
            for (size_t i = 0; i < rel->n_crds; i++)
                tw_manifest(&w, rel->crds[i].source, rel->crds[i].content, rel->crds[i].len);
        for (size_t i = 0; i < rel->n_manifests; i++)
            tw_manifest(&w, rel->manifests[i].source, rel->manifests[i].content, rel->manifests[i].len);
        sb_release(&w.held);
        if (!w.rc)
            w.rc = write(ctx, "\n", 1);
        if (!o->no_hooks)
            for (size_t i = 0; i < rel->n_hooks && !w.rc; i++) {
                if (o->skip_tests && rel->hooks[i].test)
                    continue;
                strbuf one = STRBUF_INIT;
                manifest_write(&one, rel->hooks[i].source, rel->hooks[i].content, rel->hooks[i].len);
                w.rc = write(ctx, one.buf, one.len);
                sb_release(&one);
            }
        rc = w.rc ? 1 : 0;
    }
    if (rc > 0) {
        cap_err e = CAP_ERR_INIT;
        return cap_err_publish(err, (cap_err_coded(&e, CAPSTAN_EIO, "error writing the output"), &e), CAPSTAN_EIO);
    }
    return rc;
}

static int append_to(void *sb, const char *bytes, size_t n)
{
    sb_add(sb, bytes, n);
    return 0;
}

int capstan_template(const char *chart_path, const capstan_render_opts *opts, char **out, size_t *outlen,
                     capstan_error *err)
{
    OPTS_IN(capstan_render_opts, opts, err);
    strbuf all = STRBUF_INIT;
    if (capstan_template_write(chart_path, opts, append_to, &all, err) != 0) {
        sb_release(&all);
        return -1;
    }
    *out = sb_detach(&all, outlen);
    return 0;
}

int capstan_render_name(const char *name_template, char **out, capstan_error *err)
{
    arena *a = arena_new();
    cap_err e = CAP_ERR_INIT;
    tmpl_source src = {"name-template", name_template, strlen(name_template), cv_map_new(a), ""};
    tmpl_opts topts = {0};
    tmpl_result *res = NULL;
    size_t nres = 0;
    if (tmpl_render(a, &src, 1, &topts, &res, &nres, &e) != 0) {
        arena_free(a);
        return cap_err_publish(err, &e, CAPSTAN_ERENDER);
    }
    *out = xstrdup(nres ? res[0].text : "");
    arena_free(a);
    return 0;
}

/* ---- for helm lint (renderer/lint/lint_templates.c) ---------------------------------- */

void render_sources(arena *a, chart *c, cval *top, tmpl_source **out, size_t *n)
{
    srclist s = {0};
    all_templates(a, c, top, true, &s, 0);
    *out = s.s;
    *n = s.n;
}
