/* pull_api.c — capstan_pull (capstan.h), `helm pull`: a chart from a
 * repository (REPO/CHART from the cached index, CHART with --repo URL, or a
 * chart URL) into a directory, as an archive or unpacked; oci:// references
 * are the registry client's (oci_api.c). */
#include "installer/net/chart_api.h"
#include "core/opts.h"
#include "core/fsutil.h"
#include "installer/net/untar.h"
#include "installer/net/prov_fetch.h"
#include "core/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *base_name(const char *url)
{
    size_t n = strcspn(url, "?#");
    const char *s = url + n;
    while (s > url && s[-1] != '/')
        s--;
    return s;
}

/* The URL and digest of chart `name` at `version` in index ix (helm's
 * IndexFile.Get: an exact version string first, then the constraint). */
static int pick(arena *ar, const repo_index *ix, const char *name, const capstan_chart_opts *o, const char *repo_label,
                const char *repo_url, char **url, const char **digest, cap_err *err)
{
    const char *version = CHART_OPT(o, version);
    const repo_index_entry *e = repo_index_find(ix, name);
    const char *why = "no chart name found";
    const char *c = version && *version ? version : (CHART_OPT(o, devel) ? ">0.0.0-0" : "");
    const repo_chart_version *v = e ? repo_index_best(ar, e, c, false, true, &why) : NULL;
    repo_index_warn_fallback(CHART_OPT(o, log), e, c, v);
    if (CHART_OPT(o, repo_url)) { /* repo.FindChartInRepoURL's words */
        strbuf what = STRBUF_INIT;
        sb_addf(&what, "chart \"%s\"", name);
        if (*c)
            sb_addf(&what, " version \"%s\"", c);
        int rc = 0;
        if (!v)
            rc = cap_err_set(err, "%s not found in %s repository", what.buf, repo_url);
        else if (v->nurls == 0)
            rc = cap_err_set(err, "%s has no downloadable URLs", what.buf);
        sb_release(&what);
        if (rc)
            return rc;
    }
    if (!v)
        return cap_err_set(err, "chart \"%s\" matching %s not found in %s index. (try 'helm repo update'): %s", name,
                           version ? version : "", repo_label, why);
    if (v->nurls == 0)
        return cap_err_set(err, "chart \"%s\" has no downloadable URLs", name);
    *url = repo_resolve_url(repo_url, v->urls[0]);
    *digest = v->digest;
    return 0;
}

/* --repo URL CHART: the index straight from the repository */
static int resolve_repo_url(arena *ar, const char *ref, const capstan_chart_opts *o, repo_chart_ref *out,
                            cap_err *err)
{
    chart_opts_repo_entry(o, &out->entry);
    out->entry.url = (char *)o->repo_url;
    out->client = repo_client(&out->entry, err);
    char *iu = out->client ? repo_resolve_url(o->repo_url, "index.yaml") : NULL;
    http_response resp = HTTP_RESPONSE_INIT;
    repo_index *ix = NULL;
    int rc = !out->client ? -1 : http_get(out->client, iu, &resp, err);
    if (rc == 0)
        rc = repo_index_parse(ar, sb_str(&resp.body), resp.body.len, iu, &ix, err);
    if (rc == 0)
        rc = pick(ar, ix, ref, o, o->repo_url, o->repo_url, &out->url, &out->digest, err);
    http_response_release(&resp);
    free(iu);
    return rc;
}

/* a chart URL: credentials of the repository it is in, if any */
static int resolve_chart_url(const char *ref, const capstan_chart_opts *o, repo_chart_ref *out, cap_err *err)
{
    out->url = xstrdup(ref);
    char *cfg = repo_config_path();
    if (repo_file_load(cfg, &out->file, NULL, err) == 0) {
        out->have_file = true;
        for (size_t r = 0; r < out->file.n; r++)
            if (strncmp(ref, out->file.repos[r].url, strlen(out->file.repos[r].url)) == 0)
                out->entry = out->file.repos[r];
    } else {
        cap_err_clear(err);
    }
    free(cfg);
    repo_entry given;
    chart_opts_repo_entry(o, &given);
    if (given.username)
        out->entry.username = given.username, out->entry.password = given.password;
    if (given.ca_file || given.cert_file || given.insecure_skip_tls_verify)
        out->entry.ca_file = given.ca_file, out->entry.cert_file = given.cert_file,
        out->entry.key_file = given.key_file, out->entry.insecure_skip_tls_verify = given.insecure_skip_tls_verify;
    if (!out->entry.url)
        out->entry.url = out->url;
    out->client = repo_client(&out->entry, err);
    return out->client ? 0 : -1;
}

/* REPO/CHART from the cached index */
static int resolve_repo_chart(arena *ar, const char *ref, const capstan_chart_opts *o, repo_chart_ref *out,
                              cap_err *err)
{
    const char *slash = strchr(ref, '/');
    if (!slash)
        return cap_err_set(err, "non-absolute URLs should be in form of repo_name/path_to_chart, got: %s", ref);
    char *rname = xstrndup(ref, (size_t)(slash - ref));
    char *cfg = repo_config_path(), *cache = repo_cache_dir();
    int rc = repo_file_load(cfg, &out->file, NULL, err);
    out->have_file = rc == 0;
    const repo_entry *e = rc == 0 ? repo_file_get(&out->file, rname) : NULL;
    if (rc == 0 && !e)
        rc = cap_err_set(err, "repo %s not found", rname);
    repo_index *ix = NULL;
    if (rc == 0) {
        char *ip = repo_cache_index_path(cache, e->name);
        rc = repo_index_load(ar, ip, &ix, err);
        if (rc != 0)
            cap_err_prefix(err, "no cached repo found. (try 'helm repo update')");
        free(ip);
    }
    if (rc == 0)
        rc = pick(ar, ix, slash + 1, o, e->name, e->url, &out->url, &out->digest, err);
    if (rc == 0) {
        out->entry = *e;
        out->client = repo_client(e, err);
        rc = out->client ? 0 : -1;
    }
    free(rname);
    free(cfg);
    free(cache);
    return rc;
}

