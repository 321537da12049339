/* dep_resolve.c — `dependency update|build`: resolve, download, lock, as
 * helm's pkg/downloader Manager and internal/resolver do (see dep_resolve.h).
 *
 * Where capstan differs from helm, on purpose (air gaps):
 *  - only the repositories the dependencies use are refreshed, not all;
 *  - an archive already in charts/ (or in helm's content cache) whose digest
 *    (or name and version, when no index says a digest) is right is reused,
 *    not downloaded again;
 *  - build with every locked archive in charts/, and update with Chart.lock in
 *    sync with Chart.yaml and every locked archive in charts/, open no
 *    connection at all (update re-resolves with re_resolve).
 */
#include "installer/net/dep_int.h"
#include "installer/net/dep_resolve.h"
#include "core/fsutil.h"
#include "installer/net/oci.h"
#include "installer/net/repo.h"
#include "core/semver.h"
#include "core/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MANAGER_PREFIX "helm-manager-"

typedef struct ctx {
    arena *a;
    const dep_opts *o;
    dep_chart ch;
    chart_dep **req;            /* copies of Chart.yaml's deps (repository rewritten for @alias) */
    size_t nreq;
    const char **repo_names;    /* per req: cache name of its repository, or NULL */
    repo_file rf;
    char *config_path, *cache_dir;
    repo_entry *unmanaged;      /* helm-manager-* repositories of plain URLs */
    size_t nunmanaged;
    oci_client *oci;            /* made on first use */
    const char **ix_names;      /* indexes read so far, by repository cache name */
    repo_index **ix;
    size_t nix;
} ctx;

static void say(ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(ctx *c, const char *fmt, ...)
{
    if (!c->o->out)
        return;
    strbuf b = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&b, fmt, ap);
    va_end(ap);
    c->o->out(c->o->out_ud, sb_str(&b));
    sb_release(&b);
}

static bool has_prefix(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }
static bool is_file_repo(const char *r) { return has_prefix(r, "file://"); }
static bool is_oci(const char *r) { return has_prefix(r, "oci://"); }
static bool is_local(const char *r) { return !*r || is_file_repo(r) || is_oci(r); }

/* resolver.GetLocalPath */
static const char *local_path(ctx *c, const char *repo, cap_err *err)
{
    const char *p = repo + (is_file_repo(repo) ? 7 : 0);
    char *clean = fsu_clean(*p == '/' ? p : arena_printf(c->a, "%s/%s", c->ch.dir, p));
    const char *path = arena_strdup(c->a, clean);
    free(clean);
    struct stat st;
    if (stat(path, &st) != 0) {
        cap_err_set(err, "directory %s not found", path);
        return NULL;
    }
    return path;
}

static int setup(ctx *c, const char *dir, const dep_opts *o, cap_err *err)
{
    static const dep_opts none = {0};
    memset(c, 0, sizeof *c);
    c->a = arena_new();
    c->o = o ? o : &none;
    if (dep_read_chart(c->a, dir, &c->ch, err) != 0)
        return -1;
    c->nreq = c->ch.meta->ndeps;
    c->req = arena_zalloc(c->a, (c->nreq ? c->nreq : 1) * sizeof *c->req);
    c->repo_names = arena_zalloc(c->a, (c->nreq ? c->nreq : 1) * sizeof *c->repo_names);
    for (size_t i = 0; i < c->nreq; i++) {
        c->req[i] = arena_alloc(c->a, sizeof **c->req);
        *c->req[i] = *c->ch.meta->deps[i];
    }
    c->config_path = c->o->repo_config ? xstrdup(c->o->repo_config) : repo_config_path();
    c->cache_dir = c->o->repo_cache ? xstrdup(c->o->repo_cache) : repo_cache_dir();
    return repo_file_load(c->config_path, &c->rf, NULL, err);
}

static void teardown(ctx *c)
{
    oci_client_free(c->oci);
    repo_file_free(&c->rf);
    for (size_t i = 0; i < c->nunmanaged; i++)
        repo_entry_free(&c->unmanaged[i]);
    free(c->unmanaged);
    free(c->config_path);
    free(c->cache_dir);
    arena_free(c->a);
}

/* url.ParseRequestURI succeeds: an absolute URL or an absolute path. */
static bool request_uri(const char *s)
{
    if (*s == '/')
        return true;
    size_t i = 0;
    while (s[i] && (s[i] == '+' || s[i] == '-' || s[i] == '.' || (s[i] >= 'a' && s[i] <= 'z') ||
                    (s[i] >= 'A' && s[i] <= 'Z') || (i && s[i] >= '0' && s[i] <= '9')))
        i++;
    return i > 0 && s[i] == ':';
}

