/* cmd_package.c — `capstan package CHART_DIR...`, as `helm package`: one archive per
 * chart directory, "Successfully packaged chart and saved it to: PATH" for each. */
#include "capstan.h"
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { O_VERSION = 256, O_APP_VERSION, O_DEP_UPDATE };

static const struct option longopts[] = {
    {"destination", required_argument, NULL, 'd'},
    {"version", required_argument, NULL, O_VERSION},
    {"app-version", required_argument, NULL, O_APP_VERSION},
    {"dependency-update", no_argument, NULL, 'u'},
    {NULL, 0, NULL, 0},
};

int cmd_package(int argc, char **argv)
{
    capstan_package_opts o = {.size = sizeof o, .dest = "."};
    bool dep_update = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "d:u", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': o.dest = optarg; break;
        case O_VERSION: o.version = optarg; break;
        case O_APP_VERSION: o.app_version = optarg; break;
        case 'u': dep_update = true; break;
        default:
            cli_error("unknown flag: %s", argv[optind - 1]);
            return EXIT_ERR; /* helm exits 1 on usage errors */
        }
    }
    if (optind >= argc) {
        cli_error("need at least one argument, the path to the chart");
        return EXIT_ERR; /* helm exits 1 on usage errors */
    }
#ifdef CAPSTAN_LEAN
    if (dep_update) /* the dependencies come from the network: capstan-net packages */
        return cli_exec_net(argc, argv);
#endif
    for (int i = optind; i < argc; i++) {
        char *path = NULL;
#ifndef CAPSTAN_LEAN
        if (dep_update) { /* helm's Manager.Update, its output discarded */
            capstan_chart_opts co;
            cli_chart_opts_init(&co);
            co.out = NULL;
            capstan_error derr = {0};
            if (capstan_dependency_update(argv[i], &co, &derr) != 0)
                return cli_fail(&derr);
        }
#endif
        capstan_error err = {0};
        if (capstan_package(argv[i], &o, &path, &err) != 0)
            return cli_fail(&err);
        printf("Successfully packaged chart and saved it to: %s\n", path);
        free(path);
    }
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_ERR;
}
