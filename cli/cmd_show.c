/* cmd_show.c — `capstan show chart|values|readme|crds|all CHART`, as `helm show`,
 * CHART any reference helm takes (chart_ref.c); and `capstan show capstan/NAME
 * --values-files`: the values files shipped with capstan for that chart. */
#include "cli.h"
#include "flags.h"
#include "capstan.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { O_VALUES_FILES = 5200, O_JSONPATH };

static const struct option longopts[] = {
    CLI_CHART_LONGOPTS,
    {"insecure-skip-tls-verify", no_argument, NULL, FL_CHART_INSECURE},
    {"plain-http", no_argument, NULL, FL_CHART_PLAIN_HTTP},
    {"jsonpath", required_argument, NULL, O_JSONPATH},
    {"values-files", no_argument, NULL, O_VALUES_FILES},
    {NULL, 0, NULL, 0},
};

static int cmpstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* capstan/NAME --values-files: VALUES_DIR/NAME-*.yaml and NAME.yaml, sorted, one path a line */
static int values_files(const char *ref)
{
    if (strncmp(ref, "capstan/", 8) != 0 || !ref[8] || strchr(ref + 8, '/')) {
        cli_error("--values-files lists the values files shipped for a chart capstan/NAME, not %s", ref);
        return EXIT_ERR;
    }
    const char *name = ref + 8, *dir = cli_builtin_dir("values");
    DIR *d = dir ? opendir(dir) : NULL;
    if (!d) {
        cli_error("capstan's values files are not installed (no share/capstan/values)");
        return EXIT_ERR;
    }
    char *found[256];
    size_t n = 0, nl = strlen(name);
    struct dirent *de;
    while ((de = readdir(d)) && n < 256) {
        const char *f = de->d_name;
        size_t fl = strlen(f);
        if (strncmp(f, name, nl) == 0 && (f[nl] == '-' || f[nl] == '.') && fl > 5 && strcmp(f + fl - 5, ".yaml") == 0)
            found[n++] = strdup(f);
    }
    closedir(d);
    qsort(found, n, sizeof *found, cmpstr);
    for (size_t i = 0; i < n; i++) {
        printf("%s/%s\n", dir, found[i]);
        free(found[i]);
    }
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_ERR;
}

int cmd_show(int argc, char **argv)
{
    static const char *const whats[] = {"all", "chart", "values", "readme", "crds"};
    if (argc < 2) {
        fputs(cli_find_command("show")->usage, stderr);
        return EXIT_USAGE;
    }
    capstan_chart_opts co;
    cli_chart_opts_init(&co);
    bool dep_update = false, list_values = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        if (cli_chart_flag(c, optarg, &co, &dep_update))
            continue;
        if (c == O_VALUES_FILES)
            list_values = true;
        else if (c != O_JSONPATH) {
            flags_bad_option(c, argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    char **args = argv + optind;
    int nargs = argc - optind;
    if (list_values && nargs == 1)
        return values_files(args[0]);
    const char *what = nargs > 0 ? args[0] : "";
    bool known = false;
    for (size_t i = 0; i < sizeof whats / sizeof *whats; i++)
        known = known || strcmp(what, whats[i]) == 0;
    if (!known) {
        cli_error("unknown command \"%s\" for \"capstan show\"", what);
        return EXIT_USAGE;
    }
    if (list_values && nargs == 2)
        return values_files(args[1]);
    if (nargs != 2) {
        cli_error("\"capstan show %s\" requires 1 argument\n\nUsage:  capstan show %s [CHART] [flags]", what, what);
        return EXIT_USAGE;
    }
    char *chart = NULL;
    int rc = cli_chart_locate(argc, argv, args[1], &co, dep_update, &chart);
    if (rc != EXIT_OK)
        return rc;
    char *out = NULL;
    size_t len = 0;
    capstan_error err = {0};
    if (capstan_show(chart, what, &out, &len, &err) != 0) {
        free(chart);
        return cli_fail(&err);
    }
    free(chart);
    fwrite(out, 1, len, stdout);
    free(out);
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_ERR;
}