/* Manager.resolveRepoNames (+ ensureMissingRepos' names for plain URLs). */
static int resolve_repo_names(ctx *c, cap_err *err)
{
    strbuf missing = STRBUF_INIT;
    bool non_url = false;
    size_t nmissing = 0;
    for (size_t i = 0; i < c->nreq; i++) {
        chart_dep *d = c->req[i];
        if (!*d->repository)
            continue;
        if (is_file_repo(d->repository)) {
            if (!local_path(c, d->repository, err)) {
                sb_release(&missing);
                return -1;
            }
            c->repo_names[i] = d->repository;
            continue;
        }
        if (is_oci(d->repository)) {
            c->repo_names[i] = d->repository;
            continue;
        }
        bool found = false;
        for (size_t r = 0; r < c->rf.n && !found; r++) {
            repo_entry *e = &c->rf.repos[r];
            const char *alias = has_prefix(d->repository, "@") ? d->repository + 1
                                : has_prefix(d->repository, "alias:") ? d->repository + 6 : NULL;
            if (alias && strcmp(alias, e->name) == 0) {
                d->repository = arena_strdup(c->a, e->url);
                c->repo_names[i] = arena_strdup(c->a, e->name);
                found = true;
            } else if (!alias && repo_url_equal(e->url, d->repository)) {
                c->repo_names[i] = arena_strdup(c->a, e->name);
                found = true;
            }
        }
        if (found || request_uri(d->repository))
            continue;
        sb_addf(&missing, "%s%s", nmissing++ ? ", " : "", d->repository);
        if (!strstr(d->repository, "//") && !has_prefix(d->repository, "@") && !has_prefix(d->repository, "alias:"))
            non_url = true;
    }
    if (nmissing) {
        cap_err_set(err, "no repository definition for %s. Please add them via 'helm repo add'%s", missing.buf,
                    non_url ? "\nNote that repositories must be URLs or aliases. For example, to refer to the \"example\"\n"
                              "repository, use \"https://charts.example.com/\" or \"@example\" instead of\n"
                              "\"example\". Don't forget to add the repo, too ('helm repo add')." : "");
        sb_release(&missing);
        return -1;
    }
    return 0;
}

/* ensureMissingRepos: a plain URL no configured repository has gets a cache
 * name helm-manager-SHA256(url). */
static void name_unmanaged(ctx *c)
{
    for (size_t i = 0; i < c->nreq; i++) {
        chart_dep *d = c->req[i];
        if (!*d->repository || c->repo_names[i])
            continue;
        char hex[65];
        dep_sha256_hex(d->repository, strlen(d->repository), hex);
        c->repo_names[i] = arena_printf(c->a, MANAGER_PREFIX "%s", hex);
        bool have = false;
        for (size_t k = 0; k < c->nunmanaged && !have; k++)
            have = strcmp(c->unmanaged[k].name, c->repo_names[i]) == 0;
        if (have)
            continue;
        c->unmanaged = xrealloc(c->unmanaged, (c->nunmanaged + 1) * sizeof *c->unmanaged);
        repo_entry *e = &c->unmanaged[c->nunmanaged++];
        memset(e, 0, sizeof *e);
        e->name = xstrdup(c->repo_names[i]);
        e->url = xstrdup(d->repository);
    }
}

/* The repository entry (configured or unmanaged) a URL belongs to. */
static const repo_entry *entry_for_url(ctx *c, const char *url)
{
    for (size_t r = 0; r < c->rf.n; r++)
        if (repo_url_equal(c->rf.repos[r].url, url))
            return &c->rf.repos[r];
    for (size_t r = 0; r < c->nunmanaged; r++)
        if (repo_url_equal(c->unmanaged[r].url, url))
            return &c->unmanaged[r];
    return NULL;
}

static const repo_entry *entry_named(ctx *c, const char *name)
{
    const repo_entry *e = repo_file_get(&c->rf, name);
    for (size_t r = 0; !e && r < c->nunmanaged; r++)
        if (strcmp(c->unmanaged[r].name, name) == 0)
            e = &c->unmanaged[r];
    return e;
}

/* Refresh the indexes of the repositories the dependencies use (helm refreshes
 * every configured one), in parallel. Failures are reported and skipped, as
 * helm does. */
