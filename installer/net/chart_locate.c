/* chart_locate.c — capstan_chart_locate (capstan.h): a chart reference as
 * helm 4's ChartPathOptions.LocateChart reads it (pkg/action/install.go,
 * pkg/downloader/chart_downloader.go), to a local chart.
 *
 *   - a path that exists (folder, .tgz, bundle): itself; a path that does not
 *     and is absolute or starts with '.': helm's `path "X" not found`;
 *   - capstan/NAME, when repositories.yaml has no repository named capstan:
 *     the chart shipped with capstan (opts->builtin_charts_dir/NAME);
 *   - REPO/CHART, CHART with --repo URL, a chart URL, oci://HOST/REPO/CHART:
 *     downloaded into helm's content cache ($HELM_CONTENT_CACHE, else
 *     $HELM_CACHE_HOME/content, $XDG_CACHE_HOME/helm/content or
 *     ~/.cache/helm/content) as helm's DiskCache keeps it: XX/SHA256.chart,
 *     keyed by the index's digest when there is one (a cached copy is then
 *     used without downloading), else by the archive's own SHA-256. */
#include "installer/net/chart_api.h"
#include "core/opts.h"
#include "core/digest.h"
#include "installer/net/prov_fetch.h"
#include "core/fsutil.h"
#include "core/xalloc.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *content_cache_dir(void)
{
    const char *v = getenv("HELM_CONTENT_CACHE");
    if (v && *v)
        return xstrdup(v);
    strbuf b = STRBUF_INIT;
    const char *home = getenv("HOME");
    if ((v = getenv("HELM_CACHE_HOME")) && *v)
        sb_addf(&b, "%s/content", v);
    else if ((v = getenv("XDG_CACHE_HOME")) && *v)
        sb_addf(&b, "%s/helm/content", v);
    else
        sb_addf(&b, "%s/.cache/helm/content", home && *home ? home : ".");
    return sb_detach(&b, NULL);
}

/* DiskCache.fileName: ROOT/XX/HEX.chart */
static char *cache_path(const char *root, const char *hex)
{
    strbuf b = STRBUF_INIT;
    sb_addf(&b, "%s/%.2s/%s.chart", root, hex, hex);
    return sb_detach(&b, NULL);
}

