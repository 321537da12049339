/* diff_run.c — the capstan_diff_* API: which two manifests are compared.
 *
 * upgrade: the release's latest deployed revision (manifest and hooks, as
 * `helm get manifest` and `helm get hooks` print them) against the chart
 * rendered as upgrade renders it, against the cluster. rollback, revision,
 * release: stored manifests (no hooks), as helm-diff. With --live the two
 * sides are the cluster's objects and a server-side apply dry run instead
 * (diff_live.c).
 */
#include "capstan.h"
#include "core/value.h"
#include "core/opts.h"
#include "installer/kube/cluster.h"
#include "installer/release/cluster_render.h"
#include "installer/release/diff.h"
#include "renderer/manifest.h"
#include "installer/release/release_build.h"
#include "installer/release/release_store.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *str_or_empty(const cval *v)
{
    const char *s = cv_str(v);
    return s ? s : "";
}

/* One call of the API: its error, its output, whether something changed. */
typedef struct run {
    cap_err err;
    strbuf out;
    bool changed;
} run;

static bool run_start(run *r, const capstan_diff_opts *o)
{
    *r = (run){CAP_ERR_INIT, STRBUF_INIT, false};
    if (!o || o->size < sizeof *o) {
        cap_err_set(&r->err, "capstan_diff_opts: size is %zu, want %zu (set size = sizeof (capstan_diff_opts))",
                    o ? o->size : 0, sizeof *o);
        return false;
    }
    return true;
}

int diff_error_out(capstan_error *out, cap_err *e)
{
    if (out) {
        out->msg = cap_err_format(e);
        out->file = e->file ? xstrdup(e->file) : NULL;
        out->line = e->line;
        out->col = e->col;
    }
    cap_err_clear(e);
    return -1;
}

/* Hand the output (or the error) to the caller. */
static int run_end(run *r, int rc, char **out, size_t *outlen, bool *changed, capstan_error *perr)
{
    if (changed)
        *changed = r->changed;
    if (rc < 0) {
        sb_release(&r->out);
        return diff_error_out(perr, &r->err);
    }
    size_t n;
    char *s = sb_detach(&r->out, &n);
    if (out)
        *out = s;
    else
        free(s);
    if (outlen)
        *outlen = n;
    return 0;
}

/* Compare and print; old/new are manifest texts (with --live and an api: looked up in the
 * cluster, as objects of release). */
static int compare(arena *a, kube_api *api, const char *release, const char *oldm, const char *newm, const char *old_ns,
                   const char *new_ns, bool by_source, const capstan_diff_opts *o, run *r)
{
    cap_err *err = &r->err;
    diff_index oi, ni;
    if (o->live && api) {
        if (diff_live(api, a, release, oldm, newm, new_ns, o, &oi, &ni, err) < 0)
            return -1;
    } else if (diff_index_parse(a, oldm, strlen(oldm), old_ns, o->normalize_manifests, o->include_tests,
                                "the stored manifest", &oi, err) < 0 ||
               diff_index_parse(a, newm, strlen(newm), new_ns, o->normalize_manifests, o->include_tests,
                                "the new manifest", &ni, err) < 0) {
        return -1;
    }
    if (by_source) {
        diff_index_by_source(a, &oi);
        diff_index_by_source(a, &ni);
    }
    return diff_report(a, &oi, &ni, o, &r->out, &r->changed, err);
}

int capstan_diff_manifests(const char *old_manifest, const char *new_manifest, const char *ns,
                           const capstan_diff_opts *o, char **out, size_t *outlen, bool *changed, capstan_error *perr)
{
    OPTS_IN(capstan_diff_opts, o, perr);
    run r;
    if (!run_start(&r, o))
        return run_end(&r, -1, out, outlen, changed, perr);
    arena *a = arena_new();
    int rc = compare(a, NULL, NULL, old_manifest ? old_manifest : "", new_manifest ? new_manifest : "",
                     ns ? ns : "default", ns ? ns : "default", false, o, &r);
    arena_free(a);
    return run_end(&r, rc, out, outlen, changed, perr);
}