static void refresh(ctx *c)
{
    const char **done = arena_zalloc(c->a, (c->nreq + 1) * sizeof *done);
    size_t ndone = 0;
    for (int pass = 0; pass < 2; pass++) {   /* unmanaged repositories first, as helm */
        const repo_entry **batch = arena_zalloc(c->a, (c->nreq + 1) * sizeof *batch);
        size_t nb = 0;
        for (size_t i = 0; i < c->nreq; i++) {
            const char *rn = c->repo_names[i];
            if (!rn || is_local(c->req[i]->repository) || has_prefix(rn, MANAGER_PREFIX) != (pass == 0))
                continue;
            bool seen = false;
            for (size_t k = 0; k < ndone && !seen; k++)
                seen = strcmp(done[k], rn) == 0;
            const repo_entry *e = seen ? NULL : entry_named(c, rn);
            if (seen || !e)
                continue;
            done[ndone++] = rn;
            batch[nb++] = e;
        }
        if (!nb)
            continue;
        say(c, pass == 0 ? "Getting updates for unmanaged Helm repositories..."
                         : "Hang tight while we grab the latest from your chart repositories...");
        cap_err *errs = arena_zalloc(c->a, nb * sizeof *errs);
        repo_update_indexes(batch, nb, c->cache_dir, errs);
        for (size_t k = 0; k < nb; k++) {
            const repo_entry *e = batch[k];
            if (errs[k].msg) {
                char *m = cap_err_format(&errs[k]);
                if (pass == 0)
                    say(c, "...Unable to get an update from the \"%s\" chart repository:\n\t%s", e->url, m);
                else
                    say(c, "...Unable to get an update from the \"%s\" chart repository (%s):\n\t%s", e->name, e->url, m);
                free(m);
                cap_err_clear(&errs[k]);
            } else {
                say(c, "...Successfully got an update from the \"%s\" chart repository", pass == 0 ? e->url : e->name);
            }
        }
        if (pass == 1)
            say(c, "Update Complete. \xe2\x8e\x88Happy Helming!\xe2\x8e\x88");
    }
}

static repo_index *cached_index(ctx *c, const char *repo_name, cap_err *err)
{
    for (size_t i = 0; i < c->nix; i++)
        if (strcmp(c->ix_names[i], repo_name) == 0)
            return c->ix[i];
    char *p = repo_cache_index_path(c->cache_dir, repo_name);
    repo_index *ix = NULL;
    int rc = repo_index_load(c->a, p, &ix, err);
    free(p);
    if (rc != 0)
        return NULL;
    c->ix_names = arena_realloc(c->a, c->ix_names, c->nix * sizeof *c->ix_names, (c->nix + 1) * sizeof *c->ix_names);
    c->ix = arena_realloc(c->a, c->ix, c->nix * sizeof *c->ix, (c->nix + 1) * sizeof *c->ix);
    c->ix_names[c->nix] = arena_strdup(c->a, repo_name);
    c->ix[c->nix++] = ix;
    return ix;
}

static oci_client *oci_for(ctx *c, cap_err *err)
{
    if (!c->oci) {
        oci_opts o = {0};
        o.plain_http = c->o->plain_http;
        o.registry_config = c->o->registry_config;
        c->oci = oci_client_new(&o, err);
    }
    return c->oci;
}

/* "oci://HOST/REPO" + "/NAME" */
static const char *oci_chart_ref(ctx *c, const char *repository, const char *name)
{
    size_t n = strlen(repository);
    while (n > 6 && repository[n - 1] == '/')
        n--;
    return arena_printf(c->a, "%.*s/%s", (int)n, repository, name);
}

static int oci_best_tag(ctx *c, const chart_dep *d, const semver_constraints *con, const char **tag, cap_err *err)
{
    *tag = NULL;
    if (c->o->offline)
        return cap_err_set(err, "dependency \"%s\": listing the tags of %s needs the network (offline)", d->name,
                           d->repository);
    oci_client *oc = oci_for(c, err);
    if (!oc)
        return -1;
    oci_ref ref;
    const char *r = oci_chart_ref(c, d->repository, d->name);
    if (oci_ref_parse(r + 6, OCI_REF_NEED_HOST, &ref, err) != 0)
        return -1;
    char **tags = NULL;
    size_t n = 0;
    int rc = oci_list_tags(oc, &ref, &tags, &n, err);
    if (rc != 0)
        cap_err_prefix(err, "could not retrieve list of tags for repository %s", d->repository);
    semver_version best = {0};
    for (size_t i = 0; rc == 0 && i < n; i++) {
        /* helm: '_' in a tag stands for '+' */
        char *t = arena_strdup(c->a, tags[i]);
        for (char *p = t; *p; p++)
            if (*p == '_')
                *p = '+';
        semver_version v;
        const char *why;
        if (semver_parse(c->a, t, &v, &why) != 0 || !semver_constraints_check(con, &v))
            continue;
        if (!*tag || semver_compare(&v, &best) > 0) {
            best = v;
            *tag = t;
        }
    }
    oci_free_strings(tags, n);
    oci_ref_release(&ref);
    return rc;
}