int chart_resolve_repo_ref(arena *ar, const char *ref, const capstan_chart_opts *o, repo_chart_ref *out,
                           cap_err *err)
{
    memset(out, 0, sizeof *out);
    out->digest = "";
    if (CHART_OPT(o, repo_url))
        return resolve_repo_url(ar, ref, o, out, err);
    if (strstr(ref, "://"))
        return resolve_chart_url(ref, o, out, err);
    return resolve_repo_chart(ar, ref, o, out, err);
}

void chart_repo_ref_release(repo_chart_ref *r)
{
    http_client_free(r->client);
    if (r->have_file)
        repo_file_free(&r->file);
    free(r->url);
    memset(r, 0, sizeof *r);
}

const char *chart_url_base_name(const char *url)
{
    return base_name(url);
}

/* Unpack the downloaded archive into DEST/UNTARDIR, which must not hold the
 * ref's last element yet. */
static int untar_saved(const char *saved, const char *url, const char *ref, const char *dest, const char *untardir,
                       cap_err *err)
{
    strbuf ud = STRBUF_INIT;
    if (untardir[0] == '/')
        sb_adds(&ud, untardir);
    else
        sb_addf(&ud, "%s/%s", dest, untardir);
    /* helm refuses to unpack over an existing ud/CHART (CHART: the ref's last element) */
    char *joined = fsu_clean(ud.buf);
    const char *last = strrchr(ref, '/') ? strrchr(ref, '/') + 1 : ref;
    strbuf check = STRBUF_INIT;
    if (strcmp(joined, ".") == 0)
        sb_adds(&check, last);
    else
        sb_addf(&check, "%s/%s", joined, last);
    struct stat st;
    int rc = 0;
    if (stat(check.buf, &st) == 0)
        rc = cap_err_set(err, "failed to untar: a file or directory with the name %s already exists", check.buf);
    if (rc == 0)
        rc = fsu_untar(saved, url, ud.buf, err);
    sb_release(&check);
    free(joined);
    sb_release(&ud);
    return rc;
}

static int pull_repo(const char *ref, const capstan_pull_opts *p, const capstan_chart_opts *o, cap_err *err)
{
    const char *dest = p && p->dest ? p->dest : ".", *untardir = p && p->untardir ? p->untardir : ".";
    bool untar = p && p->untar;
    arena *ar = arena_new();
    repo_chart_ref r;
    int rc = chart_resolve_repo_ref(ar, ref, o, &r, err);
    const char *dest_dir = dest;
    char tmpl[] = "/tmp/capstan-pull-XXXXXX";
    if (rc == 0 && untar) {
        if (!mkdtemp(tmpl))
            rc = cap_err_set(err, "cannot create a temporary directory: %s", strerror(errno));
        dest_dir = tmpl;
    }
    char *saved = NULL;
    if (rc == 0) {
        strbuf sp = STRBUF_INIT;
        sb_addf(&sp, "%s/%s", dest_dir, base_name(r.url));
        saved = sb_detach(&sp, NULL);
        rc = fsu_mkdirs(dest_dir, err);
        if (rc == 0)
            rc = repo_download_chart(r.client, r.url, r.digest, saved, err);
    }
    strbuf prov = STRBUF_INIT, report = STRBUF_INIT;
    bool verify = CHART_OPT(o, verify);
    if (rc == 0 && (verify || (p && p->prov))) { /* helm's VerifyAlways, or VerifyLater (--prov) */
        sb_addf(&prov, "%s.prov", saved);
        rc = prov_fetch(r.client, r.url, prov.buf, err);
        if (rc != 0 && !verify) { /* --prov: a warning, the chart stays */
            if (CHART_OPT(o, out))
                fprintf(o->out, "WARNING: Verification not found for %s: %s\n", ref, err->msg);
            cap_err_clear(err);
            rc = 0;
        }
    }
    if (rc == 0 && verify) {
        rc = prov_verify_named(saved, base_name(saved), prov.buf, o, &report, err);
        if (rc == 0 && CHART_OPT(o, out))
            fputs(sb_str(&report), o->out);
    }
    if (untar && prov.len)
        unlink(prov.buf);
    sb_release(&prov);
    sb_release(&report);
    if (rc == 0 && untar) {
        rc = untar_saved(saved, r.url, ref, dest, untardir, err);
        unlink(saved);
        rmdir(tmpl);
    }
    free(saved);
    chart_repo_ref_release(&r);
    arena_free(ar);
    return rc;
}

int capstan_pull(const char *ref, const capstan_pull_opts *popts, const capstan_chart_opts *opts, capstan_error *perr)
{
    OPTS_IN(capstan_pull_opts, popts, perr);
    OPTS_IN(capstan_chart_opts, opts, perr);
    cap_err err = CAP_ERR_INIT;
    int rc = strncmp(ref, "oci://", 6) == 0 ? chart_pull_oci(ref, popts, opts, &err)
                                             : pull_repo(ref, popts, opts, &err);
    return rc == 0 ? 0 : cap_err_publish(perr, &err, CAPSTAN_EIO);
}
