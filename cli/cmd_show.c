/* cmd_show.c — `capstan show chart|values|readme|crds|all CHART`, as `helm show`. */
#include "cli.h"
#include "capstan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_show(int argc, char **argv)
{
    static const char *const whats[] = {"all", "chart", "values", "readme", "crds"};
    if (argc < 2) {
        fputs(cli_find_command("show")->usage, stderr);
        return EXIT_USAGE;
    }
    const char *what = argv[1];
    bool known = false;
    for (size_t i = 0; i < sizeof whats / sizeof *whats; i++)
        known = known || strcmp(what, whats[i]) == 0;
    if (!known) {
        cli_error("unknown command \"%s\" for \"capstan show\"", what);
        return EXIT_USAGE;
    }
    const char *chart = NULL;
    int nargs = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--devel") == 0 || strcmp(argv[i], "--insecure-skip-tls-verify") == 0 ||
            strcmp(argv[i], "--plain-http") == 0 || strcmp(argv[i], "--verify") == 0)
            continue;
        if (strcmp(argv[i], "--version") == 0 || strcmp(argv[i], "--repo") == 0) {
            i++;
            continue;
        }
        if (strncmp(argv[i], "--", 2) == 0 && strchr(argv[i], '='))
            continue;
        if (argv[i][0] == '-') {
            cli_error("unknown flag: %s", argv[i]);
            return EXIT_USAGE;
        }
        chart = argv[i];
        nargs++;
    }
    if (nargs != 1) {
        cli_error("\"capstan show %s\" requires 1 argument\n\nUsage:  capstan show %s [CHART] [flags]", what, what);
        return EXIT_USAGE;
    }
    char *out = NULL;
    size_t len = 0;
    capstan_error err = {0};
    if (capstan_show(chart, what, &out, &len, &err) != 0) {
        char *m = capstan_error_message(&err);
        cli_error("%s", m);
        free(m);
        capstan_error_clear(&err);
        return EXIT_ERR;
    }
    fwrite(out, 1, len, stdout);
    free(out);
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_ERR;
}
