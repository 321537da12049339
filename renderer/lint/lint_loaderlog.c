/* lint_loaderlog.c — the lines helm's chart loader logs each time a lint rule loads
 * the chart (loader.LoadDir via sympath.Walk, then LoadFiles for the chart and its
 * subcharts):
 *   level=INFO msg="found symbolic link in path. Contents of linked file included and used" path=P resolved=R
 *   level=INFO msg="Warning: Dependencies are handled in Chart.yaml since apiVersion \"v2\". ..."
 *   level=INFO msg="Warning: Dependency locking is handled in Chart.lock since apiVersion \"v2\". ..."
 * Subcharts are visited in name order (helm: Go's map order). */
#include "renderer/lint/lint.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "renderer/chart/chart.h"
#include "core/gofmt.h"


static int cmpstr(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* sympath.Walk with LoadDir's ignore rules: only the symbolic links matter here */
static void walk(arena *a, const char *top, const char *rel, const chart_ignore *ig, strbuf *log, int depth)
{
    if (depth > CHART_MAX_DEPTH)
        return;
    const char *dir = *rel ? arena_printf(a, "%s/%s", top, rel) : top;
    DIR *d = opendir(dir);
    if (!d)
        return;
    const char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            names = arena_realloc(a, names, cap * sizeof *names, nc * sizeof *names);
            cap = nc;
        }
        names[n++] = arena_strdup(a, de->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmpstr);
    for (size_t i = 0; i < n; i++) {
        const char *r = *rel ? arena_printf(a, "%s/%s", rel, names[i]) : names[i];
        const char *full = arena_printf(a, "%s/%s", top, r);
        struct stat st;
        if (lstat(full, &st) != 0)
            continue;
        if (S_ISLNK(st.st_mode)) {
            char res[PATH_MAX];
            if (!realpath(full, res) || stat(full, &st) != 0)
                continue;
            chart_log_symlink(log, full, res);
        }
        if (S_ISDIR(st.st_mode) && !chart_ignore_match(ig, r, true))
            walk(a, top, r, ig, log, depth + 1);
    }
}

static void deps_warnings(arena *a, chart_file *f, size_t n, strbuf *log, chart_budget *left, int depth)
{
    if (depth > CHART_MAX_DEPTH)
        return;
    chart_meta *md = NULL;
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].name, "Chart.yaml") == 0) {
            cap_err e = CAP_ERR_INIT;
            if (chart_meta_parse(a, f[i].data, f[i].len, "Chart.yaml", &md, &e) != 0) {
                cap_err_clear(&e);
                return; /* LoadFiles stops there */
            }
        }
    const char *api = md ? md->api_version : "";
    for (size_t i = 0; i < n; i++) {
        if (strcmp(f[i].name, "requirements.yaml") == 0 && strcmp(api, "v1") != 0)
            sb_adds(log, "level=INFO msg=\"Warning: Dependencies are handled in Chart.yaml since apiVersion "
                         "\\\"v2\\\". We recommend migrating dependencies to Chart.yaml.\"\n");
        if (strcmp(f[i].name, "requirements.lock") == 0 && strcmp(api, "v1") != 0)
            sb_adds(log, "level=INFO msg=\"Warning: Dependency locking is handled in Chart.lock since apiVersion "
                         "\\\"v2\\\". We recommend migrating to Chart.lock.\"\n");
    }
    cap_err e = CAP_ERR_INIT;
    if (!md || chart_meta_validate(md, &e) != 0) {
        cap_err_clear(&e);
        return; /* no subcharts are loaded */
    }
    /* subcharts: charts/NAME/... or charts/NAME.tgz, in name order */
    const char **seen = arena_alloc(a, (n + 1) * sizeof *seen);
    size_t ns = 0;
    for (size_t i = 0; i < n; i++) {
        if (strncmp(f[i].name, "charts/", 7) != 0)
            continue;
        const char *rest = f[i].name + 7;
        size_t cl = strcspn(rest, "/");
        const char *cname = arena_strndup(a, rest, cl);
        const char *ext = strrchr(f[i].name, '.');
        if (ext && strcmp(ext, ".prov") == 0)
            continue;
        bool dup = false;
        for (size_t k = 0; k < ns && !dup; k++)
            dup = strcmp(seen[k], cname) == 0;
        if (!dup && cname[0] != '_' && cname[0] != '.')
            seen[ns++] = cname;
    }
    if (ns)
        qsort(seen, ns, sizeof *seen, cmpstr);
    for (size_t k = 0; k < ns; k++) {
        size_t cl = strlen(seen[k]);
        bool tgz = cl > 4 && strcmp(seen[k] + cl - 4, ".tgz") == 0;
        chart_file *sub = arena_alloc(a, (n + 1) * sizeof *sub);
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            const char *rest = f[i].name + 7;
            if (strncmp(f[i].name, "charts/", 7) != 0 || strncmp(rest, seen[k], cl) != 0)
                continue;
            if (tgz && rest[cl] == 0) {
                chart_file *af;
                size_t an;
                if (chart_list_archive_within(a, f[i].data, f[i].len, seen[k], left, &af, &an, &e) == 0)
                    deps_warnings(a, af, an, log, left, depth + 1);
                cap_err_clear(&e);
            } else if (!tgz && rest[cl] == '/') {
                sub[m] = f[i];
                sub[m++].name = rest + cl + 1;
            }
        }
        if (!tgz)
            deps_warnings(a, sub, m, log, left, depth + 1);
    }
}

void lint_loader_log(arena *a, const char *dir, lint_result *r)
{
    const char *ignfile = arena_printf(a, "%s/.helmignore", dir);
    chart_ignore *ig = NULL;
    char *text;
    size_t len;
    const char *why;
    cap_err e = CAP_ERR_INIT;
    if (lint_read_file(a, ignfile, &text, &len, &why) == 0)
        ig = chart_ignore_parse(a, text, len, &e);
    else
        ig = chart_ignore_parse(a, NULL, 0, &e);
    cap_err_clear(&e);
    if (!ig)
        return;
    walk(a, dir, "", ig, &r->log, 0);
    chart_file *f;
    size_t n;
    chart_budget left = CHART_BUDGET_INIT; /* for the archives in charts/, all together */
    if (chart_list_dir(a, dir, &f, &n, &e) == 0)
        deps_warnings(a, f, n, &r->log, &left, 0);
    cap_err_clear(&e);
}