/* The manifest of a stored revision, hooks appended as `helm get hooks` prints them. */
static const char *stored_text(arena *a, const cval *rel, bool hooks)
{
    const char *m = str_or_empty(cv_get(rel, "manifest"));
    if (!hooks)
        return m;
    strbuf sb = STRBUF_INIT;
    sb_adds(&sb, m);
    sb_addc(&sb, '\n');
    const cval *hs = cv_get(rel, "hooks");
    for (size_t i = 0; hs && hs->kind == CV_LIST && i < cv_list_len(hs); i++) {
        const cval *h = cv_list_get(hs, i);
        sb_addf(&sb, "---\n# Source: %s\n%s\n", str_or_empty(cv_get(h, "path")), str_or_empty(cv_get(h, "manifest")));
    }
    char *s = arena_strndup(a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return s;
}

static const release_rec *find_rev(const release_rec *recs, size_t n, long v)
{
    for (size_t i = 0; i < n; i++)
        if (recs[i].version == v)
            return &recs[i];
    return NULL;
}

static int history(cluster *c, const char *name, release_rec **recs, size_t *n, cap_err *err)
{
    if (release_history(c->api, c->a, c->ns, name, recs, n, err) < 0)
        return -1;
    if (*n == 0)
        return cap_err_set(err, "release: not found");
    return 0;
}

static int render_new(cluster *c, const char *name, const char *chart, const capstan_install_opts *io,
                      long revision, const release_rec *current, const capstan_diff_opts *o, const char **text,
                      cap_err *err)
{
    bool upgrade = current != NULL;
    capstan_render_opts ro = io->render;
    ro.release_name = name;
    ro.namespace_ = c->ns;
    ro.is_upgrade = upgrade;
    ro.revision = (int)revision;
    render_cluster cl;
    if (cluster_render_prepare(c->api, c->a, &cl, err) < 0)
        return -1;
    if (current) /* the values upgrade would use (helm 4's reuseValues) */
        cluster_render_prev_values(&cl, c->a, current->rel, io);
    capstan_release *r = NULL;
    capstan_error e = {0};
    if (render_for_cluster(chart, &ro, &cl, &r, &e) < 0) {
        cap_err_at(err, e.file, e.line, e.col, "%s", e.msg ? e.msg : "render failed");
        capstan_error_clear(&e);
        return -1;
    }
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; o->include_crds && !o->live && i < r->n_crds; i++)
        manifest_write(&sb, r->crds[i].source, r->crds[i].content, r->crds[i].len);
    sb_adds(&sb, release_manifest_text(c->a, r, false));
    for (size_t i = 0; !o->no_hooks && !o->live && i < r->n_hooks; i++)
        manifest_write(&sb, r->hooks[i].source, r->hooks[i].content, r->hooks[i].len);
    *text = arena_strndup(c->a, sb_str(&sb), sb.len);
    sb_release(&sb);
    capstan_release_free(r);
    return 0;
}

static int upgrade(cluster *c, const char *release, const char *chart_path, const capstan_install_opts *io,
                   const capstan_diff_opts *o, run *r)
{
    release_rec *recs;
    size_t n;
    if (release_history(c->api, c->a, c->ns, release, &recs, &n, &r->err) < 0)
        return -1;
    const release_rec *cur = NULL;
    for (size_t i = n; i-- > 0 && !cur;)
        if (recs[i].status && strcmp(recs[i].status, "deployed") == 0)
            cur = &recs[i];
    if (!cur && n)
        cur = &recs[n - 1];
    if (!cur && !o->allow_unreleased)
        return cap_err_set(&r->err, "release: not found: release \"%s\" is not installed in namespace \"%s\" (diff "
                                    "install, or --install, diffs a new release)", release, c->ns);
    const char *newm;
    if (render_new(c, release, chart_path, io, n ? recs[n - 1].version + 1 : 1, cur, o, &newm, &r->err) < 0)
        return -1;
    const char *oldm = cur ? stored_text(c->a, cur->rel, !o->no_hooks && !o->live) : "";
    return compare(c->a, c->api, release, oldm, newm, c->ns, c->ns, false, o, r);
}

int capstan_diff_upgrade(const char *release, const char *chart_path, const capstan_install_opts *io,
                         const capstan_diff_opts *o, char **out, size_t *outlen, bool *changed, capstan_error *perr)
{
    OPTS_IN(capstan_install_opts, io, perr);
    OPTS_IN(capstan_diff_opts, o, perr);
    run r;
    if (!run_start(&r, o))
        return run_end(&r, -1, out, outlen, changed, perr);
    cluster c;
    int rc = cluster_open(&c, &io->kube, &r.err);
    if (rc == 0)
        rc = upgrade(&c, release, chart_path, io, o, &r);
    cluster_close(&c);
    return run_end(&r, rc, out, outlen, changed, perr);
}