/* Resolver.Resolve: the version of each dependency. */
static int resolve(ctx *c, dep_locked **out, cap_err *err)
{
    dep_locked *locked = arena_zalloc(c->a, (c->nreq ? c->nreq : 1) * sizeof *locked);
    strbuf missing = STRBUF_INIT;
    size_t nmissing = 0;
    for (size_t i = 0; i < c->nreq; i++) {
        chart_dep *d = c->req[i];
        const char *why = NULL;
        semver_constraints *con = semver_constraints_parse(c->a, d->version, &why);
        if (!con) {
            sb_release(&missing);
            return cap_err_set(err, "dependency \"%s\" has an invalid version/constraint format: %s", d->name, why);
        }
        locked[i].name = d->name;
        locked[i].repository = d->repository;
        locked[i].version = d->version;
        bool ok = true;
        if (!*d->repository) {
            ok = local_path(c, arena_printf(c->a, "charts/%s", d->name), err) != NULL;
            if (!ok) {
                semver_constraints_free(con);
                sb_release(&missing);
                return -1;
            }
        } else if (is_file_repo(d->repository)) {
            const char *p = local_path(c, d->repository, err);
            dep_chart sub;
            if (!p || dep_read_chart(c->a, p, &sub, err) != 0) {
                semver_constraints_free(con);
                sb_release(&missing);
                return -1;
            }
            semver_version v;
            if (semver_parse(c->a, sub.meta->version, &v, &why) == 0) {
                ok = semver_constraints_check(con, &v);
                locked[i].version = sub.meta->version;
            }
        } else if (is_oci(d->repository)) {
            semver_version v;
            if (semver_parse(c->a, d->version, &v, &why) != 0) {
                /* a range: the highest tag that satisfies it (helm's registry client sorts the tags) */
                const char *tag = NULL;
                if (oci_best_tag(c, d, con, &tag, err) != 0) {
                    semver_constraints_free(con);
                    sb_release(&missing);
                    return -1;
                }
                ok = tag != NULL;
                if (tag)
                    locked[i].version = tag;
            }
        } else {
            repo_index *ix = cached_index(c, c->repo_names[i], err);
            if (!ix) {
                cap_err_prefix(err, "no cached repository for %s found. (try 'helm repo update')", c->repo_names[i]);
                semver_constraints_free(con);
                sb_release(&missing);
                return -1;
            }
            const repo_index_entry *e = repo_index_find(ix, d->name);
            if (!e) {
                semver_constraints_free(con);
                sb_release(&missing);
                return cap_err_set(err, "%s chart not found in repo %s", d->name, d->repository);
            }
            const repo_chart_version *best = repo_index_best(c->a, e, d->version, true, false, &why);
            ok = best != NULL;
            if (best)
                locked[i].version = best->version;
        }
        semver_constraints_free(con);
        if (!ok)
            sb_addf(&missing, "%s\"%s\" (repository \"%s\", version \"%s\")", nmissing++ ? ", " : "", d->name,
                    d->repository, d->version);
    }
    if (nmissing) {
        cap_err_set(err, "can't get a valid version for %zu subchart(s): %s. Make sure a matching chart version exists in "
                    "the repo, or change the version constraint in Chart.yaml", nmissing, missing.buf);
        sb_release(&missing);
        return -1;
    }
    *out = locked;
    return 0;
}

static const char *hash_req(ctx *c, const dep_locked *locked, size_t n)
{
    strbuf r = STRBUF_INIT, l = STRBUF_INIT;
    dep_json_reqs(&r, c->req, c->nreq);
    dep_json_locked(&l, locked, n);
    char out[72];
    dep_hash_req(sb_str(&r), sb_str(&l), out);
    sb_release(&r);
    sb_release(&l);
    return arena_strdup(c->a, out);
}

/* ---- charts/ ------------------------------------------------------------------ */

static int copy_file(const char *from, const char *to, cap_err *err)
{
    strbuf b = STRBUF_INIT;
    int rc = fsu_read_file(from, &b, err);
    if (rc == 0)
        rc = fsu_write_atomic(to, sb_str(&b), b.len, 0644, err);
    sb_release(&b);
    return rc;
}

static bool file_sha256(const char *path, char hex[65])
{
    strbuf b = STRBUF_INIT;
    cap_err e = CAP_ERR_INIT;
    bool ok = fsu_read_file(path, &b, &e) == 0;
    cap_err_clear(&e);
    if (ok)
        dep_sha256_hex(sb_str(&b), b.len, hex);
    sb_release(&b);
    return ok;
}

/* Is the archive at path the chart name-version (and, with a digest, exactly it)? */
static bool archive_is(ctx *c, const char *path, const char *name, const char *version, const char *digest)
{
    if (access(path, R_OK) != 0)
        return false;
    if (digest && *digest) {
        char hex[65];
        const char *want = has_prefix(digest, "sha256:") ? digest + 7 : digest;
        return file_sha256(path, hex) && strcasecmp(hex, want) == 0;
    }
    const char *n, *v;
    cap_err e = CAP_ERR_INIT;
    int rc = dep_peek_chart(c->a, path, &n, &v, &e);
    cap_err_clear(&e);
    return rc == 0 && strcmp(n, name) == 0 && strcmp(v, version) == 0;
}

