/* cmd_version.c — `capstan version [--short] [--template TEXT]`, as helm's. */
#include "cli.h"
#include "capstan.h"
#include "flags.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { O_SHORT = 5400, O_TEMPLATE };

int cmd_version(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"short", no_argument, NULL, O_SHORT},
        {"template", required_argument, NULL, O_TEMPLATE},
        {NULL, 0, NULL, 0},
    };
    bool shortv = false;
    const char *tmpl = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (c) {
        case O_SHORT: shortv = true; break;
        case O_TEMPLATE: tmpl = optarg; break;
        case ':': cli_error("flag needs an argument: --template"); return EXIT_ERR;
        default: flags_unknown(argv[optind - 1]); return EXIT_ERR;
        }
    }
    if (tmpl && *tmpl) { /* helm: the template wins over --short */
        char *out = NULL;
        capstan_error e = {0};
        int rc = capstan_version_template(tmpl, &out, &e);
        fputs(out ? out : "", stdout);
        free(out);
        fflush(stdout);
        return rc == 0 ? EXIT_OK : cli_fail(&e);
    }
    if (shortv)
        printf("v%s\n", capstan_version());
    else
        printf("version.BuildInfo{Version:\"v%s\", Program:\"capstan\"}\n", capstan_version());
    return EXIT_OK;
}
