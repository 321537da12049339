/* lint_api.c — capstan_lint (capstan.h), `helm lint PATH...` (pkg/cmd/lint.go):
 * the paths (with --with-subcharts, every chart below each one's charts/),
 * each chart's findings under "==> Linting PATH"; the caller prints the summary. */
#include "capstan.h"
#include "core/opts.h"
#include "renderer/lint/lint.h"
#include "renderer/render_internal.h"
#include "core/xalloc.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct paths {
    char **v;
    size_t n, cap;
} paths;

static void add_path(paths *p, char *s)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 8;
        p->v = xrealloc(p->v, p->cap * sizeof *p->v);
    }
    p->v[p->n++] = s;
}

static bool has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), k = strlen(suf);
    return n >= k && strcmp(s + n - k, suf) == 0;
}

/* filepath.Join of the first alen bytes of a and b */
static char *join(const char *a, int alen, const char *b)
{
    strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "%.*s/%s", alen, a, b);
    return sb_detach(&sb, NULL);
}

static int cmpname(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* filepath.Walk(DIR): lexical order, symlinks not followed; Chart.yaml adds its
 * directory, a .tgz or .tar.gz adds itself */
static void walk_subcharts(const char *dir, paths *out, int depth)
{
    DIR *d = opendir(dir);
    if (!d || depth > 64) {
        if (d)
            closedir(d);
        return;
    }
    paths names = {0};
    struct dirent *de;
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            add_path(&names, xstrdup(de->d_name));
    closedir(d);
    if (names.n)
        qsort(names.v, names.n, sizeof *names.v, cmpname);
    for (size_t i = 0; i < names.n; i++) {
        char *p = join(dir, (int)strlen(dir), names.v[i]);
        struct stat st;
        if (lstat(p, &st) == 0) {
            if (strcmp(names.v[i], "Chart.yaml") == 0)
                add_path(out, xstrdup(dir));
            else if (has_suffix(p, ".tgz") || has_suffix(p, ".tar.gz"))
                add_path(out, xstrdup(p));
            if (S_ISDIR(st.st_mode))
                walk_subcharts(p, out, depth + 1);
        }
        free(p);
        free(names.v[i]);
    }
    free(names.v);
}

/* filepath.Join(p, "charts"), cleaning the trailing slashes and "./" of p */
static char *charts_dir(const char *p)
{
    while (p[0] == '.' && p[1] == '/')
        p += 2;
    size_t l = strlen(p);
    while (l > 1 && p[l - 1] == '/')
        l--;
    if (l == 0 || (l == 1 && p[0] == '.'))
        return xstrdup("charts");
    return join(p, (int)l, "charts");
}

/* One chart's findings into out; *nerr counts what fails it, *has_we errors and warnings. */
static void lint_one(const char *path, const lint_opts *lo, const capstan_lint_opts *o, strbuf *out, size_t *failed,
                     size_t *warned)
{
    lint_result r;
    cap_err e = CAP_ERR_INIT;
    bool load_failed = lint_chart(path, lo, &r, &e) != 0;
    if (o->log)
        fwrite(sb_str(&r.log), 1, r.log.len, o->log); /* helm logs while it renders */
    size_t nerr = load_failed;
    bool has_we = load_failed;
    for (size_t k = 0; k < r.n; k++) {
        if (r.msgs[k].sev >= (o->strict ? LINT_WARNING : LINT_ERROR))
            nerr++;
        if (r.msgs[k].sev > LINT_INFO)
            has_we = true;
    }
    if (has_we || nerr)
        (*warned)++;
    if (!o->quiet || has_we || nerr) {
        sb_addf(out, "==> Linting %s\n", path);
        if (load_failed)
            sb_addf(out, "Error %s\n", e.msg);
        for (size_t k = 0; k < r.n; k++)
            if (!o->quiet || r.msgs[k].sev > LINT_INFO) {
                lint_msg_format(out, &r.msgs[k]);
                sb_addc(out, '\n');
            }
        if (nerr)
            (*failed)++;
        sb_addc(out, '\n');
    }
    cap_err_clear(&e);
    lint_result_free(&r);
}

int capstan_lint(const char *const *paths_in, size_t n, const capstan_lint_opts *o, size_t *linted, size_t *failed,
                 size_t *warned, capstan_error *perr)
{
    OPTS_IN(capstan_lint_opts, o, perr);
    capstan_lint_opts defaults;
    memset(&defaults, 0, sizeof defaults);
    if (!o)
        o = &defaults;
    lint_opts lo;
    memset(&lo, 0, sizeof lo);
    lo.namespace_ = o->namespace_;
    lo.kube_version = o->kube_version;
    lo.skip_schema = o->skip_schema_validation;
    paths ps = {0};
    for (size_t i = 0; i < n; i++)
        add_path(&ps, xstrdup(paths_in[i]));
    if (o->with_subcharts)
        for (size_t i = 0; i < n; i++) {
            char *cd = charts_dir(ps.v[i]);
            walk_subcharts(cd, &ps, 0);
            free(cd);
        }
    arena *a = arena_new();
    cap_err err = CAP_ERR_INIT;
    capstan_render_opts none;
    memset(&none, 0, sizeof none);
    int rc = 0;
    chart_caps *caps;
    if (lo.kube_version && chart_caps_new(a, lo.kube_version, NULL, 0, &caps, &err) != 0)
        rc = -1;
    else if (render_merge_values(a, o->values ? o->values : &none, &lo.values, &err) != 0)
        rc = -1;
    size_t nfailed = 0, nwarned = 0;
    strbuf out = STRBUF_INIT;
    for (size_t i = 0; rc == 0 && i < ps.n; i++)
        lint_one(ps.v[i], &lo, o, &out, &nfailed, &nwarned);
    if (rc == 0 && o->out)
        fwrite(sb_str(&out), 1, out.len, o->out);
    sb_release(&out);
    *linted = ps.n;
    *failed = nfailed;
    *warned = nwarned;
    arena_free(a);
    for (size_t i = 0; i < ps.n; i++)
        free(ps.v[i]);
    free(ps.v);
    return rc == 0 ? 0 : cap_err_publish(perr, &err, CAPSTAN_ERENDER);
}