/* helm's content cache: $HELM_CONTENT_CACHE or $HELM_CACHE_HOME/content, XX/HEX.chart */
static char *content_cache_path(const char *digest)
{
    const char *hex = has_prefix(digest, "sha256:") ? digest + 7 : digest;
    if (strlen(hex) != 64)
        return NULL;
    strbuf b = STRBUF_INIT;
    const char *v = getenv("HELM_CONTENT_CACHE");
    if (v && *v) {
        sb_adds(&b, v);
    } else {
        char *rc = repo_cache_dir();   /* .../repository: its parent is helm's cache home */
        char *slash = strrchr(rc, '/');
        if (slash)
            *slash = '\0';
        sb_addf(&b, "%s/content", rc);
        free(rc);
    }
    sb_addf(&b, "/%.2s/%s.chart", hex, hex);
    return sb_detach(&b, NULL);
}

static const char *url_base(arena *a, const char *url)
{
    size_t n = strcspn(url, "?#");
    const char *p = url + n;
    const char *s = p;
    while (s > url && s[-1] != '/')
        s--;
    return arena_strndup(a, s, (size_t)(p - s));
}

typedef struct fetch_plan {
    const char *url, *digest, *file;
    const repo_entry *entry;
} fetch_plan;

/* findChartURL: where locked dependency l comes from (from the cached index). */
static int find_chart(ctx *c, const dep_locked *l, fetch_plan *fp, cap_err *err)
{
    memset(fp, 0, sizeof *fp);
    const repo_entry *e = entry_for_url(c, l->repository);
    if (!e)
        return cap_err_set(err, "no repository definition for %s", l->repository);
    fp->entry = e;
    repo_index *ix = cached_index(c, e->name, err);
    if (!ix) {
        cap_err_prefix(err, "no cached repository for %s found. (try 'helm repo update')", e->name);
        return -1;
    }
    const repo_index_entry *ie = repo_index_find(ix, l->name);
    const repo_chart_version *v = NULL;
    semver_version want;
    const char *why;
    bool want_ok = semver_parse(c->a, l->version, &want, &why) == 0;
    for (size_t i = 0; ie && i < ie->n && !v; i++) {
        const repo_chart_version *cv = &ie->versions[i];
        if (!cv->nurls)
            continue;
        if (!*l->version || (want_ok ? cv->semver_ok && semver_compare(&cv->sv, &want) == 0
                                     : strcmp(cv->version, l->version) == 0))
            v = cv;
    }
    if (!v)
        return cap_err_set(err, "could not find %s: chart %s version %s not found in %s", l->repository, l->name,
                           l->version, l->repository);
    fp->url = repo_resolve_url(l->repository, v->urls[0]);
    char *keep = fp->url ? arena_strdup(c->a, fp->url) : NULL;
    free((char *)fp->url);
    fp->url = keep;
    fp->digest = v->digest;
    fp->file = url_base(c->a, fp->url);
    return 0;
}

/* Is every archive of the lock already in charts/? (then no network is needed) */
static bool charts_complete(ctx *c, const dep_locked *deps, size_t n)
{
    const char *charts = arena_printf(c->a, "%s/charts", c->ch.dir);
    for (size_t i = 0; i < n; i++) {
        const dep_locked *l = &deps[i];
        if (is_local(l->repository) && !is_oci(l->repository))
            continue;   /* charts/NAME or file:// sources: local anyway */
        const char *p = arena_printf(c->a, "%s/%s-%s.tgz", charts, l->name, l->version);
        if (!archive_is(c, p, l->name, l->version, NULL))
            return false;
    }
    return true;
}

/* Do the file:// sources still have the versions the lock names? */
static bool file_deps_current(ctx *c, const dep_locked *deps, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!is_file_repo(deps[i].repository))
            continue;
        cap_err e = CAP_ERR_INIT;
        const char *p = local_path(c, deps[i].repository, &e);
        dep_chart sub;
        bool ok = p && dep_read_chart(c->a, p, &sub, &e) == 0 && strcmp(sub.meta->version, deps[i].version) == 0;
        cap_err_clear(&e);
        if (!ok)
            return false;
    }
    return true;
}

