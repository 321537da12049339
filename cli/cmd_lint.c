/* cmd_lint.c — `capstan lint CHART...`, as `helm lint` (pkg/cmd/lint.go): each chart's
 * findings under "==> Linting PATH", then "N chart(s) linted, F chart(s) failed"
 * (on stderr as an error, exit 1, when a chart failed). */
#include "cli.h"
#include "flags.h"
#include "renderer/lint/lint.h"
#include "renderer/render_internal.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { O_STRICT = 300, O_WITH_SUB, O_QUIET, O_SKIP_SCHEMA, O_KUBE_VERSION };

static const struct option longopts[] = {
    FLAGS_VALUES_LONGOPTS,
    {"strict", no_argument, NULL, O_STRICT},
    {"with-subcharts", no_argument, NULL, O_WITH_SUB},
    {"quiet", no_argument, NULL, O_QUIET},
    {"skip-schema-validation", no_argument, NULL, O_SKIP_SCHEMA},
    {"kube-version", required_argument, NULL, O_KUBE_VERSION},
    {"namespace", required_argument, NULL, 'n'},
    {NULL, 0, NULL, 0},
};

typedef struct paths {
    char **v;
    size_t n, cap;
} paths;

static void add_path(paths *p, char *s)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 8;
        p->v = realloc(p->v, p->cap * sizeof *p->v);
    }
    p->v[p->n++] = s;
}

static bool has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), k = strlen(suf);
    return n >= k && strcmp(s + n - k, suf) == 0;
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
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (n == cap)
            names = realloc(names, (cap = cap ? cap * 2 : 16) * sizeof *names);
        names[n++] = strdup(de->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmpname);
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(dir) + strlen(names[i]) + 2;
        char *p = malloc(l);
        snprintf(p, l, "%s/%s", dir, names[i]);
        struct stat st;
        if (lstat(p, &st) == 0) {
            if (strcmp(names[i], "Chart.yaml") == 0)
                add_path(out, strdup(dir));
            else if (has_suffix(p, ".tgz") || has_suffix(p, ".tar.gz"))
                add_path(out, strdup(p));
            if (S_ISDIR(st.st_mode))
                walk_subcharts(p, out, depth + 1);
        }
        free(p);
        free(names[i]);
    }
    free(names);
}

/* filepath.Join(p, "charts"), cleaning the trailing slashes and "./" of p */
static char *charts_dir(const char *p)
{
    while (p[0] == '.' && p[1] == '/')
        p += 2;
    size_t l = strlen(p);
    while (l > 1 && p[l - 1] == '/')
        l--;
    char *r = malloc(l + 8);
    if (l == 0 || (l == 1 && p[0] == '.'))
        strcpy(r, "charts");
    else
        snprintf(r, l + 8, "%.*s/charts", (int)l, p);
    return r;
}

int cmd_lint(int argc, char **argv)
{
    capstan_render_opts ro;
    memset(&ro, 0, sizeof ro);
    lint_opts lo;
    memset(&lo, 0, sizeof lo);
    lo.namespace_ = getenv("HELM_NAMESPACE");
    if (lo.namespace_ && !*lo.namespace_)
        lo.namespace_ = NULL;
    bool strict = false, with_sub = false, quiet = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "f:n:", longopts, NULL)) != -1) {
        if (flags_values(c, optarg, &ro))
            continue;
        switch (c) {
        case O_STRICT: strict = true; break;
        case O_WITH_SUB: with_sub = true; break;
        case O_QUIET: quiet = true; break;
        case O_SKIP_SCHEMA: lo.skip_schema = true; break;
        case O_KUBE_VERSION: lo.kube_version = optarg; break;
        case 'n': lo.namespace_ = optarg; break;
        default:
            cli_error("unknown flag: %s", argv[optind - 1]);
            return EXIT_ERR; /* helm exits 1 on usage errors */
        }
    }
    if (optind >= argc) {
        cli_error("\"capstan lint\" requires at least 1 argument\n\nUsage:  capstan lint PATH [flags]");
        return EXIT_ERR; /* helm exits 1 on usage errors */
    }
    paths ps = {0};
    for (int i = optind; i < argc; i++)
        add_path(&ps, strdup(argv[i]));
    if (with_sub) {
        size_t given = ps.n;
        for (size_t i = 0; i < given; i++) {
            char *cd = charts_dir(ps.v[i]);
            walk_subcharts(cd, &ps, 0);
            free(cd);
        }
    }
    arena *a = arena_new();
    cap_err err = CAP_ERR_INIT;
    int rc = EXIT_OK;
    if (lo.kube_version) {
        chart_caps *caps;
        if (chart_caps_new(a, lo.kube_version, NULL, 0, &caps, &err) != 0) {
            cli_error("%s", err.msg);
            rc = EXIT_ERR;
            goto done;
        }
    }
    if (render_merge_values(a, &ro, &lo.values, &err) != 0) {
        char *m = cap_err_format(&err);
        cli_error("%s", m);
        free(m);
        rc = EXIT_ERR;
        goto done;
    }
    strbuf out = STRBUF_INIT;
    int failed = 0, warned = 0;
    for (size_t i = 0; i < ps.n; i++) {
        lint_result r;
        cap_err e = CAP_ERR_INIT;
        bool load_failed = lint_chart(ps.v[i], &lo, &r, &e) != 0;
        fwrite(sb_str(&r.log), 1, r.log.len, stderr); /* helm logs while it renders */
        size_t nerr = load_failed;
        bool has_we = load_failed;
        for (size_t k = 0; k < r.n; k++) {
            if (r.msgs[k].sev >= (strict ? LINT_WARNING : LINT_ERROR))
                nerr++;
            if (r.msgs[k].sev > LINT_INFO)
                has_we = true;
        }
        if (has_we || nerr)
            warned++;
        if (quiet && !has_we && !nerr) {
            lint_result_free(&r);
            continue;
        }
        sb_addf(&out, "==> Linting %s\n", ps.v[i]);
        if (load_failed)
            sb_addf(&out, "Error %s\n", e.msg);
        for (size_t k = 0; k < r.n; k++)
            if (!quiet || r.msgs[k].sev > LINT_INFO) {
                lint_msg_format(&out, &r.msgs[k]);
                sb_addc(&out, '\n');
            }
        if (nerr)
            failed++;
        sb_addc(&out, '\n');
        cap_err_clear(&e);
        lint_result_free(&r);
    }
    fwrite(sb_str(&out), 1, out.len, stdout);
    sb_release(&out);
    if (failed) {
        fflush(stdout);
        fprintf(stderr, "Error: %zu chart(s) linted, %d chart(s) failed\n", ps.n, failed);
        rc = EXIT_ERR;
    } else if (!quiet || warned) {
        printf("%zu chart(s) linted, %d chart(s) failed\n", ps.n, failed);
    }
    if (fflush(stdout) != 0)
        rc = EXIT_ERR;
done:
    cap_err_clear(&err);
    arena_free(a);
    for (size_t i = 0; i < ps.n; i++)
        free(ps.v[i]);
    free(ps.v);
    return rc;
}
