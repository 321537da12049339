/* chart_ref.c — chart references on the command line (template, install,
 * upgrade, show): helm's flags that choose and fetch a chart (--version,
 * --devel, --repo, credentials, TLS files, --dependency-update), the lean
 * capstan handing a remote reference to capstan-net, and where the charts
 * shipped with capstan are (capstan/NAME). */
#include "capstan.h"
#include "cli.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/capstan"
#endif

void cli_chart_opts_init(capstan_chart_opts *o)
{
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
    o->out = stdout;
    o->log = stderr;
    o->builtin_charts_dir = cli_builtin_dir("charts");
}

bool cli_chart_flag(int c, const char *arg, capstan_chart_opts *o, bool *dependency_update)
{
    switch (c) {
    case FL_CHART_VERSION: o->version = arg; return true;
    case FL_CHART_DEVEL: o->devel = true; return true;
    case FL_CHART_REPO: o->repo_url = arg; return true;
    case FL_CHART_USERNAME: o->username = arg; return true;
    case FL_CHART_PASSWORD: o->password = arg; return true;
    case FL_CHART_PASS_CREDS: o->pass_credentials = true; return true;
    case FL_CHART_CA_FILE: o->ca_file = arg; return true;
    case FL_CHART_CERT_FILE: o->cert_file = arg; return true;
    case FL_CHART_KEY_FILE: o->key_file = arg; return true;
    case FL_CHART_INSECURE: o->insecure_skip_tls_verify = true; return true;
    case FL_CHART_PLAIN_HTTP: o->plain_http = true; return true;
    case FL_CHART_DEP_UPDATE: *dependency_update = true; return true;
    case FL_CHART_VERIFY: o->verify = true; return true;
    case FL_CHART_KEYRING: o->keyring = arg; return true;
    default: return false;
    }
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* DIR/what exists: DIR (a static buffer) */
static const char *pick(char *buf, size_t size, const char *dir, const char *rel, const char *what)
{
    char probe[PATH_MAX];
    if ((size_t)snprintf(buf, size, "%s%s", dir, rel) >= size)
        return NULL;
    if ((size_t)snprintf(probe, sizeof probe, "%s/%s", buf, what) >= sizeof probe)
        return NULL;
    return is_dir(probe) ? buf : NULL;
}

/* The folder with the shipped charts/ and values/: beside an installed
 * program (PREFIX/bin/capstan, PREFIX/libexec/capstan/capstan-net: then
 * PREFIX/share/capstan, so a copied or DESTDIR tree works), the configured
 * $(pkgdatadir), else the build tree (the program beside charts/). */
const char *cli_builtin_dir(const char *what)
{
    static char buf[PATH_MAX], out[PATH_MAX];
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    const char *dir = NULL;
    if (n > 0) {
        self[n] = '\0';
        char *slash = strrchr(self, '/');
        if (slash)
            *slash = '\0';
        /* PREFIX/bin, PREFIX/libexec/capstan: up one or two levels, written without ".." */
        char up[PATH_MAX];
        snprintf(up, sizeof up, "%s", self);
        for (int level = 0; level < 2 && !dir; level++) {
            char *cut = strrchr(up, '/');
            if (!cut || cut == up)
                break;
            *cut = '\0';
            dir = pick(buf, sizeof buf, up, "/share/capstan", what);
        }
    }
    if (!dir)
        dir = pick(buf, sizeof buf, PKGDATADIR, "", what);
    if (!dir && n > 0)
        dir = pick(buf, sizeof buf, self, "", what);
    if (!dir || snprintf(out, sizeof out, "%s/%s", dir, what) >= (int)sizeof out)
        return NULL;
    return out;
}

#ifndef CAPSTAN_LEAN
/* helm's CheckDependencies: a dependency of Chart.yaml is not in charts/
 * (only then does --dependency-update update) */
static bool deps_missing(const char *dir)
{
    capstan_dependency_list *l;
    capstan_error err = {0};
    if (capstan_dependency_list_get(dir, &l, &err) != 0) {
        capstan_error_clear(&err);
        return true;
    }
    bool missing = false;
    for (size_t i = 0; i < l->n; i++)
        missing = missing || strcmp(l->statuses[i], "missing") == 0;
    capstan_dependency_list_free(l);
    return missing;
}
#endif

/* cli_fail, with "INSTALLATION FAILED: " in front for install (helm's runInstall wraps
 * LocateChart's errors) */
static int locate_fail(const char *cmd, capstan_error *err)
{
    if (strcmp(cmd, "install") != 0)
        return cli_fail(err);
    char *m = capstan_error_message(err);
    cli_error("INSTALLATION FAILED: %s", m && *m ? m : "unknown error");
    free(m);
    capstan_error_clear(err);
    return EXIT_ERR;
}

/* helm's LocateChart --verify of a chart on disk: filepath.Abs(ref) + ".prov" */
static int verify_local(const char *cmd, const char *ref, const capstan_chart_opts *o)
{
    char cwd[PATH_MAX], abs[2 * PATH_MAX + 2];
    while (ref[0] == '.' && ref[1] == '/')
        ref += 2;
    if (ref[0] == '/' || !getcwd(cwd, sizeof cwd))
        snprintf(abs, sizeof abs, "%s", ref);
    else
        snprintf(abs, sizeof abs, "%s/%s", cwd, ref);
    char *report = NULL;
    capstan_error err = {0};
    if (capstan_chart_verify(abs, o->keyring, &report, &err) != 0)
        return locate_fail(cmd, &err);
    free(report);
    return EXIT_OK;
}

int cli_chart_locate(int argc, char **argv, const char *ref, capstan_chart_opts *o, bool dependency_update,
                     char **path)
{
    *path = NULL;
    bool local = !capstan_chart_ref_is_remote(ref, o->repo_url);
    struct stat lst;
    if (local && o->verify && stat(ref, &lst) == 0 && verify_local(argv[0], ref, o) != EXIT_OK)
        return EXIT_ERR;
#ifdef CAPSTAN_LEAN
    /* the lean program has no network: capstan-net locates and runs the command */
    if (!local || dependency_update)
        return cli_exec_net(argc, argv);
    *path = strdup(ref);
    return *path ? EXIT_OK : EXIT_ERR;
#else
    (void)argc;
    (void)argv;
    capstan_error err = {0};
    if (capstan_chart_locate(ref, o, path, &err) != 0)
        return locate_fail(argv[0], &err);
    struct stat st;
    if (dependency_update && stat(*path, &st) == 0 && S_ISDIR(st.st_mode) && deps_missing(*path) &&
        capstan_dependency_update(*path, o, &err) != 0) {
        free(*path);
        *path = NULL;
        return locate_fail(argv[0], &err);
    }
    return EXIT_OK;
#endif
}