static int safe_move(ctx *c, const dep_locked *deps, size_t n, const char *tmp, const char *dest, cap_err *err)
{
    DIR *d = opendir(tmp);
    if (!d)
        return cap_err_set(err, "%s: %s", tmp, strerror(errno));
    const char **moved = NULL;
    size_t nmoved = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        const char *src = arena_printf(c->a, "%s/%s", tmp, de->d_name);
        const char *dst = arena_printf(c->a, "%s/%s", dest, de->d_name);
        const char *nm, *v;
        cap_err e = CAP_ERR_INIT;
        if (dep_peek_chart(c->a, src, &nm, &v, &e) != 0) {
            char *m = cap_err_format(&e);
            say(c, "Could not verify %s for moving: %s (Skipping)", src, m);
            free(m);
            cap_err_clear(&e);
            continue;
        }
        if (rename(src, dst) != 0) {
            say(c, "Unable to move %s to charts dir %s (Skipping)", src, strerror(errno));
            continue;
        }
        moved = arena_realloc(c->a, moved, nmoved * sizeof *moved, (nmoved + 1) * sizeof *moved);
        moved[nmoved++] = arena_strdup(c->a, de->d_name);
    }
    closedir(d);
    say(c, "Deleting outdated charts");
    d = opendir(dest);
    if (!d)
        return cap_err_set(err, "%s: %s", dest, strerror(errno));
    while ((de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        const char *p = arena_printf(c->a, "%s/%s", dest, de->d_name);
        struct stat st;
        if (stat(p, &st) != 0 || S_ISDIR(st.st_mode))
            continue;
        bool was_moved = false;
        for (size_t i = 0; i < nmoved && !was_moved; i++)
            was_moved = strcmp(moved[i], de->d_name) == 0;
        if (was_moved)
            continue;
        const char *nm, *v;
        cap_err e = CAP_ERR_INIT;
        if (dep_peek_chart(c->a, p, &nm, &v, &e) != 0) {
            char *m = cap_err_format(&e);
            say(c, "Could not verify %s for deletion: %s (Skipping)", p, m);
            free(m);
            cap_err_clear(&e);
            continue;
        }
        bool local = false;
        for (size_t i = 0; i < n && !local; i++)
            local = !*deps[i].repository && strcmp(deps[i].name, nm) == 0;
        if (!local && unlink(p) != 0)
            say(c, "Could not delete %s: %s (Skipping)", p, strerror(errno));
    }
    closedir(d);
    return 0;
}

static void rm_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *de;
        while ((de = readdir(d))) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            strbuf p = STRBUF_INIT;
            sb_addf(&p, "%s/%s", dir, de->d_name);
            struct stat st;
            if (lstat(p.buf, &st) == 0 && S_ISDIR(st.st_mode))
                rm_tree(p.buf);
            else
                unlink(p.buf);
            sb_release(&p);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* An oci:// dependency: the archive in charts/, else pulled (digests checked
 * by the registry client) as NAME-VERSION.tgz. */
static int fetch_oci(ctx *c, dep_locked *l, const char *charts, const char *tmp, cap_err *err)
{
    const char *here = arena_printf(c->a, "%s/%s-%s.tgz", charts, l->name, l->version);
    const char *dst = arena_printf(c->a, "%s/%s-%s.tgz", tmp, l->name, l->version);
    if (archive_is(c, here, l->name, l->version, NULL))
        return copy_file(here, dst, err);
    const char *ref = oci_chart_ref(c, l->repository, l->name);
    if (c->o->offline)
        return cap_err_set(err, "%s-%s is not in %s, and offline mode forbids pulling %s", l->name, l->version, charts,
                           ref);
    say(c, "Downloading %s from repo %s", l->name, l->repository);
    oci_client *oc = oci_for(c, err);
    if (!oc)
        return -1;
    oci_chart_result res;
    memset(&res, 0, sizeof res);
    int rc = oci_pull_chart(oc, ref, l->version, false, &res, err);
    if (rc == 0)
        rc = fsu_write_atomic(dst, sb_str(&res.chart), res.chart.len, 0644, err);
    else
        cap_err_prefix(err, "could not download %s:%s", ref, l->version);
    oci_chart_result_release(&res);
    return rc;
}

/* Fetch one repository dependency into tmp: charts/ or helm's content cache
 * first (digest-checked), the network last. */
