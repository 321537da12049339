/* cmd_create.c — `capstan create NAME [--starter STARTER]`: capstan's chart scaffold,
 * or a copy of helm's starter chart, as helm create prints and fails. */
#include "cli.h"
#include "capstan.h"
#include "flags.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static void out_line(void *ctx, const char *line)
{
    (void)ctx;
    printf("%s\n", line); /* helm writes its overwrite warnings to stdout */
}

int cmd_create(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"starter", required_argument, NULL, 'p'},
        {NULL, 0, NULL, 0},
    };
    capstan_create_opts o = {.size = sizeof o, .log = out_line};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":p:", longopts, NULL)) != -1) {
        switch (c) {
        case 'p': o.starter = optarg; break;
        case ':':
            if (strncmp(argv[optind - 1], "--", 2) != 0)
                cli_error("flag needs an argument: 'p' in -p");
            else
                cli_error("flag needs an argument: --starter");
            return EXIT_ERR;
        default: flags_unknown(argv[optind - 1]); return EXIT_ERR;
        }
    }
    if (argc - optind != 1) {
        cli_error("\"capstan create\" requires 1 argument");
        return EXIT_ERR;
    }
    printf("Creating %s\n", argv[optind]);
    fflush(stdout);
    capstan_error e = {0};
    if (capstan_create(argv[optind], &o, &e) < 0) {
        cli_error("%s", e.msg ? e.msg : "failed");
        capstan_error_clear(&e);
        return EXIT_ERR;
    }
    return EXIT_OK;
}