/* Two stored revisions of one release: old_v against new_v (0 or less: that
 * many before the latest). */
static int stored(cluster *c, const char *release, long old_v, long new_v, const capstan_diff_opts *o, run *r)
{
    release_rec *recs;
    size_t n;
    if (history(c, release, &recs, &n, &r->err) < 0)
        return -1;
    long latest = recs[n - 1].version;
    if (old_v <= 0)
        old_v += latest;
    if (new_v <= 0)
        new_v += latest;
    const release_rec *ro = find_rev(recs, n, old_v), *rn = find_rev(recs, n, new_v);
    if (!ro || !rn)
        return cap_err_set(&r->err, "release: not found: release \"%s\" has no revision %ld", release,
                           !ro ? old_v : new_v);
    return compare(c->a, c->api, release, stored_text(c->a, ro->rel, false), stored_text(c->a, rn->rel, false), c->ns, c->ns,
                   false, o, r);
}

static int diff_stored(const char *release, long old_v, long new_v, const capstan_kube_opts *k,
                       const capstan_diff_opts *o, char **out, size_t *outlen, bool *changed, capstan_error *perr)
{
    run r;
    if (!run_start(&r, o))
        return run_end(&r, -1, out, outlen, changed, perr);
    cluster c;
    int rc = cluster_open(&c, k, &r.err);
    if (rc == 0)
        rc = stored(&c, release, old_v, new_v, o, &r);
    cluster_close(&c);
    return run_end(&r, rc, out, outlen, changed, perr);
}

int capstan_diff_rollback(const char *release, int revision, const capstan_kube_opts *k, const capstan_diff_opts *o,
                          char **out, size_t *outlen, bool *changed, capstan_error *err)
{
    OPTS_IN(capstan_diff_opts, o, err);
    /* the latest revision is the old side; the revision rolled back to, the new */
    return diff_stored(release, 0, revision > 0 ? revision : -1, k, o, out, outlen, changed, err);
}

int capstan_diff_revision(const char *release, int a, int b, const capstan_kube_opts *k, const capstan_diff_opts *o,
                          char **out, size_t *outlen, bool *changed, capstan_error *err)
{
    OPTS_IN(capstan_diff_opts, o, err);
    if (b > 0 && b < a) {
        int t = a;
        a = b;
        b = t;
    }
    return diff_stored(release, a, b, k, o, out, outlen, changed, err);
}

static int two_releases(cluster *c1, const char *release1, cluster *c2, const char *release2,
                        const capstan_diff_opts *o, run *r)
{
    release_rec *r1, *r2;
    size_t n1, n2;
    if (history(c1, release1, &r1, &n1, &r->err) < 0 || history(c2, release2, &r2, &n2, &r->err) < 0)
        return -1;
    const cval *rel1 = r1[n1 - 1].rel, *rel2 = r2[n2 - 1].rel;
    const char *ch1 = str_or_empty(cv_get(cv_get(cv_get(rel1, "chart"), "metadata"), "name"));
    const char *ch2 = str_or_empty(cv_get(cv_get(cv_get(rel2, "chart"), "metadata"), "name"));
    if (strcmp(ch1, ch2) != 0)
        return cap_err_set(&r->err, "Incomparable Releases: unable to compare releases from two different charts "
                                    "\"%s\", \"%s\"", ch1, ch2);
    capstan_diff_opts flat = *o;
    flat.live = false; /* two stored releases: no live side */
    return compare(c1->a, NULL, NULL, stored_text(c1->a, rel1, false), arena_strdup(c1->a, stored_text(c2->a, rel2, false)),
                   c1->ns, c2->ns, true, &flat, r);
}

int capstan_diff_release(const char *release1, const capstan_kube_opts *k1, const char *release2,
                         const capstan_kube_opts *k2, const capstan_diff_opts *o, char **out, size_t *outlen,
                         bool *changed, capstan_error *perr)
{
    OPTS_IN(capstan_diff_opts, o, perr);
    run r;
    if (!run_start(&r, o))
        return run_end(&r, -1, out, outlen, changed, perr);
    cluster c1, c2;
    memset(&c2, 0, sizeof c2);
    int rc = cluster_open(&c1, k1, &r.err);
    if (rc == 0)
        rc = cluster_open(&c2, k2, &r.err);
    if (rc == 0)
        rc = two_releases(&c1, release1, &c2, release2, o, &r);
    if (c2.a)
        cluster_close(&c2);
    cluster_close(&c1);
    return run_end(&r, rc, out, outlen, changed, perr);
}