static int fetch_one(ctx *c, dep_locked *l, const char *charts, const char *tmp, const char ***urls, size_t *nurls,
                     cap_err *err)
{
    if (is_oci(l->repository))
        return fetch_oci(c, l, charts, tmp, err);
    /* the archive already in charts/ (when the index is not at hand, name and version decide) */
    const char *here = arena_printf(c->a, "%s/%s-%s.tgz", charts, l->name, l->version);
    fetch_plan fp;
    cap_err e2 = CAP_ERR_INIT;
    int found = find_chart(c, l, &fp, &e2);
    if (found != 0) {
        if (archive_is(c, here, l->name, l->version, NULL)) {
            cap_err_clear(&e2);
            return copy_file(here, arena_printf(c->a, "%s/%s-%s.tgz", tmp, l->name, l->version), err);
        }
        cap_err_move(err, &e2);
        return -1;
    }
    for (size_t i = 0; i < *nurls; i++)
        if (strcmp((*urls)[i], fp.url) == 0) {
            say(c, "Already downloaded %s from repo %s", l->name, l->repository);
            return 0;
        }
    *urls = arena_realloc(c->a, *urls, *nurls * sizeof **urls, (*nurls + 1) * sizeof **urls);
    (*urls)[(*nurls)++] = fp.url;
    const char *dst = arena_printf(c->a, "%s/%s", tmp, fp.file);
    const char *in_charts = arena_printf(c->a, "%s/%s", charts, fp.file);
    if (archive_is(c, in_charts, l->name, l->version, fp.digest))
        return copy_file(in_charts, dst, err);
    char *cached = *fp.digest ? content_cache_path(fp.digest) : NULL;
    if (cached && archive_is(c, cached, l->name, l->version, fp.digest)) {
        int rc = copy_file(cached, dst, err);
        free(cached);
        return rc;
    }
    if (c->o->offline) {
        free(cached);
        return cap_err_set(err, "%s-%s is neither in %s nor in the cache, and offline mode forbids downloading %s",
                           l->name, l->version, charts, fp.url);
    }
    say(c, "Downloading %s from repo %s", l->name, l->repository);
    http_client *hc = repo_client(fp.entry, err);
    int rc = hc ? repo_download_chart(hc, fp.url, fp.digest, dst, err) : -1;
    http_client_free(hc);
    if (rc != 0)
        cap_err_prefix(err, "could not download %s", fp.url);
    if (rc == 0 && cached) {
        cap_err e3 = CAP_ERR_INIT;
        if (fsu_mkdirs_for(cached, &e3) == 0)
            copy_file(dst, cached, &e3);
        cap_err_clear(&e3);
    }
    free(cached);
    return rc;
}

/* Manager.downloadAll */
static int download_all(ctx *c, dep_locked *deps, size_t n, cap_err *err)
{
    const char *charts = arena_printf(c->a, "%s/charts", c->ch.dir);
    const char *tmp = arena_printf(c->a, "%s/tmpcharts-%ld", c->ch.dir, (long)getpid());
    struct stat st;
    if (stat(charts, &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            return cap_err_set(err, "\"%s\" is not a directory", charts);
    } else if (fsu_mkdirs(charts, err) != 0) {
        return -1;
    }
    if (fsu_mkdirs(tmp, err) != 0)
        return -1;
    say(c, "Saving %zu charts", n);
    const char **urls = NULL;
    size_t nurls = 0;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        dep_locked *l = &deps[i];
        if (!*l->repository) {
            say(c, "Dependency %s did not declare a repository. Assuming it exists in the charts directory", l->name);
            const char *p = arena_printf(c->a, "%s/%s", charts, l->name);
            const char *nm, *v, *why;
            if (dep_peek_chart(c->a, p, &nm, &v, err) != 0) {
                cap_err_prefix(err, "unable to load chart '%s'", p);
                rc = -1;
            } else {
                int ok = semver_satisfies(c->a, l->version, v, &why);
                if (ok < 0)
                    rc = cap_err_set(err, "dependency %s has an invalid version/constraint format: %s", l->name, why);
                else if (!ok)
                    rc = cap_err_set(err, "dependency %s at version %s does not satisfy the constraint %s", l->name, v,
                                     l->version);
            }
        } else if (is_file_repo(l->repository)) {
            const char *p = local_path(c, l->repository, err);
            dep_chart sub;
            if (!p || dep_read_chart(c->a, p, &sub, err) != 0) {
                rc = -1;
            } else {
                const char *why;
                int ok = semver_satisfies(c->a, l->version, sub.meta->version, &why);
                if (ok < 0)
                    rc = cap_err_set(err, "dependency %s has an invalid version/constraint format: %s", l->name, why);
                else if (!ok)
                    rc = cap_err_set(err, "can't get a valid version for dependency %s", l->name);
                else {
                    rc = dep_package_dir(p, sub.meta->name,
                                         arena_printf(c->a, "%s/%s-%s.tgz", tmp, sub.meta->name, sub.meta->version), err);
                    l->version = sub.meta->version;
                }
            }
        } else {
            rc = fetch_one(c, l, charts, tmp, &urls, &nurls, err);
        }
    }
    if (rc == 0)
        rc = safe_move(c, deps, n, tmp, charts, err);
    else {
        char *m = cap_err_format(err);
        say(c, "Save error occurred:  %s", m);
        free(m);
    }
    rm_tree(tmp);
    return rc;
}

/* Manager.hasAllRepos */
static int has_all_repos(ctx *c, const dep_locked *deps, size_t n, cap_err *err)
{
    strbuf missing = STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (is_local(deps[i].repository))
            continue;
        bool found = false;
        for (size_t r = 0; r < c->rf.n && !found; r++)
            found = repo_url_equal(c->rf.repos[r].url, deps[i].repository);
        if (!found)
            sb_addf(&missing, "%s%s", missing.len ? ", " : "", deps[i].repository);
    }
    if (missing.len) {
        cap_err_set(err, "no repository definition for %s. Please add the missing repos via 'helm repo add'", missing.buf);
        sb_release(&missing);
        return -1;
    }
    return 0;
}

