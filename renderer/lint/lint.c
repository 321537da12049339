/* lint.c — `helm lint` over one chart (pkg/chart/v2/lint/lint.go RunAll and
 * pkg/action/lint.go lintChart): the message list, the chart's absolute
 * directory, .tgz charts unpacked to a temporary directory, and the rules in
 * helm's order. The rules are in lint_rules.c, lint_templates.c, lint_k8s.c. */
#include "renderer/lint/lint.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fsutil.h"
#include "renderer/chart/chart.h"
#include "renderer/chart/chart_package.h"

/* Go's filepath.Abs: the path joined to the working directory, then Clean. */
static char *abs_path(arena *a, const char *p)
{
    char cwd[4096];
    const char *full = p;
    if (p[0] != '/')
        full = arena_printf(a, "%s/%s", getcwd(cwd, sizeof cwd) ? cwd : "", p);
    size_t n = strlen(full);
    char *out = arena_alloc(a, n + 2);
    size_t o = 0;
    out[o++] = '/';
    for (const char *s = full; *s;) {
        while (*s == '/')
            s++;
        const char *e = s;
        while (*e && *e != '/')
            e++;
        size_t l = (size_t)(e - s);
        if (l == 0 || (l == 1 && s[0] == '.')) {
            /* skip */
        } else if (l == 2 && s[0] == '.' && s[1] == '.') {
            while (o > 1 && out[o - 1] != '/')
                o--;
            if (o > 1)
                o--;
        } else {
            if (o > 1)
                out[o++] = '/';
            memcpy(out + o, s, l);
            o += l;
        }
        s = e;
    }
    out[o] = 0;
    return out;
}

static bool has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), k = strlen(suf);
    return n >= k && strcmp(s + n - k, suf) == 0;
}

/* chartutil.Expand: the archive's files under tmp/TOPDIR/. Returns TOPDIR's path. */
static const char *unpack(arena *a, const char *path, const char *tmp, chart_file **files, size_t *n, cap_err *err)
{
    char *data;
    size_t len;
    const char *why;
    if (lint_read_file(a, path, &data, &len, &why) != 0) {
        cap_err_set(err, "unable to open tarball: %s", why);
        return NULL;
    }
    chart_file *fl;
    size_t nf;
    if (chart_list_archive(a, data, len, path, &fl, &nf, err) != 0) {
        cap_err_prefix(err, "unable to extract tarball");
        return NULL;
    }
    /* the top directory is the chart's name, as Expand names it from Chart.yaml */
    const char *top = NULL;
    for (size_t i = 0; i < nf; i++)
        if (strcmp(fl[i].name, "Chart.yaml") == 0) {
            chart_meta *md;
            cap_err e = CAP_ERR_INIT;
            if (chart_meta_parse(a, fl[i].data, fl[i].len, "Chart.yaml", &md, &e) == 0 && *md->name)
                top = md->name;
            cap_err_clear(&e);
        }
    if (!top || strchr(top, '/') || strcmp(top, "..") == 0 || strcmp(top, ".") == 0) {
        cap_err_set(err, "unable to extract tarball: Chart.yaml file is missing");
        return NULL;
    }
    const char *dir = arena_printf(a, "%s/%s", tmp, top);
    for (size_t i = 0; i < nf; i++) {
        char *p = arena_printf(a, "%s/%s", dir, fl[i].name);
        char *parent = arena_strndup(a, p, (size_t)(strrchr(p, '/') - p));
        FILE *o;
        if (fsu_mkdirs(parent, NULL) != 0 || !(o = fopen(p, "wb"))) {
            cap_err_set(err, "unable to extract tarball: %s: %s", p, strerror(errno));
            return NULL;
        }
        fwrite(fl[i].data, 1, fl[i].len, o);
        fclose(o);
    }
    *files = fl;
    *n = nf;
    return dir;
}

static void cleanup(arena *a, const char *tmp, const char *dir, chart_file *fl, size_t n)
{
    /* remove the files, then every directory from the deepest up */
    for (size_t i = 0; i < n; i++)
        unlink(arena_printf(a, "%s/%s", dir, fl[i].name));
    for (size_t i = n; i-- > 0;) {
        char *p = arena_printf(a, "%s/%s", dir, fl[i].name);
        for (char *s = strrchr(p, '/'); s && strlen(p) > strlen(tmp); s = strrchr(p, '/')) {
            *s = 0;
            rmdir(p);
        }
    }
    rmdir(tmp);
}

int lint_chart(const char *path, const lint_opts *o, lint_result *r, cap_err *err)
{
    static const lint_opts none;
    if (!o)
        o = &none;
    memset(r, 0, sizeof *r);
    arena *a = arena_new();
    const char *dir = path;
    char tmp[] = "/tmp/capstan-lint-XXXXXX";
    bool unpacked = false;
    chart_file *fl = NULL;
    size_t nf = 0;
    int rc = 0;
    if (has_suffix(path, ".tgz") || has_suffix(path, ".tar.gz")) {
        if (!mkdtemp(tmp)) {
            rc = cap_err_set(err, "unable to create temp dir to extract tarball: %s", strerror(errno));
            goto done;
        }
        unpacked = true;
        dir = unpack(a, path, tmp, &fl, &nf, err);
        if (!dir) {
            rc = -1;
            goto done;
        }
    }
    struct stat st;
    const char *cy = arena_printf(a, "%s/Chart.yaml", dir);
    if (stat(cy, &st) != 0) {
        char why[128];
        rc = cap_err_set(err, "unable to check Chart.yaml file in chart: stat %s: %s", cy,
                         fsu_errno_text(errno, why, sizeof why));
        goto done;
    }
    const char *abs = abs_path(a, dir);
    lint_rule_chartfile(a, abs, r);
    lint_rule_values(a, abs, o, r);
    lint_rule_templates(a, abs, o, r);
    lint_rule_dependencies(a, abs, r);
    lint_rule_crds(a, abs, r);
done:
    if (unpacked) {
        if (dir && dir != path)
            cleanup(a, tmp, dir, fl, nf);
        else
            rmdir(tmp);
    }
    arena_free(a);
    return rc;
}