/* The cached copy for hex, when there is a non-empty one. */
static char *cache_get(const char *root, const char *hex)
{
    char *p = cache_path(root, hex);
    struct stat st;
    if (stat(p, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
        return p;
    free(p);
    return NULL;
}

/* Put data in the cache under its own SHA-256 (or hex when given). */
static char *cache_put(const char *root, const char *hex, const char *data, size_t len, cap_err *err)
{
    char own[65];
    if (!hex || !*hex) {
        digest_hex(DIGEST_SHA256, data, len, own);
        hex = own;
    }
    char *p = cache_path(root, hex);
    if (fsu_mkdirs_for(p, err) < 0 || fsu_write_atomic(p, data, len, 0644, err) < 0) {
        free(p);
        return NULL;
    }
    return p;
}

static const char *strip_sha(const char *d)
{
    return d && strncmp(d, "sha256:", 7) == 0 ? d + 7 : d;
}

static char *locate_oci(const char *ref, const capstan_chart_opts *o, cap_err *err)
{
    const char *version = CHART_OPT(o, version);
    if (CHART_OPT(o, devel) && (!version || !*version))
        version = ">0.0.0-0";
    oci_opts oo;
    chart_opts_oci(o, &oo);
    oci_chart_result r;
    oci_client *cl = oci_client_new(&oo, err);
    bool verify = CHART_OPT(o, verify);
    if (!cl || oci_pull_chart(cl, ref, version, verify, &r, err) < 0) {
        oci_client_free(cl);
        return NULL;
    }
    oci_client_free(cl);
    if (CHART_OPT(o, log)) /* helm's registry client reports each pull */
        fprintf(o->log, "Pulled: %s\nDigest: %s\n", r.ref, r.digest);
    if (verify) { /* helm's DownloadToCache: checked as NAME-VERSION.tgz */
        const char *base = strrchr(ref, '/') ? strrchr(ref, '/') + 1 : ref;
        strbuf name = STRBUF_INIT, report = STRBUF_INIT;
        sb_addf(&name, "%.*s-%s.tgz", (int)strcspn(base, ":@"), base, r.version ? r.version : "");
        int vrc = prov_verify_data(sb_str(&r.chart), r.chart.len, sb_str(&r.prov), r.prov.len, name.buf, o, &report,
                                   err);
        sb_release(&name);
        sb_release(&report);
        if (vrc != 0) {
            oci_chart_result_release(&r);
            return NULL;
        }
    }
    char *root = content_cache_dir();
    char *p = cache_put(root, NULL, sb_str(&r.chart), r.chart.len, err);
    free(root);
    oci_chart_result_release(&r);
    return p;
}

/* --verify: URL.prov beside the cached chart (XX/SHA.prov, as helm's cache
 * keeps it), checked as a file named as in the URL */
static int verify_download(const repo_chart_ref *r, const char *path, const capstan_chart_opts *o, cap_err *err)
{
    strbuf prov = STRBUF_INIT, report = STRBUF_INIT;
    size_t n = strlen(path);
    sb_add(&prov, path, n > 6 && strcmp(path + n - 6, ".chart") == 0 ? n - 6 : n);
    sb_adds(&prov, ".prov");
    int rc = prov_fetch(r->client, r->url, prov.buf, err);
    if (rc == 0)
        rc = prov_verify_named(path, chart_url_base_name(r->url), prov.buf, o, &report, err);
    sb_release(&prov);
    sb_release(&report);
    return rc;
}

static char *locate_repo(const char *ref, const capstan_chart_opts *o, cap_err *err)
{
    arena *ar = arena_new();
    repo_chart_ref r;
    char *root = content_cache_dir(), *path = NULL;
    if (chart_resolve_repo_ref(ar, ref, o, &r, err) == 0) {
        const char *hex = strip_sha(r.digest);
        path = hex && *hex ? cache_get(root, hex) : NULL;
        if (!path && fsu_mkdirs(root, err) == 0) {
            strbuf part = STRBUF_INIT;
            sb_addf(&part, "%s/download-%ld.tgz", root, (long)getpid());
            strbuf data = STRBUF_INIT;
            if (repo_download_chart(r.client, r.url, r.digest, part.buf, err) == 0 &&
                fsu_read_file(part.buf, &data, err) == 0)
                path = cache_put(root, hex, sb_str(&data), data.len, err);
            unlink(part.buf);
            sb_release(&part);
            sb_release(&data);
        }
    }
    if (path && CHART_OPT(o, verify) && verify_download(&r, path, o, err) != 0) {
        free(path);
        path = NULL;
    }
    chart_repo_ref_release(&r);
    free(root);
    arena_free(ar);
    return path;
}

/* capstan/NAME: the chart shipped with capstan, unless a repository is named capstan. */
static char *locate_builtin(const char *ref, const capstan_chart_opts *o)
{
    const char *dir = CHART_OPT(o, builtin_charts_dir);
    if (!dir || strncmp(ref, "capstan/", 8) != 0 || !ref[8] || strchr(ref + 8, '/') || CHART_OPT(o, repo_url))
        return NULL;
    char *cfg = repo_config_path();
    repo_file f;
    cap_err e = CAP_ERR_INIT;
    bool has_repo = repo_file_load(cfg, &f, NULL, &e) == 0 && repo_file_get(&f, "capstan");
    if (!e.msg)
        repo_file_free(&f);
    cap_err_clear(&e);
    free(cfg);
    if (has_repo)
        return NULL;
    strbuf b = STRBUF_INIT;
    sb_addf(&b, "%s/%s", dir, ref + 8);
    return sb_detach(&b, NULL);
}

static char *trim(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    return xstrndup(s, n);
}

int capstan_chart_locate(const char *ref_in, const capstan_chart_opts *opts, char **path, capstan_error *perr)
{
    OPTS_IN(capstan_chart_opts, opts, perr);
    cap_err err = CAP_ERR_INIT;
    char *ref = trim(ref_in);
    *path = NULL;
    struct stat st;
    if (!CHART_OPT(opts, repo_url)) {
        if (stat(ref, &st) == 0) {
            *path = ref;
            return 0;
        }
        if (ref[0] == '/' || ref[0] == '.') {
            cap_err_set(&err, "path \"%s\" not found", ref);
            free(ref);
            return cap_err_publish(perr, &err, CAPSTAN_EIO);
        }
    }
    char *p = locate_builtin(ref, opts);
    if (p && stat(p, &st) != 0) {
        cap_err_set(&err, "chart \"%s\" not found: capstan ships no chart %s (in %s)", ref, ref + 8, p);
        free(p);
        p = NULL;
    } else if (!p) {
        p = strncmp(ref, "oci://", 6) == 0 ? locate_oci(ref, opts, &err) : locate_repo(ref, opts, &err);
    }
    free(ref);
    if (!p)
        return cap_err_publish(perr, &err, CAPSTAN_EIO);
    *path = p;
    return 0;
}