static dep_locked *copy_lock(ctx *c)
{
    dep_locked *l = arena_zalloc(c->a, (c->ch.nlock ? c->ch.nlock : 1) * sizeof *l);
    memcpy(l, c->ch.lock, c->ch.nlock * sizeof *l);
    return l;
}

static int do_update(ctx *c, cap_err *err)
{
    if (!c->ch.meta->has_deps)
        return 0;
    if (resolve_repo_names(c, err) != 0)
        return -1;
    name_unmanaged(c);
    dep_locked *locked = NULL;
    size_t n = c->nreq;
    bool in_sync = c->ch.has_lock && c->ch.nlock == c->nreq &&
                   strcmp(hash_req(c, c->ch.lock, c->ch.nlock), c->ch.lock_digest) == 0;
    if (in_sync && !c->o->re_resolve && charts_complete(c, c->ch.lock, c->ch.nlock) &&
        file_deps_current(c, c->ch.lock, c->ch.nlock)) {
        /* nothing to resolve or fetch: no connection */
        locked = copy_lock(c);
    } else {
        if (!c->o->skip_refresh && !c->o->offline)
            refresh(c);
        if (resolve(c, &locked, err) != 0)
            return -1;
    }
    if (download_all(c, locked, n, err) != 0)
        return -1;
    const char *digest = hash_req(c, locked, n);
    if (c->ch.has_lock && strcmp(c->ch.lock_digest, digest) == 0)
        return 0;
    return dep_write_lock(&c->ch, digest, locked, n, err);
}

static int do_build(ctx *c, cap_err *err)
{
    if (!c->ch.has_lock)
        return do_update(c, err);
    if (resolve_repo_names(c, err) != 0)
        return -1;
    if (strcmp(hash_req(c, c->ch.lock, c->ch.nlock), c->ch.lock_digest) != 0) {
        if (c->ch.v1)
            return cap_err_set(err, "the lock file (requirements.lock) is out of sync with the dependencies file "
                               "(requirements.yaml). Please update the dependencies");
        return cap_err_set(err, "the lock file (Chart.lock) is out of sync with the dependencies file (Chart.yaml). "
                           "Please update the dependencies");
    }
    dep_locked *locked = copy_lock(c);
    if (!charts_complete(c, locked, c->ch.nlock)) {
        if (has_all_repos(c, locked, c->ch.nlock, err) != 0)
            return -1;
        /* the repositories of the lock are configured ones: name them for the refresh */
        for (size_t i = 0; i < c->nreq; i++)
            if (!c->repo_names[i] && *c->req[i]->repository && !is_local(c->req[i]->repository)) {
                const repo_entry *e = entry_for_url(c, c->req[i]->repository);
                if (e)
                    c->repo_names[i] = arena_strdup(c->a, e->name);
            }
        if (!c->o->skip_refresh && !c->o->offline)
            refresh(c);
    }
    return download_all(c, locked, c->ch.nlock, err);
}

int dep_update(const char *chart_dir, const dep_opts *opts, cap_err *err)
{
    ctx c;
    int rc = setup(&c, chart_dir, opts, err);
    if (rc == 0)
        rc = do_update(&c, err);
    teardown(&c);
    return rc;
}

int dep_build(const char *chart_dir, const dep_opts *opts, cap_err *err)
{
    ctx c;
    int rc = setup(&c, chart_dir, opts, err);
    if (rc == 0)
        rc = do_build(&c, err);
    teardown(&c);
    return rc;
}

int dep_ensure(const char *chart_dir, const dep_opts *opts, cap_err *err)
{
    /* No lock, but charts/ already satisfies every dependency (as `dependency
     * list` judges: ok or unpacked): nothing to do, and no network. */
    strbuf lock = STRBUF_INIT;
    sb_addf(&lock, "%s/Chart.lock", chart_dir);
    bool has_lock = access(lock.buf, F_OK) == 0;
    sb_reset(&lock);
    sb_addf(&lock, "%s/requirements.lock", chart_dir);
    has_lock = has_lock || access(lock.buf, F_OK) == 0;
    sb_release(&lock);
    if (!has_lock) {
        dep_row *rows = NULL;
        size_t n = 0;
        cap_err e = CAP_ERR_INIT;
        bool satisfied = dep_list(chart_dir, &rows, &n, NULL, NULL, &e) == 0;
        for (size_t i = 0; satisfied && i < n; i++)
            satisfied = strcmp(rows[i].status, "ok") == 0 || strcmp(rows[i].status, "unpacked") == 0;
        dep_rows_free(rows, n);
        cap_err_clear(&e);
        if (satisfied)
            return 0;
    }
    return dep_build(chart_dir, opts, err);
}
