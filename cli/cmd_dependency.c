/* cmd_dependency.c — `capstan dependency list|update|build CHART`, as helm's. */
#include "cli.h"
#include "flags.h"
#include "capstan.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { O_SKIP_REFRESH = 4200, O_OFFLINE, O_REFRESH, O_VERIFY, O_KEYRING, O_MAX_COL, O_PLAIN_HTTP, O_REGISTRY_CONFIG };

static const struct option longopts[] = {
    {"skip-refresh", no_argument, NULL, O_SKIP_REFRESH},
    {"offline", no_argument, NULL, O_OFFLINE},
    {"refresh", no_argument, NULL, O_REFRESH},
    {"verify", no_argument, NULL, O_VERIFY},
    {"keyring", required_argument, NULL, O_KEYRING},
    {"max-col-width", required_argument, NULL, O_MAX_COL},
    {"plain-http", no_argument, NULL, O_PLAIN_HTTP},
    {"registry-config", required_argument, NULL, O_REGISTRY_CONFIG},
    {NULL, 0, NULL, 0},
};

int cmd_dependency(int argc, char **argv)
{
    if (argc < 2) {
        fputs(cli_find_command("dependency")->usage, stderr);
        return EXIT_USAGE;
    }
    const char *sub = argv[1];
    bool list = strcmp(sub, "list") == 0 || strcmp(sub, "ls") == 0;
    bool update = strcmp(sub, "update") == 0 || strcmp(sub, "up") == 0;
    bool build = strcmp(sub, "build") == 0;
    if (!list && !update && !build) {
        cli_error("unknown command \"%s\" for \"capstan dependency\"", sub);
        return EXIT_USAGE;
    }
    capstan_chart_opts o = {.size = sizeof o, .out = stdout, .log = stderr};
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc - 1, argv + 1, ":", longopts, NULL)) != -1) {
        switch (c) {
        case O_SKIP_REFRESH: o.skip_refresh = true; break;
        case O_OFFLINE: o.offline = true; break;
        case O_REFRESH: o.refresh = true; break;
        case O_VERIFY:
            cli_error("--verify (provenance) is not supported by capstan");
            return EXIT_USAGE;
        case O_PLAIN_HTTP: o.plain_http = true; break;
        case O_REGISTRY_CONFIG: o.registry_config = optarg; break;
        case O_KEYRING: case O_MAX_COL: break;
        default:
            flags_bad_option(c, argv[optind]);
            return EXIT_USAGE;
        }
    }
    int nargs = argc - 1 - optind;
    if (nargs > 1) {
        cli_error("\"capstan dependency %s\" accepts at most 1 argument", sub);
        return EXIT_USAGE;
    }
    const char *chart = nargs == 1 ? argv[1 + optind] : ".";
    capstan_error err = {0};
    if (list) {
        capstan_dependency_list *l;
        if (capstan_dependency_list_get(chart, &l, &err) != 0)
            return cli_fail(&err);
        size_t n = l->n;
        if (n) {
            const char **cells = calloc(4 * (n + 1), sizeof *cells);
            if (!cells) {
                capstan_dependency_list_free(l);
                cli_error("out of memory");
                return EXIT_ERR;
            }
            cells[0] = "NAME", cells[1] = "VERSION", cells[2] = "REPOSITORY", cells[3] = "STATUS";
            for (size_t i = 0; i < n; i++) {
                cells[4 * (i + 1)] = l->names[i];
                cells[4 * (i + 1) + 1] = l->versions[i];
                cells[4 * (i + 1) + 2] = l->repositories[i];
                cells[4 * (i + 1) + 3] = l->statuses[i];
            }
            cli_table_print(stdout, cells, 4, n + 1);
            putchar('\n');
            free(cells);
        }
        fputs(l->warnings, stdout);
        capstan_dependency_list_free(l);
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_ERR;
    }
    int rc = update ? capstan_dependency_update(chart, &o, &err) : capstan_dependency_build(chart, &o, &err);
    if (rc != 0)
        return cli_fail(&err);
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_ERR;
}
